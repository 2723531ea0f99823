import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import type { Course, Lesson, Section } from '../../model/course.js';
import type { LinkPolicy } from '../../render/links.js';
import { outputPaths, publicUrl } from '../../render/paths.js';
import { indexCourse } from '../../render/site-links.js';
import type { BookScope } from '../books.js';

/** One printed PDF: a section, or the whole course. */
export type Book = BookScope;

/** The in-document anchor of a lesson's opening, e.g. "lesson-4-5". */
export const lessonAnchor = (lesson: Lesson): string => `lesson-${lesson.id.replace(/[^A-Za-z0-9]+/g, '-')}`;

/** The in-document anchor of a section's opening, e.g. "section-4". */
export const sectionAnchor = (section: Section): string => `section-${section.number}`;

/**
 * The anchor of an id inside a lesson or section of a book, e.g. "lesson-4-5--raft".
 * Note: every lesson has a "key-takeaways"; one book holds many lessons, so ids get their lesson's prefix.
 * @param prefix the lesson's or section's anchor
 * @param id the id as the lesson's own page has it
 */
export const innerAnchor = (prefix: string, id: string): string => `${prefix}--${id}`;

const href = (anchor: string): string => `#${encodeURIComponent(anchor)}`;

/**
 * Links for one PDF: lessons and sections printed in it become in-document anchors; the others
 * become web addresses under `baseUrl`, or plain text without one. Images load from the content
 * folder; links to other files go to the site, like lessons outside the book.
 * @param course the course
 * @param book the PDF being printed
 * @param prefix the anchor of the lesson or section whose body is rewritten
 */
export function bookLinkPolicy(course: Course, book: Book, prefix: string): LinkPolicy {
  const { lessons, sections } = indexCourse(course);
  const printed = new Set(book.sections);
  const onSite = (outputPath: string, fragment: string | undefined): string | null =>
    course.config.baseUrl ? publicUrl(course, outputPath) + (fragment ? `#${encodeURIComponent(fragment)}` : '') : null;
  return {
    lesson: (targetPath, fragment) => {
      const lesson = lessons.get(targetPath);
      if (!lesson) return null;
      const section = course.sections.find((candidate) => candidate.lessons.includes(lesson));
      if (section && printed.has(section)) return href(fragment ? innerAnchor(lessonAnchor(lesson), fragment) : lessonAnchor(lesson));
      return onSite(outputPaths.lesson(lesson), fragment);
    },
    section: (sectionPath, fragment) => {
      const section = sections.get(sectionPath);
      if (!section) return null;
      if (printed.has(section)) return href(fragment ? innerAnchor(sectionAnchor(section), fragment) : sectionAnchor(section));
      return onSite(outputPaths.section(section), fragment);
    },
    anchor: (fragment) => href(innerAnchor(prefix, fragment)),
    asset: (assetPath) => pathToFileURL(path.join(course.root, ...assetPath.split('/'))).href,
    external: (url) => url,
  };
}

/**
 * Where a link to an asset file (not an image) goes in a PDF: the published copy on the site, or
 * nowhere without `baseUrl`; a file:// link would point into the author's machine.
 * @param course the course
 * @param fileUrl the file URL the policy gave
 */
export function assetLinkTarget(course: Course, fileUrl: string): string | null {
  if (!course.config.baseUrl) return null;
  const relative = path.relative(course.root, fileURLToPath(fileUrl)).split(path.sep).join('/');
  return publicUrl(course, outputPaths.asset(relative));
}
