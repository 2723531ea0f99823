import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Lesson } from '../model/course.js';
import type { Rule } from './rule.js';

/**
 * `prerequisite-order`: every lesson a lesson `requires` exists and comes before it in the course,
 * so a reader going front to back has always read it. A lesson that requires itself, or requires
 * that loop back to it, form a cycle, which is reported at each lesson of the loop.
 */
export const prerequisiteOrderRule: Rule = {
  ids: ['prerequisite-order'],
  check(course) {
    const found: Diagnostic[] = [];
    const lessons = course.sections.flatMap((section) => section.lessons);
    const order = new Map(lessons.map((lesson, index) => [lesson.id, index]));
    const byId = new Map(lessons.map((lesson) => [lesson.id, lesson]));
    const cycleOf = (start: Lesson): string[] | undefined => {
      // Depth-first from `start` along requires; a path back to it is a cycle.
      const path: string[] = [];
      const seen = new Set<string>();
      const walk = (lesson: Lesson): boolean => {
        for (const id of lesson.requires) {
          if (id === start.id) return path.push(id) > 0;
          const next = byId.get(id);
          if (!next || seen.has(id)) continue;
          seen.add(id);
          path.push(id);
          if (walk(next)) return true;
          path.pop();
        }
        return false;
      };
      return walk(start) ? [start.id, ...path] : undefined;
    };
    for (const [index, lesson] of lessons.entries()) {
      const at = lesson.fieldPositions.requires;
      const cycle = cycleOf(lesson);
      if (cycle) {
        found.push(diagnostic('prerequisite-order', lesson.path, at, `Lesson ${lesson.id}'s prerequisites form a cycle: ${cycle.join(' → ')}. Remove one of these \`requires\`.`));
        continue;
      }
      for (const id of lesson.requires) {
        const position = order.get(id);
        if (position === undefined) {
          found.push(diagnostic('prerequisite-order', lesson.path, at, `Lesson ${lesson.id} requires lesson ${id}, which does not exist. Fix the number in \`requires\`.`));
        } else if (position > index) {
          found.push(diagnostic('prerequisite-order', lesson.path, at, `Lesson ${lesson.id} requires lesson ${id}, which comes later in the course. Require an earlier lesson, or move the lessons.`));
        }
      }
    }
    return found;
  },
};
