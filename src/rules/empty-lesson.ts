import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Rule } from './rule.js';

/** `empty-lesson`: a lesson must have a body beyond its frontmatter (comments alone do not count). */
export const emptyLessonRule: Rule = {
  ids: ['empty-lesson'],
  check(course) {
    const found: Diagnostic[] = [];
    for (const section of course.sections) {
      for (const lesson of section.lessons) {
        const body = lesson.tree.children.filter((node) => node.type !== 'yaml' && !(node.type === 'html' && /^\s*<!--[\s\S]*-->\s*$/.test(node.value)));
        if (body.length > 0) continue;
        const end = lesson.tree.position?.end;
        found.push(diagnostic('empty-lesson', lesson.path, end ? { line: end.line, column: 1 } : undefined, `Lesson ${lesson.id} has no text. Write the lesson below the frontmatter.`));
      }
    }
    return found;
  },
};
