import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Rule } from './rule.js';

/** `image-alt`: every image of a lesson or section introduction needs alt text for screen readers and EPUB accessibility. */
export const imageAltRule: Rule = {
  ids: ['image-alt'],
  check(course) {
    const found: Diagnostic[] = [];
    for (const section of course.sections) {
      for (const body of [...(section.intro ? [section.intro] : []), ...section.lessons]) {
        for (const reference of body.references) {
          if (reference.type !== 'image' || (reference.alt ?? '').trim() !== '') continue;
          found.push(diagnostic('image-alt', body.path, reference.position, `Image \`${reference.url}\` has no alt text. Describe it: ![what the image shows](${reference.url}).`));
        }
      }
    }
    return found;
  },
};
