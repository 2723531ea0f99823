import { cartridgeManifest, type CartridgeAssessment } from './lms/cc-manifest.js';
import { deterministicZip, packageArtifacts, packageFiles, publishPackages, xmlId } from './lms/package.js';
import { qtiAssessment } from './lms/qti.js';
import { quizItems } from './lms/quizzes.js';
import type { Writer } from './writer.js';

/**
 * IMS Common Cartridge 1.3: a `.imscc` that Canvas and Moodle import as a course, with the lesson
 * pages as web content organised by section and each lesson's quizzes as a QTI 1.2 assessment.
 * Without quizzes it is web content only.
 */
export const ccWriter: Writer = {
  name: 'cc',
  description: 'an IMS Common Cartridge 1.3 (.imscc) for Canvas and Moodle, quizzes as QTI 1.2',
  artifacts: (course) => packageArtifacts(course, '.imscc', 'Common Cartridge'),
  publish: (context) =>
    publishPackages(context, 'cc', async (scope, view) => {
      const files = await packageFiles(context, view, scope, '');
      const assessments: CartridgeAssessment[] = [];
      for (const page of files.pages) {
        const quizzes = quizItems(page.body);
        if (quizzes.length === 0) continue;
        const assessment = { lesson: page.lesson, path: `quizzes/${page.lesson.id}/assessment.xml`, title: `Quizzes: ${page.lesson.id} ${page.lesson.title}` };
        files.bytes.set(assessment.path, qtiAssessment(xmlId('assessment', page.lesson.id), assessment.title, quizzes));
        assessments.push(assessment);
      }
      files.bytes.set('imsmanifest.xml', cartridgeManifest(context.course, scope, files, assessments));
      return deterministicZip(files.bytes);
    }),
};
