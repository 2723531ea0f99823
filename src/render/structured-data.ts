import type { Course as SchemaCourse, LearningResource, Person, WithContext } from 'schema-dts';
import type { Course, Lesson, Section } from '../model/course.js';
import { outputPaths } from './paths.js';

/** Turns an output path into the URL a document uses: page-relative on the site, absolute or site-relative in the API. */
export type UrlOf = (outputPath: string) => string;

const people = (names: string[]): Person[] => names.map((name) => ({ '@type': 'Person', name }));

/** An ISO 8601 duration of whole minutes ("PT7M"). */
export const isoMinutes = (minutes: number): string => `PT${minutes}M`;

/** The course as a schema.org reference, for `isPartOf`. */
function courseReference(course: Course, url: UrlOf): SchemaCourse {
  return { '@type': 'Course', '@id': url(outputPaths.home), name: course.config.title };
}

/** A section as a schema.org reference, for `hasPart` and `isPartOf`. */
function sectionReference(section: Section, url: UrlOf): SchemaCourse {
  return { '@type': 'Course', '@id': url(outputPaths.section(section)), name: section.title, url: url(outputPaths.section(section)), position: section.number };
}

/**
 * The home page's schema.org data: a `Course` with its sections as `hasPart`.
 * @param course the course
 * @param url how this document addresses published pages
 */
export function courseStructuredData(course: Course, url: UrlOf): WithContext<SchemaCourse> {
  const { config } = course;
  return {
    '@context': 'https://schema.org',
    '@type': 'Course',
    '@id': url(outputPaths.home),
    url: url(outputPaths.home),
    name: config.title,
    ...(config.description || config.subtitle ? { description: config.description ?? config.subtitle } : {}),
    inLanguage: config.language,
    identifier: config.identifier,
    ...(config.authors.length ? { author: people(config.authors), provider: people(config.authors) } : {}),
    timeRequired: isoMinutes(course.sections.reduce((sum, section) => sum + section.lessons.reduce((total, lesson) => total + lesson.minutes, 0), 0)),
    hasPart: course.sections.map((section) => sectionReference(section, url)),
  };
}

/**
 * A section page's schema.org data: a `Course` that is part of the course, with its lessons as `hasPart`.
 * @param course the course
 * @param section the section
 * @param url how this document addresses published pages
 */
export function sectionStructuredData(course: Course, section: Section, url: UrlOf): WithContext<SchemaCourse> {
  return {
    '@context': 'https://schema.org',
    ...sectionReference(section, url),
    description: section.summary,
    inLanguage: course.config.language,
    timeRequired: isoMinutes(section.lessons.reduce((total, lesson) => total + lesson.minutes, 0)),
    isPartOf: courseReference(course, url),
    hasPart: section.lessons.map((lesson): LearningResource => ({ '@type': 'LearningResource', '@id': url(outputPaths.lesson(lesson)), name: lesson.title, position: lesson.lessonNumber })),
  };
}

/**
 * A lesson page's schema.org data: a `LearningResource` with its reading time, what it teaches,
 * its language, its section and its position there.
 * @param course the course
 * @param section the lesson's section
 * @param lesson the lesson
 * @param url how this document addresses published pages
 */
export function lessonStructuredData(course: Course, section: Section, lesson: Lesson, url: UrlOf): WithContext<LearningResource> {
  return {
    '@context': 'https://schema.org',
    '@type': 'LearningResource',
    '@id': url(outputPaths.lesson(lesson)),
    url: url(outputPaths.lesson(lesson)),
    name: lesson.title,
    description: lesson.summary,
    identifier: lesson.id,
    learningResourceType: 'lesson',
    timeRequired: isoMinutes(lesson.minutes),
    ...(lesson.objectives.length ? { teaches: lesson.objectives } : {}),
    inLanguage: course.config.language,
    isPartOf: sectionReference(section, url),
    position: lesson.lessonNumber,
    ...(course.config.authors.length ? { author: people(course.config.authors) } : {}),
  };
}

/**
 * JSON-LD for a `<script type="application/ld+json">`: `<` is escaped so that no text in it can
 * close the script element.
 * @param data the schema.org data
 */
export function jsonLdText(data: object): string {
  return JSON.stringify(data).replace(/</g, '\\u003c');
}
