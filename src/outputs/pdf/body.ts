import type { Element, ElementContent, Root as HastRoot } from 'hast';
import { visit, SKIP } from 'unist-util-visit';
import type { Body, Course, Lesson } from '../../model/course.js';
import { rewriteLinks, type LinkPolicy } from '../../render/links.js';
import { assetLinkTarget, innerAnchor } from './book.js';
import { readableOn } from '../../render/contrast.js';

/**
 * The background print.css gives code blocks; syntax colours are made readable against it.
 * Note: keep in step with `pre` in templates/print/print.css.
 */
export const codeBackground = '#f6f7f8';

const headingLevel = /^h([1-6])$/;

/**
 * Moves a heading element down by some levels, at most to h6; other elements are left alone.
 * @param node any element
 * @param levels how many levels down
 */
export function demoteHeading(node: Element, levels: number): void {
  const level = headingLevel.exec(node.tagName)?.[1];
  if (level) node.tagName = `h${Math.min(6, Number(level) + levels)}`;
}

const idListProperties = ['ariaDescribedBy', 'ariaLabelledBy'] as const;
/** A link relative to the source file, which only a web page beside it could follow. */
const isRelative = (href: string): boolean => !href.startsWith('#') && !/^[a-z][a-z0-9+.-]*:/i.test(href);

const unlinked = (node: Element): Element => ({ type: 'element', tagName: 'span', properties: { className: ['unlinked'] }, children: node.children });

/** Darkens the inline colour of a highlighted code element when it is too light to read on paper. */
function readableCodeColour(node: Element): void {
  const style = node.properties.style;
  if (typeof style !== 'string') return;
  node.properties.style = style.replace(/(^|;)color:(#[0-9a-f]{6}|#[0-9a-f]{3})\b/i, (_, lead: string, colour: string) => `${lead}color:${readableOn(colour, codeBackground)}`);
}

/** Where a long code word may break: after . / _ - : and between a lower-case letter and a capital. */
const codeBreak = /(?<=[./_:-])(?=[^./_:-])|(?<=[a-z])(?=[A-Z])/;

/**
 * Lets long inline code break across lines at its natural joints (`<wbr>`, no hyphen and nothing
 * in the copied text). Justified lines otherwise stretch around an identifier that cannot move,
 * such as `requiredDuringSchedulingIgnoredDuringExecution`.
 */
function breakableCode(code: Element): void {
  code.children = code.children.flatMap((child): ElementContent[] => {
    if (child.type !== 'text' || child.value.length < 16) return [child];
    return child.value
      .split(codeBreak)
      .flatMap((part, at): ElementContent[] => [...(at > 0 ? [{ type: 'element', tagName: 'wbr', properties: {}, children: [] } as Element] : []), { type: 'text', value: part }]);
  });
}

/**
 * Fits a body, in place, into a book that holds many lessons: every id outside diagrams gets the
 * lesson's prefix (footnote links and ARIA references follow), headings move down to nest under
 * the title above them, the dark copy of each diagram goes (paper has no dark mode), links to local
 * files become site links or text, code colours are darkened for paper, and long inline code may
 * break.
 * @param body a clone of a rendered body, links already rewritten
 * @param course the course (for `baseUrl`)
 * @param prefix the lesson's or section's anchor
 * @param levels how many levels its headings move down
 */
function fitBody(body: HastRoot, course: Course, prefix: string, levels: number): HastRoot {
  visit(body, 'element', (node, index, parent) => {
    const classes = (node.properties.className as string[] | undefined) ?? [];
    if (node.tagName === 'svg') {
      if (classes.includes('diagram-dark') && parent && index !== undefined) {
        parent.children.splice(index, 1);
        return [SKIP, index];
      }
      // Diagram ids belong to the SVG's own styles and markers, which mermaid scopes by the diagram's id.
      return SKIP;
    }
    demoteHeading(node, levels);
    if (typeof node.properties.id === 'string') node.properties.id = innerAnchor(prefix, node.properties.id);
    for (const property of idListProperties) {
      const ids = node.properties[property];
      if (Array.isArray(ids)) node.properties[property] = ids.map((id) => innerAnchor(prefix, String(id)));
    }
    if (node.tagName === 'a' && typeof node.properties.href === 'string') {
      let href = node.properties.href;
      if (href.startsWith('#user-content-')) href = `#${innerAnchor(prefix, href.slice(1))}`;
      const target = href.startsWith('file:') ? assetLinkTarget(course, href) : isRelative(href) ? null : href;
      if (target === null && parent && index !== undefined) {
        parent.children[index] = unlinked(node);
        return [SKIP, index];
      }
      node.properties.href = target ?? href;
    }
    // Shiki's colours are inline styles on the block and its spans (its class list is a `class` string).
    if (node.tagName === 'pre') {
      visit(node, 'element', readableCodeColour);
      return SKIP;
    }
    if (node.tagName === 'code') breakableCode(node);
    return undefined;
  });
  return body;
}

/**
 * A lesson's body as one book prints it: a clone of the shared body, with the book's links. Its
 * headings go one level down, under the lesson title (an h2 in a book whose sections are h1).
 * @param body the shared rendered body (not modified)
 * @param lesson the lesson
 * @param course the course
 * @param policy the book's link policy for this lesson
 * @param prefix the lesson's anchor
 */
export function printLessonBody(body: HastRoot, lesson: Lesson, course: Course, policy: LinkPolicy, prefix: string): HastRoot {
  return fitBody(rewriteLinks(structuredClone(body), lesson, policy), course, prefix, 1);
}

/**
 * A section introduction as one book prints it, with the book's links, like a lesson's. Its
 * headings keep their levels: they sit under the section title, beside the lessons.
 * @param intro the rendered introduction (not modified)
 * @param source the introduction, whose resolved references say what each URL is
 * @param course the course
 * @param policy the book's link policy for this section
 * @param prefix the section's anchor
 */
export function printIntro(intro: HastRoot, source: Body, course: Course, policy: LinkPolicy, prefix: string): HastRoot {
  return fitBody(rewriteLinks(structuredClone(intro), source, policy), course, prefix, 0);
}
