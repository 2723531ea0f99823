import { readingTimeLabel } from '../markdown/words.js';
import type { Section } from '../model/course.js';
import { practiceLabel, sectionPracticeMinutes } from './practice-view.js';

/** "Section 4". */
export const sectionLabel = (section: Section): string => `Section ${section.number}`;

/** "11 lessons" or "1 lesson". */
export const lessonCountLabel = (count: number): string => `${count} ${count === 1 ? 'lesson' : 'lessons'}`;

/** "7 min". */
export const minutesLabel = (minutes: number): string => `${minutes} min`;

/** A section's total minutes: the sum of its lessons' declared minutes. */
export const sectionMinutes = (section: Section): number => section.lessons.reduce((sum, lesson) => sum + lesson.minutes, 0);

/** "11 lessons · ~1.7 h reading", and " · 40 min practice" when the section has exercises or quizzes. */
export const sectionTotalLabel = (section: Section): string =>
  [`${lessonCountLabel(section.lessons.length)} · ${readingTimeLabel(sectionMinutes(section))} reading`, practiceLabel(sectionPracticeMinutes(section))].filter(Boolean).join(' · ');

/** "Ada Lovelace and Grace Hopper", "A, B and C". */
export function authorLine(authors: string[]): string {
  if (authors.length <= 1) return authors[0] ?? '';
  return `${authors.slice(0, -1).join(', ')} and ${authors.at(-1)}`;
}
