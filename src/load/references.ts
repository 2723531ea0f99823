import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isInside, safeDecode } from '../shared/paths.js';
import type { Link, LinkReference, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { LessonReference, ReferenceTarget } from '../model/course.js';

/** A link or image as written, before it is resolved. */
export interface RawReference {
  type: 'link' | 'image';
  url: string;
  alt?: string;
  /** For links: whether the link shows anything a reader can click (text, inline code or an image with alt text). */
  hasText?: boolean;
  position: { line: number; column: number };
}

/** Whether a link's content shows something to click: text, inline code, or an image with alt text. */
function showsText(node: Link | LinkReference): boolean {
  let shows = false;
  visit(node, (child) => {
    if (((child.type === 'text' || child.type === 'inlineCode') && child.value.trim() !== '') || (child.type === 'image' && (child.alt ?? '').trim() !== '')) shows = true;
  });
  return shows;
}

/**
 * Lists the links, images and link definitions of a Markdown tree.
 * @param tree the lesson's mdast
 */
export function collectReferences(tree: Root): RawReference[] {
  const found: RawReference[] = [];
  visit(tree, (node) => {
    if (node.type !== 'link' && node.type !== 'image' && node.type !== 'definition') return;
    const position = { line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 };
    const type = node.type === 'image' ? 'image' : 'link';
    const reference: RawReference = { type, url: node.url, position };
    if (node.type === 'image') reference.alt = node.alt ?? '';
    if (node.type === 'link') reference.hasText = showsText(node);
    found.push(reference);
  });
  return found;
}

/** What the loader knows about the course's files, to resolve references without more I/O per link. */
export interface CourseFiles {
  /** Absolute content root, as given. */
  root: string;
  /** The content root with symlinks resolved. */
  realRoot: string;
  /** Lesson paths relative to the root. */
  lessons: Set<string>;
  /** section.md paths, and section folder paths, relative to the root. */
  sections: Map<string, string>;
  /** Referenced files already inspected in this load, by absolute path. */
  inspected: Map<string, Promise<string | 'outside' | undefined>>;
  /** course.yml's `linkSchemes`: scheme → URL prefix. */
  linkSchemes: Readonly<Record<string, string>>;
}

const schemePattern = /^([a-z][a-z0-9+.-]*):/i;

/** The schemes every reader resolves. */
export const readableSchemes: ReadonlySet<string> = new Set(['http', 'https', 'mailto', 'tel']);

/**
 * A URL with a scheme course.yml maps to a prefix, as the prefix and the rest
 * (`mdn:js/Object/assign` → `https://developer.mozilla.org/docs/Web/js/Object/assign`).
 * @param url the URL as written
 * @param linkSchemes course.yml's `linkSchemes`
 * @returns the mapped URL, or undefined when its scheme is not mapped
 */
export function mappedUrl(url: string, linkSchemes: Readonly<Record<string, string>>): string | undefined {
  const scheme = schemePattern.exec(url.trim())?.[1]?.toLowerCase();
  if (scheme === undefined || !Object.hasOwn(linkSchemes, scheme)) return undefined;
  return `${linkSchemes[scheme]}${url.trim().slice(scheme.length + 1)}`;
}

/**
 * Rewrites the links, images and definitions of a tree whose scheme course.yml maps, in place, so
 * that every writer sees the URL readers follow.
 * @param tree a lesson's or section introduction's mdast
 * @param linkSchemes course.yml's `linkSchemes`
 */
export function applyLinkSchemes(tree: Root, linkSchemes: Readonly<Record<string, string>>): Root {
  if (Object.keys(linkSchemes).length === 0) return tree;
  visit(tree, (node) => {
    if (node.type !== 'link' && node.type !== 'image' && node.type !== 'definition') return;
    const mapped = mappedUrl(node.url, linkSchemes);
    if (mapped !== undefined) node.url = mapped;
  });
  return tree;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/**
 * Resolves one reference from a lesson: external, in-page anchor, another lesson, a section,
 * an asset, a missing file, or a path outside the content root (which is never read).
 * Note: symlinks are followed before the inside/outside decision, so a link that escapes the
 * content root through a symlink counts as outside.
 * @param url the URL as written
 * @param fromFile the referring file, relative to the root
 * @param files what the loader knows of the course's files
 */
export async function resolveReference(url: string, fromFile: string, files: CourseFiles): Promise<ReferenceTarget> {
  const trimmed = url.trim();
  const scheme = schemePattern.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    const mapped = mappedUrl(trimmed, files.linkSchemes);
    if (mapped !== undefined) return { kind: 'external', url: mapped };
    return readableSchemes.has(scheme) ? { kind: 'external', url: trimmed } : { kind: 'scheme', scheme };
  }
  if (trimmed.startsWith('//')) return { kind: 'external', url: trimmed };
  if (trimmed.startsWith('#')) return { kind: 'anchor', fragment: safeDecode(trimmed.slice(1)) };
  const hashAt = trimmed.indexOf('#');
  const rawPath = (hashAt === -1 ? trimmed : trimmed.slice(0, hashAt)).split('?')[0] ?? '';
  const fragment = hashAt === -1 ? undefined : safeDecode(trimmed.slice(hashAt + 1));
  const decoded = safeDecode(rawPath);
  const base = decoded.startsWith('/') ? files.root : path.dirname(path.join(files.root, fromFile));
  const absolute = path.resolve(base, decoded.replace(/^\/+/, ''));
  const relative = toPosix(path.relative(files.root, absolute));
  if (!isInside(files.root, absolute)) return { kind: 'outside', path: decoded };
  const withFragment = <T extends object>(target: T): T & { fragment?: string } => (fragment === undefined ? target : { ...target, fragment });
  if (files.lessons.has(relative)) return withFragment({ kind: 'lesson', path: relative });
  const section = files.sections.get(relative.replace(/\/$/, ''));
  if (section) return withFragment({ kind: 'section', path: section });
  const file = await inspectFile(absolute, files);
  if (file === 'outside') return { kind: 'outside', path: decoded };
  if (file === undefined) return withFragment({ kind: 'missing', path: relative });
  return { kind: 'asset', path: relative, absolute: file };
}

/**
 * Follows symlinks and checks a referenced file once per build, however many lessons name it.
 * @returns its real path, 'outside' when it leaves the content root, undefined when it is no file
 */
function inspectFile(absolute: string, files: CourseFiles): Promise<string | 'outside' | undefined> {
  let pending = files.inspected.get(absolute);
  if (!pending) {
    pending = (async () => {
      try {
        const real = await realpath(absolute);
        if (!isInside(files.realRoot, real)) return 'outside';
        return (await stat(real)).isFile() ? real : undefined;
      } catch {
        return undefined;
      }
    })();
    files.inspected.set(absolute, pending);
  }
  return pending;
}

/**
 * Resolves every reference of a lesson.
 * @param raw the references as written
 * @param fromFile the lesson's path relative to the root
 * @param files what the loader knows of the course's files
 */
export async function resolveReferences(raw: RawReference[], fromFile: string, files: CourseFiles): Promise<LessonReference[]> {
  return Promise.all(raw.map(async (reference) => ({ ...reference, target: await resolveReference(reference.url, fromFile, files) })));
}
