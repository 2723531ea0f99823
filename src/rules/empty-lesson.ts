import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Rule } from './rule.js';

/** `empty-lesson`: a lesson must have a body beyond its frontmatter (comments alone do not count). */
export const emptyLessonRule: Rule = {
  ids: ['empty-lesson'],
  check(course) {
    const found: Diagnostic[] = [];
    for (const section of course.sections) {
      for (const lesson of section.lessons) {
        if (!lesson.isEmpty) continue;
        found.push(diagnostic('empty-lesson', lesson.path, { line: lesson.endLine, column: 1 }, `Lesson ${lesson.id} has no text. Write the lesson below the frontmatter.`));
      }
    }
    return found;
  },
};
