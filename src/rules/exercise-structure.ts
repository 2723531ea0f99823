import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Rule } from './rule.js';

/**
 * `exercise-structure`, across a lesson: an exercise or quiz id must not repeat another exercise's,
 * quiz's or heading's anchor in the same lesson (links could not tell them apart), and `assesses`
 * must name objectives the lesson declares. Malformed exercises are reported while parsing
 * (markdown/directives.ts).
 */
export const exerciseStructureRule: Rule = {
  ids: ['exercise-structure'],
  check(course) {
    const found: Diagnostic[] = [];
    for (const lesson of course.sections.flatMap((section) => section.lessons)) {
      const taken = new Set(lesson.headings.map((heading) => heading.id));
      const items = [...lesson.practice.exercises.map((item) => ({ ...item, kind: 'exercise' })), ...lesson.practice.quizzes.map((item) => ({ ...item, kind: 'quiz' }))].sort(
        (a, b) => a.line.line - b.line.line,
      );
      for (const item of items) {
        if (taken.has(item.id)) {
          found.push(
            diagnostic(
              'exercise-structure',
              lesson.path,
              item.line,
              `The ${item.kind} id #${item.id} is already an anchor of this lesson (a heading, exercise or quiz). Give it another id: \`{#another-id}\`.`,
            ),
          );
        }
        taken.add(item.id);
        const missing = item.assesses.filter((number) => number > lesson.objectives.length);
        if (missing.length > 0) {
          const has = lesson.objectives.length === 0 ? 'declares no `objectives`' : `declares ${lesson.objectives.length} objective${lesson.objectives.length === 1 ? '' : 's'}`;
          found.push(
            diagnostic(
              'exercise-structure',
              lesson.path,
              item.line,
              `This ${item.kind} assesses objective ${missing.join(', ')}, but lesson ${lesson.id} ${has}. Number the lesson's \`objectives\` from 1.`,
            ),
          );
        }
      }
    }
    return found;
  },
};
