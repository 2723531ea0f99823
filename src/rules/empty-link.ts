import path from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Rule } from './rule.js';

/**
 * `empty-link`: a link with no text (`[](./02-b.md)`) is invisible: readers have nothing to see or
 * click, and screen readers announce only "link". The message suggests text: the linked lesson's
 * title when it links a lesson.
 */
export const emptyLinkRule: Rule = {
  ids: ['empty-link'],
  check(course) {
    const found: Diagnostic[] = [];
    const titles = new Map(course.sections.flatMap((section) => section.lessons.map((lesson) => [lesson.path, lesson.title] as const)));
    for (const lesson of course.sections.flatMap((section) => section.lessons)) {
      for (const { type, hasText, url, target, position } of lesson.references) {
        if (type !== 'link' || hasText !== false) continue;
        const text = (target.kind === 'lesson' ? titles.get(target.path) : undefined) ?? (path.posix.basename(url.split('#')[0] ?? '') || 'what it leads to');
        found.push(
          diagnostic('empty-link', lesson.path, position, `The link to \`${url}\` has no text, so readers see nothing to click. Write what it leads to between the brackets: [${text}](${url}).`),
        );
      }
    }
    return found;
  },
};
