import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Rule } from './rule.js';

/** `image-alt`: every image needs alt text for screen readers and EPUB accessibility. */
export const imageAltRule: Rule = {
  ids: ['image-alt'],
  check(course) {
    const found: Diagnostic[] = [];
    for (const section of course.sections) {
      for (const lesson of section.lessons) {
        for (const reference of lesson.references) {
          if (reference.type !== 'image' || (reference.alt ?? '').trim() !== '') continue;
          found.push(diagnostic('image-alt', lesson.path, reference.position, `Image \`${reference.url}\` has no alt text. Describe it: ![what the image shows](${reference.url}).`));
        }
      }
    }
    return found;
  },
};
