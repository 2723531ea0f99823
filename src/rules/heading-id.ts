import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { LessonHeading } from '../model/course.js';
import type { Rule } from './rule.js';

/**
 * `heading-id`: an id written on a heading (`## Semicolons {#semicolon}`) names one heading of its
 * lesson only; a second heading with the same written id would make links to it ambiguous.
 */
export const headingIdRule: Rule = {
  ids: ['heading-id'],
  check(course) {
    const found: Diagnostic[] = [];
    for (const lesson of course.sections.flatMap((section) => section.lessons)) {
      const first = new Map<string, LessonHeading>();
      for (const heading of lesson.headings) {
        if (!heading.explicit) continue;
        const earlier = first.get(heading.id);
        if (!earlier) {
          first.set(heading.id, heading);
          continue;
        }
        found.push(
          diagnostic(
            'heading-id',
            lesson.path,
            heading.position,
            `The id {#${heading.id}} is already given to the heading "${earlier.text}" on line ${earlier.position.line}; links to #${heading.id} cannot tell them apart. Give this heading another id.`,
            {
              related: { file: lesson.path, ...earlier.position },
            },
          ),
        );
      }
    }
    return found;
  },
};
