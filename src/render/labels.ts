import path from 'node:path';
import { loadLabels, type Labels } from '../labels/catalogue.js';
import type { Course, Section } from '../model/course.js';
import { practiceLabel, sectionPracticeMinutes } from './practice-view.js';
import { templateFolders } from './template-folders.js';

const loaded = new WeakMap<Course, Labels>();

/**
 * The labels of a course: its language's catalogue (from its own `templates/labels/` first, then
 * the built-in one), English for any key the language lacks, and course.yml's `labels` on top.
 * @param course the course
 */
export function courseLabels(course: Course): Labels {
  let labels = loaded.get(course);
  if (!labels) {
    const folders = templateFolders(course).map((folder) => path.join(folder, 'labels'));
    loaded.set(course, (labels = loadLabels(course.config.language, folders, course.config.labels)));
  }
  return labels;
}

/** "Section 4". */
export const sectionLabel = (labels: Labels, section: Section): string => labels.format('section', { number: section.number });

/** "11 lessons" or "1 lesson". */
export const lessonCountLabel = (labels: Labels, count: number): string => labels.format('lessonCount', { count });

/** "7 min". */
export const minutesLabel = (labels: Labels, minutes: number): string => labels.format('minutes', { minutes });

/** A section's total minutes: the sum of its lessons' declared minutes. */
export const sectionMinutes = (section: Section): number => section.lessons.reduce((sum, lesson) => sum + lesson.minutes, 0);

/** "11 lessons · ~1.7 h reading". */
export const totalsLabel = (labels: Labels, lessons: number, minutes: number): string => labels.format('totals', { lessons: lessonCountLabel(labels, lessons), time: labels.readingTime(minutes) });

/** A section's "11 lessons · ~1.7 h reading", and " · 40 min practice" when it has exercises or quizzes. */
export const sectionTotalLabel = (labels: Labels, section: Section): string =>
  [totalsLabel(labels, section.lessons.length, sectionMinutes(section)), practiceLabel(labels, sectionPracticeMinutes(section))].filter(Boolean).join(' · ');

/**
 * "Ada Lovelace and Grace Hopper", "A, B and C", in the course's language.
 * @param labels the course's labels (for the language)
 * @param authors names in order
 */
export function authorLine(labels: Labels, authors: string[]): string {
  return new Intl.ListFormat(labels.language, { type: 'conjunction' }).format(authors);
}
