import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Body, Lesson } from '../model/course.js';
import { anchorList, closestAnchors } from './anchor-suggestions.js';
import { anchorSwallowed } from './code-fence.js';
import type { Rule } from './rule.js';

/** Every anchor a lesson or introduction has: its headings', then its exercises' and quizzes'. */
export function lessonAnchors(body: Body): string[] {
  const practice = (body as Partial<Lesson>).practice;
  return [...body.headings.map((heading) => heading.id), ...(practice?.exercises.map((exercise) => exercise.id) ?? []), ...(practice?.quizzes.map((quiz) => quiz.id) ?? [])];
}

/** Suggests the closest anchors of a body (at most three), for a did-you-mean. */
function anchorHint(body: Body, fragment: string): string {
  const ids = lessonAnchors(body);
  const near = closestAnchors(fragment, ids);
  return near.length > 0
    ? ` Did you mean ${anchorList(near)}?`
    : ids.length > 0
      ? ` Its anchors: ${ids
          .slice(0, 6)
          .map((id) => `#${id}`)
          .join(', ')}${ids.length > 6 ? ', …' : ''}.`
      : '';
}

/**
 * `broken-link`, `missing-asset` and `asset-outside-content`: every link and image of every lesson
 * and section introduction resolves, anchors name a heading, exercise or quiz of their target, and
 * nothing reaches outside the content root.
 */
export const referencesRule: Rule = {
  ids: ['broken-link', 'missing-asset', 'asset-outside-content'],
  check(course) {
    const found: Diagnostic[] = [];
    const lessons = new Map<string, Lesson>(course.sections.flatMap((section) => section.lessons.map((lesson) => [lesson.path, lesson] as const)));
    const intros = new Map(course.sections.map((section) => [section.path, section.intro] as const));
    const bodies: Body[] = course.sections.flatMap((section) => [...(section.intro ? [section.intro] : []), ...section.lessons]);
    const what = (body: Body): string => (lessons.has(body.path) ? `lesson ${lessons.get(body.path)!.id}` : `section ${body.path}`);
    for (const lesson of bodies) {
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
        } else if (target.kind === 'anchor' || ((target.kind === 'lesson' || target.kind === 'section') && target.fragment !== undefined)) {
          const fragment = target.fragment ?? '';
          const linked: Body | undefined = target.kind === 'lesson' ? lessons.get(target.path) : target.kind === 'section' ? intros.get(target.path) : lesson;
          if (target.kind === 'section' && !linked && fragment !== '') {
            found.push(diagnostic('broken-link', lesson.path, at, `Link to \`${url}\`: ${target.path} has no introduction, so it has no anchor #${fragment}. Link to the section without the anchor.`));
            continue;
          }
          if (!linked || fragment === '' || lessonAnchors(linked).includes(fragment)) continue;
          // A heading swallowed by an unclosed fence is reported once, by code-fence.
          if (lessons.has(linked.path) && anchorSwallowed(linked as Lesson, fragment)) continue;
          const self = linked === lesson ? (lessons.has(lesson.path) ? 'this lesson' : 'this section') : what(linked);
          found.push(diagnostic('broken-link', lesson.path, at, `Link to \`${url}\`: ${self} has no heading with anchor #${fragment}.${anchorHint(linked, fragment)}`));
        }
      }
    }
    return found;
  },
};
