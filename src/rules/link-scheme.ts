import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Rule } from './rule.js';

/** Schemes that are removed for safety rather than for being unknown. */
const unsafe = new Set(['javascript', 'vbscript', 'data']);

/**
 * `link-scheme`: a link or image whose scheme no browser or reader resolves (anything but http,
 * https, mailto and tel, unless course.yml's `linkSchemes` maps it to a URL prefix). Every output
 * shows such a link as its text, never as a link that goes nowhere.
 */
export const linkSchemeRule: Rule = {
  ids: ['link-scheme'],
  check(course) {
    const found: Diagnostic[] = [];
    for (const lesson of course.sections.flatMap((section) => section.lessons)) {
      for (const { target, url, position, type } of lesson.references) {
        if (target.kind !== 'scheme') continue;
        const what = type === 'image' ? 'Image' : 'Link';
        const shown = type === 'image' ? 'it is left out' : 'it is shown as plain text';
        const message = unsafe.has(target.scheme)
          ? `${what} \`${url}\` uses the scheme \`${target.scheme}:\`, which is never published because it can run code or hide content, so ${shown}. Link to a page, or to a file of the course.`
          : `${what} \`${url}\` uses the scheme \`${target.scheme}:\`, which no browser or reader can follow, so ${shown}. Write the full https:// URL, or map the scheme to a URL prefix in course.yml: \`linkSchemes: { ${target.scheme}: "https://…/" }\`.`;
        found.push(diagnostic('link-scheme', lesson.path, position, message));
      }
    }
    return found;
  },
};
