import type { Element, ElementContent, Root as HastRoot, RootContent } from 'hast';
import { normalizeUri } from 'micromark-util-sanitize-uri';
import { visit } from 'unist-util-visit';
import { readableSchemes } from '../load/references.js';
import type { Body, ReferenceTarget } from '../model/course.js';

/** How a medium addresses the things a lesson links to. `null` turns a link into plain text. */
export interface LinkPolicy {
  lesson(targetPath: string, fragment: string | undefined): string | null;
  section(sectionPath: string, fragment: string | undefined): string | null;
  /** An in-page anchor of the lesson being rendered. */
  anchor(fragment: string): string;
  asset(assetPath: string): string | null;
  external(url: string): string | null;
}

const unsafeScheme = /^\s*(javascript|vbscript|data):/i;
const anyScheme = /^\s*([a-z][a-z0-9+.-]*):/i;

/** Whether a URL found in no reference (raw HTML) can be kept: relative, or with a scheme readers follow. */
function followable(url: string): boolean {
  const scheme = anyScheme.exec(url)?.[1]?.toLowerCase();
  return scheme === undefined || readableSchemes.has(scheme);
}

/** Link text without its link, keeping an id that links may point at. */
function unlinked(node: Element): Element {
  const properties: Element['properties'] = { className: ['unlinked'] };
  if (node.properties.id !== undefined) properties.id = node.properties.id;
  return { type: 'element', tagName: 'span', properties, children: node.children as ElementContent[] };
}

/**
 * Turns every `<a>` without an `href` into its text, in place: a link the sanitiser took the
 * address from (an unknown scheme in raw HTML or Markdown) must not look like a link that goes nowhere.
 * @param body a rendered body
 */
export function unlinkBareAnchors<T extends HastRoot>(body: T): T {
  visit(body, 'element', (node: Element, index, parent) => {
    if (node.tagName === 'a' && typeof node.properties.href !== 'string' && parent && index !== undefined) parent.children[index] = unlinked(node);
  });
  return body;
}

/**
 * Targets of a lesson's references by URL, both as written and as mdast-util-to-hast encodes it
 * (`#überblick` becomes `#%C3%BCberblick` in the href), since one URL in one file resolves one way.
 */
function targetsByUrl(source: Body): Map<string, ReferenceTarget> {
  const targets = new Map<string, ReferenceTarget>();
  for (const reference of source.references) {
    targets.set(reference.url, reference.target);
    targets.set(normalizeUri(reference.url), reference.target);
    // A scheme course.yml maps reaches the tree already rewritten (see applyLinkSchemes).
    if (reference.target.kind === 'external') targets.set(normalizeUri(reference.target.url), reference.target);
  }
  return targets;
}

function hrefFor(target: ReferenceTarget | undefined, url: string, policy: LinkPolicy): string | null {
  if (!target) return followable(url) ? url : null;
  switch (target.kind) {
    case 'external':
      return unsafeScheme.test(target.url) ? null : policy.external(target.url);
    case 'anchor':
      return policy.anchor(target.fragment);
    case 'lesson':
      return policy.lesson(target.path, target.fragment);
    case 'section':
      return policy.section(target.path, target.fragment);
    case 'asset':
      return policy.asset(target.path);
    default:
      return null;
  }
}

/**
 * Rewrites a rendered body's links and image sources for one medium, in place: lesson source paths
 * become page (or chapter) addresses, assets their published paths. Links a medium cannot serve
 * become plain text, and so do links with a scheme no reader follows (only http, https, mailto and
 * tel survive); `javascript:`, `vbscript:` and `data:` links never survive.
 * @param body a clone of the neutral body of a lesson or section introduction, or its `copyForLinks`
 * @param source the lesson or introduction, whose resolved references say what each URL is
 * @param policy the medium's addressing
 */
export function rewriteLinks(body: HastRoot, source: Body, policy: LinkPolicy): HastRoot {
  const targets = targetsByUrl(source);
  visit(body, 'element', (node: Element, index, parent) => {
    if (node.tagName === 'a' && typeof node.properties.href === 'string') {
      const href = node.properties.href;
      if (href.startsWith('#user-content-')) return;
      const rewritten = hrefFor(targets.get(href), href, policy);
      if (rewritten === null && parent && index !== undefined) {
        parent.children[index] = unlinked(node);
        return;
      }
      node.properties.href = rewritten ?? href;
      if (targets.get(href)?.kind === 'external') node.properties.rel = ['noopener'];
    }
    if (node.tagName === 'img' && typeof node.properties.src === 'string') {
      const src = node.properties.src;
      const target = targets.get(src);
      const rewritten = target?.kind === 'asset' ? policy.asset(target.path) : hrefFor(target, src, policy);
      if (rewritten === null) delete node.properties.src;
      else node.properties.src = rewritten;
    }
  });
  return body;
}

/** A copy of a node and the ancestors of its links and images, or undefined when it has none. */
function copyLinked<T extends HastRoot | Element>(node: T): T | undefined {
  let children: RootContent[] | undefined;
  node.children.forEach((child, index) => {
    if (child.type !== 'element') return;
    const copy = copyLinked(child);
    if (!copy) return;
    children ??= [...node.children];
    children[index] = copy;
  });
  const linking = node.type === 'element' && (node.tagName === 'a' || node.tagName === 'img');
  if (!children && !linking) return undefined;
  const copy = { ...node, children: children ?? [...node.children] };
  if (node.type === 'element') (copy as Element).properties = { ...node.properties };
  return copy as T;
}

/**
 * A copy of a shared body for `rewriteLinks`, which changes only links, images and their parents'
 * lists of children: those are copied, and every other subtree is the shared body's own.
 * Note: cheaper than a structuredClone of a body full of highlighted code, but the copy must only
 * be read (serialised, searched) once its links are rewritten; clone the body for any other change.
 * @param body a shared body (see CourseRenderer)
 */
export function copyForLinks(body: HastRoot): HastRoot {
  return copyLinked(body) ?? { ...body, children: [...body.children] };
}

/**
 * A relative URL from one published file to another, both given relative to the output root.
 * @param from the file that links
 * @param to the file linked to
 */
export function relativeUrl(from: string, to: string): string {
  const fromParts = from.split('/').slice(0, -1);
  const toParts = to.split('/');
  let shared = 0;
  while (shared < fromParts.length && shared < toParts.length - 1 && fromParts[shared] === toParts[shared]) shared++;
  const up = fromParts.length - shared;
  return [...Array<string>(up).fill('..'), ...toParts.slice(shared)].map(encodeURIComponentPath).join('/');
}

/** Encodes one path segment for a URL, keeping the characters that are safe in paths. */
function encodeURIComponentPath(segment: string): string {
  return segment === '..' ? segment : encodeURIComponent(segment).replace(/%40/g, '@');
}
