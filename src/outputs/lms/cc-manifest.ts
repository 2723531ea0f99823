import type { Course, Lesson } from '../../model/course.js';
import { escapeXml, sectionItems, sharedResource, xmlId, type PackageFiles, type PackageScope } from './package.js';

/** A lesson's quiz assessment in the cartridge. */
export interface CartridgeAssessment {
  lesson: Lesson;
  path: string;
  title: string;
}

/**
 * A Common Cartridge 1.3 imsmanifest.xml: a rooted hierarchy of sections holding their lessons'
 * pages (webcontent) and, after a lesson with quizzes, its QTI assessment; every file in exactly
 * one resource.
 * @param course the course
 * @param scope the sections the cartridge holds
 * @param files its pages and shared files
 * @param assessments the lessons' quiz assessments
 */
export function cartridgeManifest(course: Course, scope: PackageScope, files: PackageFiles, assessments: CartridgeAssessment[]): string {
  const title = scope.section ? `${course.config.title}: ${scope.section.title}` : course.config.title;
  const language = escapeXml(course.config.language);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<manifest identifier="${xmlId('coursebook', scope.path)}" xmlns="http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1" xmlns:lomimscc="http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1 http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_imscp_v1p2_v1p0.xsd http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest http://www.imsglobal.org/profile/cc/ccv1p3/LOM/ccv1p3_lommanifest_v1p0.xsd">`,
    '<metadata>',
    '<schema>IMS Common Cartridge</schema>',
    '<schemaversion>1.3.0</schemaversion>',
    '<lomimscc:lom><lomimscc:general>',
    `<lomimscc:title><lomimscc:string language="${language}">${escapeXml(title)}</lomimscc:string></lomimscc:title>`,
    `<lomimscc:language>${language}</lomimscc:language>`,
    ...(course.config.description ? [`<lomimscc:description><lomimscc:string language="${language}">${escapeXml(course.config.description)}</lomimscc:string></lomimscc:description>`] : []),
    '</lomimscc:general></lomimscc:lom>',
    '</metadata>',
    '<organizations>',
    '<organization identifier="organization" structure="rooted-hierarchy">',
    '<item identifier="root">',
  ];
  lines.push(
    ...sectionItems(scope, files, {
      afterLesson: (lesson) => {
        const assessment = assessments.find((candidate) => candidate.lesson === lesson);
        return assessment
          ? [`<item identifier="${xmlId('quizzes', lesson.id)}" identifierref="${xmlId('resource-quizzes', lesson.id)}">`, `<title>${escapeXml(assessment.title)}</title>`, '</item>']
          : [];
      },
    }),
  );
  lines.push('</item>', '</organization>', '</organizations>', '<resources>');
  for (const page of files.pages) {
    const href = escapeXml(page.path);
    lines.push(
      `<resource identifier="${xmlId('resource', page.lesson.id)}" type="webcontent" href="${href}">`,
      `<file href="${href}"/>`,
      `<dependency identifierref="${sharedResource}"/>`,
      '</resource>',
    );
  }
  for (const assessment of assessments) {
    lines.push(
      `<resource identifier="${xmlId('resource-quizzes', assessment.lesson.id)}" type="imsqti_xmlv1p2/imscc_xmlv1p3/assessment">`,
      `<file href="${escapeXml(assessment.path)}"/>`,
      '</resource>',
    );
  }
  lines.push(`<resource identifier="${sharedResource}" type="webcontent">`, ...files.shared.map((file) => `<file href="${escapeXml(file)}"/>`), '</resource>');
  lines.push('</resources>', '</manifest>', '');
  return lines.join('\n');
}
