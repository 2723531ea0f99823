import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Rule } from './rule.js';

/**
 * `lesson-number`: each lesson's number names its own section, is unique, and the numbers run
 * 1, 2, 3… in file order, matching each file's NN- prefix.
 */
export const lessonNumberRule: Rule = {
  ids: ['lesson-number'],
  check(course) {
    const found: Diagnostic[] = [];
    for (const section of course.sections) {
      const seen = new Map<number, { path: string; at: { line: number; column: number } }>();
      let expected = 1;
      for (const lesson of section.lessons) {
        const at = lesson.fieldPositions.lesson;
        if (lesson.declaredSection !== section.number) {
          found.push(diagnostic('lesson-number', lesson.path, at, `Lesson ${lesson.id} is in section ${section.number}; number it ${section.number}.${lesson.lessonNumber}.`));
        }
        const first = seen.get(lesson.lessonNumber);
        if (first !== undefined) {
          found.push(
            diagnostic('lesson-number', lesson.path, at, `Lesson number ${lesson.id} is already used by ${first.path}. Renumber one of them.`, { related: { file: first.path, ...first.at } }),
          );
          continue;
        }
        seen.set(lesson.lessonNumber, { path: lesson.path, at: lesson.fieldPositions.lesson ?? { line: 1, column: 1 } });
        if (lesson.filePosition === undefined) {
          found.push(diagnostic('lesson-number', lesson.path, at, `File name has no position prefix. Rename it to \`${String(lesson.lessonNumber).padStart(2, '0')}-${lesson.slug}.md\`.`));
        } else if (lesson.filePosition !== lesson.lessonNumber) {
          found.push(
            diagnostic(
              'lesson-number',
              lesson.path,
              at,
              `Lesson ${lesson.id} is in file position ${lesson.filePosition}. Rename the file to \`${String(lesson.lessonNumber).padStart(2, '0')}-${lesson.slug}.md\` or fix \`lesson\`.`,
            ),
          );
        }
        if (lesson.lessonNumber < expected) {
          found.push(diagnostic('lesson-number', lesson.path, at, `Lesson ${lesson.id} comes after lesson ${section.number}.${expected - 1} in file order: numbers must go up.`));
        } else if (lesson.lessonNumber > expected) {
          const missing = expected === lesson.lessonNumber - 1 ? `Lesson ${section.number}.${expected} is` : `Lessons ${section.number}.${expected}–${section.number}.${lesson.lessonNumber - 1} are`;
          found.push(diagnostic('lesson-number', lesson.path, at, `${missing} missing before ${lesson.id}. Number lessons 1, 2, 3… without gaps.`));
        }
        expected = Math.max(expected, lesson.lessonNumber + 1);
      }
    }
    return found;
  },
};
