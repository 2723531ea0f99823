import { deterministicZip, packageArtifacts, packageFiles, publishPackages } from './lms/package.js';
import { scormManifest, type ScormVersion } from './lms/scorm-manifest.js';
import type { Writer } from './writer.js';

/**
 * A SCORM writer: a zip per course (and per section with `lms: {sections: true}`) that LMSs import
 * as a course, each lesson a SCO whose page reports completion and quiz scores to the LMS.
 * @param name the format's name
 * @param version the SCORM edition
 */
function scormWriter(name: string, version: ScormVersion): Writer {
  return {
    name,
    description: `SCORM ${version === '2004' ? '2004 4th edition' : '1.2'} packages for learning-management systems, each lesson a tracked SCO`,
    artifacts: (course) => packageArtifacts(course, `-${name}.zip`, `SCORM ${version} package`),
    publish: (context) =>
      publishPackages(context, name, async (scope, view) => {
        const files = await packageFiles(context, view, scope, version);
        files.bytes.set('imsmanifest.xml', scormManifest(context.course, scope, files, version));
        return deterministicZip(files.bytes);
      }),
  };
}

/** SCORM 1.2 packages: the edition every LMS imports. */
export const scorm12Writer: Writer = scormWriter('scorm12', '1.2');

/** SCORM 2004 4th edition packages, with sequencing that lets learners choose and flow. */
export const scorm2004Writer: Writer = scormWriter('scorm2004', '2004');
