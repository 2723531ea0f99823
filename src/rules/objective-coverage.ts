import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Rule } from './rule.js';

/**
 * `objective-coverage` (off unless course.yml sets it): every objective of a lesson is named by
 * some exercise or quiz of that lesson through `assesses="…"`, so each promise is practised.
 */
export const objectiveCoverageRule: Rule = {
  ids: ['objective-coverage'],
  check(course) {
    const found: Diagnostic[] = [];
    for (const lesson of course.sections.flatMap((section) => section.lessons)) {
      const assessed = new Set([...lesson.practice.exercises, ...lesson.practice.quizzes].flatMap((item) => item.assesses));
      lesson.objectives.forEach((objective, index) => {
        if (assessed.has(index + 1)) return;
        found.push(
          diagnostic(
            'objective-coverage',
            lesson.path,
            lesson.fieldPositions.objectives,
            `Objective ${index + 1} of lesson ${lesson.id} ("${objective}") is not assessed by any exercise or quiz. Add \`assesses="${index + 1}"\` to one that practises it, or add one.`,
          ),
        );
      });
    }
    return found;
  },
};
