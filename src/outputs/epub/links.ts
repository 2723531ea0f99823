import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Element, ElementContent, Root as HastRoot } from 'hast';
import { visit } from 'unist-util-visit';
import { safeDecode } from '../../shared/paths.js';
import type { Body, Course } from '../../model/course.js';
import type { LinkPolicy } from '../../render/links.js';
import { outputPaths, publicUrl } from '../../render/paths.js';
import { indexCourse } from '../../render/site-links.js';
import { chapterFiles, type BookPlan } from './book.js';

/** Image types every EPUB reader must show (EPUB 3 core media types), by file extension. */
export const coreImageTypes: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
};

const text = (value: string): ElementContent => ({ type: 'text', value });

/** Link text without its link, as rewriteLinks leaves a link a medium cannot serve. */
function unlinked(node: Element): Element {
  return { type: 'element', tagName: 'span', properties: { className: ['unlinked'] }, children: node.children };
}

const withFragment = (url: string, fragment: string | undefined): string => (fragment ? `${url}#${encodeURIComponent(fragment)}` : url);
const schemePattern = /^[a-z][a-z0-9+.-]*:/i;

/**
 * Links for one book: lessons and sections in the book are its chapters; those outside it go to
 * their web pages when course.yml sets `baseUrl`, else become plain text. Assets are file:// URLs,
 * which epub-gen-memory reads images from (links to assets are settled by `settleReferences`).
 * @param course the course
 * @param book the book being written
 */
export function epubLinkPolicy(course: Course, book: BookPlan): LinkPolicy {
  const { lessons, sections } = indexCourse(course);
  const inBook = new Set(book.sections);
  const sectionOf = new Map(course.sections.flatMap((section) => section.lessons.map((lesson) => [lesson.path, section] as const)));
  const web = (outputPath: string, fragment: string | undefined): string | null => (course.config.baseUrl ? withFragment(publicUrl(course, outputPath), fragment) : null);
  return {
    lesson: (targetPath, fragment) => {
      const lesson = lessons.get(targetPath);
      const section = sectionOf.get(targetPath);
      if (!lesson || !section) return null;
      return inBook.has(section) ? withFragment(chapterFiles.lesson(lesson), fragment) : web(outputPaths.lesson(lesson), fragment);
    },
    section: (sectionPath, fragment) => {
      const section = sections.get(sectionPath);
      if (!section) return null;
      return inBook.has(section) ? withFragment(chapterFiles.section(section), fragment) : web(outputPaths.section(section), fragment);
    },
    anchor: (fragment) => `#${encodeURIComponent(fragment)}`,
    asset: (assetPath) => pathToFileURL(path.join(course.root, ...assetPath.split('/'))).href,
    external: (url) => url,
  };
}

/** Scripting in an SVG file: script elements, event handlers, javascript: links. */
const svgScripting = /<script\b|\son[a-z]+\s*=|javascript:/i;

/**
 * Whether an image file can go into a book: a core media type, and for SVG, no scripting (a book
 * would have to declare it scripted, and readers run or refuse it).
 */
function embeddable(file: string): boolean {
  const extension = path.extname(file).toLowerCase();
  if (!(extension in coreImageTypes)) return false;
  return extension !== '.svg' || !svgScripting.test(readFileSync(file, 'utf8'));
}

/** Whether the book has a chapter `file` that defines `id` (or, without an id, whether it has the chapter). */
export type AnchorResolver = (file: string, id: string | undefined) => boolean;

/**
 * Where a body's links to lessons and sections go in one book, in reference order: the part of a
 * chapter's bytes that depends on the book it is in (see `epubLinkPolicy`).
 * @param source the lesson or section introduction
 * @param policy the book's link policy
 */
export function linkTargets(source: Body, policy: LinkPolicy): (string | null)[] {
  return source.references.map(({ target }) => {
    if (target.kind === 'lesson') return policy.lesson(target.path, target.fragment);
    if (target.kind === 'section') return policy.section(target.path, target.fragment);
    return '';
  });
}

/**
 * The ids a chapter body defines, which links into the chapter may point at.
 * @param body a chapter body
 */
export function anchorIds(body: HastRoot): Set<string> {
  const ids = new Set<string>();
  visit(body, 'element', (node) => {
    if (typeof node.properties.id === 'string') ids.add(node.properties.id);
  });
  return ids;
}

/**
 * Makes sure nothing in a chapter dangles, after the links were rewritten: a link must name a
 * chapter of the book and an id that chapter defines, a link to a course file goes to its web
 * address under `baseUrl` or becomes text; an image must be a core-type file of the course (remote
 * images are not allowed in an EPUB) without scripts, else its alt text stands in for it.
 * @param body the chapter's body, links already rewritten by `epubLinkPolicy`
 * @param course the course
 * @param resolves whether a chapter of the book (by file name) defines an id (any chapter, without one)
 * @param chapter this chapter's file name, which in-page anchors belong to
 */
export function settleReferences(body: HastRoot, course: Course, resolves: AnchorResolver, chapter: string): HastRoot {
  const settleHref = (href: string): string | null => {
    if (href.startsWith('file:')) {
      const asset = path.relative(course.root, fileURLToPath(href)).split(path.sep).join('/');
      return course.config.baseUrl ? publicUrl(course, outputPaths.asset(asset)) : null;
    }
    if (schemePattern.test(href)) return href;
    const [file = '', fragment] = href.split('#', 2);
    return resolves(file || chapter, fragment === undefined ? undefined : safeDecode(fragment)) ? href : null;
  };
  visit(body, 'element', (node, index, parent) => {
    if (!parent || index === undefined) return;
    if (node.tagName === 'a' && typeof node.properties.href === 'string') {
      const href = settleHref(node.properties.href);
      if (href === null) parent.children[index] = unlinked(node);
      else node.properties.href = href;
    }
    if (node.tagName === 'img') {
      const src = node.properties.src;
      if (typeof src === 'string' && src.startsWith('file:') && embeddable(fileURLToPath(src))) return;
      const alt = typeof node.properties.alt === 'string' ? node.properties.alt : '';
      parent.children[index] = { type: 'element', tagName: 'span', properties: { className: ['image-alt'] }, children: alt ? [text(alt)] : [] };
    }
  });
  return body;
}
