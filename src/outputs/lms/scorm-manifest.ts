import type { Course } from '../../model/course.js';
import { escapeXml, sectionItems, sharedResource, xmlId, type PackageFiles, type PackageScope } from './package.js';

/** The SCORM editions Coursebook packages for. */
export type ScormVersion = '1.2' | '2004';

/** The namespaces and schema locations of each edition's manifest, and how it spells things. */
const editions = {
  '1.2': {
    root: 'version="1.0" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd"',
    schemaversion: '1.2',
    scormType: 'adlcp:scormtype',
  },
  '2004': {
    root: 'version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd"',
    schemaversion: '2004 4th Edition',
    scormType: 'adlcp:scormType',
  },
} as const;

/** 2004 sequencing: the learner may choose any lesson and move on with Continue and Previous. */
const freeChoice = '<imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>';

/**
 * A package's imsmanifest.xml: an organisation of section items holding lesson items, one SCO
 * resource per lesson page, and one asset resource listing every shared file, so that each file
 * is listed exactly once. SCORM 2004 adds sequencing that lets learners choose and flow.
 * @param course the course
 * @param scope the sections the package holds
 * @param files the package's files
 * @param version the SCORM edition
 */
export function scormManifest(course: Course, scope: PackageScope, files: PackageFiles, version: ScormVersion): string {
  const edition = editions[version];
  const title = scope.section ? `${course.config.title}: ${scope.section.title}` : course.config.title;
  const lines: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<manifest identifier="${xmlId('coursebook', scope.path)}" ${edition.root}>`,
    '<metadata>',
    '<schema>ADL SCORM</schema>',
    `<schemaversion>${edition.schemaversion}</schemaversion>`,
    '</metadata>',
    '<organizations default="organization">',
    '<organization identifier="organization">',
    `<title>${escapeXml(title)}</title>`,
  ];
  lines.push(...sectionItems(scope, files, version === '2004' ? { sectionEnd: [freeChoice] } : {}));
  if (version === '2004') lines.push(freeChoice);
  lines.push('</organization>', '</organizations>', '<resources>');
  for (const page of files.pages) {
    const href = escapeXml(page.path);
    lines.push(
      `<resource identifier="${xmlId('resource', page.lesson.id)}" type="webcontent" ${edition.scormType}="sco" href="${href}">`,
      `<file href="${href}"/>`,
      `<dependency identifierref="${sharedResource}"/>`,
      '</resource>',
    );
  }
  lines.push(`<resource identifier="${sharedResource}" type="webcontent" ${edition.scormType}="asset">`);
  for (const file of files.shared) lines.push(`<file href="${escapeXml(file)}"/>`);
  lines.push('</resource>', '</resources>', '</manifest>', '');
  return lines.join('\n');
}
