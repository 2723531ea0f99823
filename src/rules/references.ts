import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Lesson } from '../model/course.js';
import { anchorList, closestAnchors } from './anchor-suggestions.js';
import { anchorSwallowed } from './code-fence.js';
import type { Rule } from './rule.js';

/** Suggests the closest anchors of a lesson (at most three), for a did-you-mean. */
function anchorHint(lesson: Lesson, fragment: string): string {
  const ids = lesson.headings.map((heading) => heading.id);
  const near = closestAnchors(fragment, ids);
  return near.length > 0 ? ` Did you mean ${anchorList(near)}?` : ids.length > 0 ? ` Its anchors: ${ids.slice(0, 6).map((id) => `#${id}`).join(', ')}${ids.length > 6 ? ', …' : ''}.` : '';
}

/**
 * `broken-link`, `missing-asset` and `asset-outside-content`: every link and image resolves,
 * anchors name a heading of their target, and nothing reaches outside the content root.
 */
export const referencesRule: Rule = {
  ids: ['broken-link', 'missing-asset', 'asset-outside-content'],
  check(course) {
    const found: Diagnostic[] = [];
    const lessons = new Map(course.sections.flatMap((section) => section.lessons.map((lesson) => [lesson.path, lesson] as const)));
    for (const lesson of lessons.values()) {
      for (const reference of lesson.references) {
        const { target, position: at, url } = reference;
        if (target.kind === 'outside') {
          found.push(diagnostic('asset-outside-content', lesson.path, at, `\`${url}\` resolves outside the content root; it is never read or published. Move the file inside the content folder.`));
        } else if (target.kind === 'missing') {
          const isPage = reference.type === 'link' && /\.md$/i.test(target.path);
          // A path starting with / is read from the content root, as a site's root-relative link would be.
          const base = url.trim().startsWith('/') ? 'it starts with /, so it is relative to the content root' : 'it is relative to this file';
          found.push(
            isPage
              ? diagnostic('broken-link', lesson.path, at, `Link to \`${url}\`: no lesson ${target.path} exists. Fix the path (${base}).`)
              : diagnostic('missing-asset', lesson.path, at, `\`${url}\` does not exist (looked for ${target.path}). Fix the path (${base}) or add the file.`),
          );
        } else if (target.kind === 'anchor' || (target.kind === 'lesson' && target.fragment !== undefined)) {
          const fragment = target.fragment ?? '';
          const linked = target.kind === 'lesson' ? lessons.get(target.path) : lesson;
          if (!linked || fragment === '' || linked.headings.some((heading) => heading.id === fragment)) continue;
          // A heading swallowed by an unclosed fence is reported once, by code-fence.
          if (anchorSwallowed(linked, fragment)) continue;
          found.push(diagnostic('broken-link', lesson.path, at, `Link to \`${url}\`: ${linked === lesson ? 'this lesson' : `lesson ${linked.id}`} has no heading with anchor #${fragment}.${anchorHint(linked, fragment)}`));
        }
      }
    }
    return found;
  },
};
