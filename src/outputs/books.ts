import type { Course, Section } from '../model/course.js';
import { courseSlug } from '../render/paths.js';
import type { ArtifactSpec } from './plan.js';

/** One book of a course: a section on its own, or the whole course. */
export interface BookScope {
  /** Where the book is published. */
  path: string;
  /** The section, for a one-section book. */
  section?: Section;
  /** The sections it holds, in course order. */
  sections: Section[];
}

/** The folder books are published in, beside the site's pages. */
const downloadsFolder = 'downloads';

/**
 * The books of a course in one format: one per section, then one for the whole course. Every
 * book writer plans from here, so their books agree.
 * @param course the checked course
 * @param extension the format's file extension, without the dot
 */
export function booksOf(course: Course, extension: string): BookScope[] {
  return [
    ...course.sections.map((section): BookScope => ({ path: `${downloadsFolder}/${section.dir}.${extension}`, sections: [section], section })),
    { path: `${downloadsFolder}/${courseSlug(course)}.${extension}`, sections: course.sections },
  ];
}

/**
 * The plan's artifacts for a format's books: downloads for each section and for the course.
 * @param course the checked course
 * @param extension the format's file extension
 * @param label what readers are shown ("Download PDF")
 */
export function bookArtifacts(course: Course, extension: string, label: string): ArtifactSpec[] {
  return booksOf(course, extension).map((book) => ({ scope: book.section ? 'section' : 'course', path: book.path, label, download: true, ...(book.section ? { section: book.section } : {}) }));
}

/**
 * The book an artifact of `bookArtifacts` stands for.
 * @param course the checked course
 * @param artifact a book artifact from the plan
 */
export function bookOf(course: Course, artifact: ArtifactSpec): BookScope {
  return artifact.section ? { path: artifact.path, sections: [artifact.section], section: artifact.section } : { path: artifact.path, sections: course.sections };
}
