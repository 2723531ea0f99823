import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Rule } from './rule.js';

/**
 * `heading-structure`: the title is the lesson's h1, so the body starts at h2, has no h1, and
 * never skips a level going down (h2 → h4).
 */
export const headingStructureRule: Rule = {
  ids: ['heading-structure'],
  check(course) {
    const found: Diagnostic[] = [];
    for (const section of course.sections) {
      for (const lesson of section.lessons) {
        let previous = 1;
        for (const heading of lesson.headings) {
          if (heading.depth === 1) {
            found.push(
              diagnostic('heading-structure', lesson.path, heading.position, `The lesson body has an h1 ("${heading.text}"); the title comes from the frontmatter. Make it \`##\` or remove it.`),
            );
          } else if (heading.depth > previous + 1) {
            found.push(diagnostic('heading-structure', lesson.path, heading.position, `Heading "${heading.text}" is h${heading.depth} after h${previous}: a level is skipped. Use h${previous + 1}.`));
          }
          previous = heading.depth;
        }
      }
    }
    return found;
  },
};
