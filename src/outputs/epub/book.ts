import { titleIdentifier } from '../../config/load.js';
import type { Course, Lesson, Section } from '../../model/course.js';
import { courseLabels, sectionLabel } from '../../render/labels.js';
import { outputPaths } from '../../render/paths.js';

/** One EPUB to write: a section on its own, or the whole course. */
export interface BookPlan {
  /** Where the book is published, from `outputPaths`. */
  file: string;
  /** The section, for a one-section book. */
  section?: Section;
  /** The sections the book holds, in course order. */
  sections: Section[];
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
 * The books a build writes: one per section, then one for the whole course.
 * @param course the checked course
 */
export function planBooks(course: Course): BookPlan[] {
  const { config } = course;
  const labels = courseLabels(course);
  const sectionBooks = course.sections.map(
    (section): BookPlan => ({
      file: outputPaths.sectionEpub(section),
      section,
      sections: [section],
      identifier: sectionIdentifier(course, section),
      title: `${sectionLabel(labels, section)} · ${section.title}`,
      subtitle: config.title,
      description: section.summary,
    }),
  );
  const courseBook: BookPlan = {
    file: outputPaths.courseEpub(course),
    sections: course.sections,
    identifier: config.identifier,
    title: config.title,
    subtitle: config.subtitle ?? '',
    description: config.description ?? config.subtitle ?? course.sections.map((section) => `${sectionLabel(labels, section)}: ${section.title}.`).join(' '),
  };
  return [...sectionBooks, courseBook];
}
