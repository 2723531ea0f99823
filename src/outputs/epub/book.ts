import { titleIdentifier } from '../../config/load.js';
import type { Course, Lesson, Section } from '../../model/course.js';
import { courseLabels, sectionLabel } from '../../render/labels.js';
import type { BookScope } from '../books.js';

/** One EPUB to write: a section on its own, or the whole course. */
export interface BookPlan extends BookScope {
  /** The package identifier: course.yml's for the course, a stable one derived from it per section. */
  identifier: string;
  title: string;
  subtitle: string;
  description: string;
}

/** File names of a book's documents inside the EPUB (all beside content.opf). */
export const chapterFiles = {
  cover: 'cover.xhtml',
  /** epub-gen-memory writes the navigation document under this name. */
  nav: 'toc.xhtml',
  section: (section: Section): string => `section-${section.number}.xhtml`,
  lesson: (lesson: Lesson): string => `lesson-${lesson.id}.xhtml`,
} as const;

/**
 * A stable identifier for one section's book, derived from the course's: a name-based UUID, so it
 * never changes between builds and never collides with the course book's.
 * @param course the course
 * @param section the section
 */
export function sectionIdentifier(course: Course, section: Section): string {
  return titleIdentifier(`${course.config.identifier}#section-${section.number}`);
}

/**
 * What an EPUB says of itself: its identifier, title, subtitle and description.
 * @param course the checked course
 * @param book one of the course's books (`booksOf`)
 */
export function planBook(course: Course, book: BookScope): BookPlan {
  const { config } = course;
  const labels = courseLabels(course);
  const { section } = book;
  if (section) {
    // dc:description may not be empty; a section without a summary is described by its title.
    return {
      ...book,
      identifier: sectionIdentifier(course, section),
      title: `${sectionLabel(labels, section)} · ${section.title}`,
      subtitle: config.title,
      description: section.summary || `${sectionLabel(labels, section)}: ${section.title}.`,
    };
  }
  return {
    ...book,
    identifier: config.identifier,
    title: config.title,
    subtitle: config.subtitle ?? '',
    description: config.description ?? config.subtitle ?? course.sections.map((candidate) => `${sectionLabel(labels, candidate)}: ${candidate.title}.`).join(' '),
  };
}
