import type { Course } from '../../model/course.js';
import type { CourseView, LessonView } from '../../render/view.js';
import { chapterFiles, type BookPlan } from './book.js';

/** One entry of the book's navigation: a section, a lesson group, a lesson or a lesson's h2 heading. */
export interface NavEntry {
  kind: 'section' | 'group' | 'lesson' | 'heading';
  label: string;
  /** The chapter (and anchor) it opens; a group has none of its own. */
  href?: string;
  children: NavEntry[];
}

/** A navPoint of the NCX, for readers that predate the EPUB 3 navigation document. */
export interface NcxPoint {
  id: string;
  playOrder: number;
  label: string;
  src: string;
  children: NcxPoint[];
}

/** An item of the package manifest. */
export interface ManifestItem {
  id: string;
  href: string;
  mediaType: string;
  /** Space-separated manifest properties (`nav`, `cover-image`, `svg`…), or empty. */
  properties: string;
}

/** The accessibility metadata of a book (schema.org, as EPUB Accessibility 1.0 asks). */
export interface AccessibilityView {
  modes: string[];
  sufficient: string[];
  features: string[];
  hazards: string[];
  summary: string;
}

/** Everything the package document (content.opf) says about a book. */
export interface PackageView {
  identifier: string;
  language: string;
  title: string;
  subtitle: string;
  authors: string[];
  description: string;
  /** dcterms:modified, `YYYY-MM-DDThh:mm:ssZ`. */
  modified: string;
  /** The course a section's book belongs to, as a numbered collection. */
  collection?: { title: string; position: number };
  accessibility: AccessibilityView;
  manifest: ManifestItem[];
  /** Manifest ids in reading order. */
  spine: string[];
}

const lessonEntry = (lesson: LessonView): NavEntry => ({
  kind: 'lesson',
  label: `${lesson.id} ${lesson.title}`,
  href: lesson.href,
  children: lesson.headings
    .filter((heading) => heading.depth === 2)
    .map((heading): NavEntry => ({ kind: 'heading', label: heading.text, href: `${lesson.href}#${encodeURIComponent(heading.id)}`, children: [] })),
});

/**
 * The book's table of contents: its sections, their lesson groups, the lessons (with their
 * numbers) and each lesson's h2 headings.
 * @param view the course view, with EPUB addresses
 * @param book the book
 */
export function navEntries(view: CourseView, book: BookPlan): NavEntry[] {
  const numbers = new Set(book.sections.map((section) => section.number));
  return view.sections
    .filter((section) => numbers.has(section.number))
    .map((section): NavEntry => ({
      kind: 'section',
      label: `${section.label} · ${section.title}`,
      href: section.href,
      children: section.groups.flatMap((group) => (group.title ? [{ kind: 'group' as const, label: group.title, children: group.lessons.map(lessonEntry) }] : group.lessons.map(lessonEntry))),
    }));
}

/**
 * The same tree as NCX navPoints. A group points at its first lesson; entries that open the
 * same place share a playOrder, as the NCX format requires.
 * @param entries the navigation entries
 */
export function ncxPoints(entries: NavEntry[]): { points: NcxPoint[]; depth: number } {
  const orders = new Map<string, number>();
  let count = 0;
  let depth = 0;
  const firstHref = (entry: NavEntry): string => entry.href ?? firstHref(entry.children[0]!);
  const convert = (entry: NavEntry, level: number): NcxPoint => {
    depth = Math.max(depth, level);
    const src = firstHref(entry);
    if (!orders.has(src)) orders.set(src, orders.size + 1);
    const point: NcxPoint = { id: `nav-${++count}`, playOrder: orders.get(src)!, label: entry.label, src, children: [] };
    point.children = entry.children.map((child) => convert(child, level + 1));
    return point;
  };
  const points = entries.map((entry) => convert(entry, 1));
  return { points, depth };
}

/** What the chapters of a book show that accessibility metadata depends on. */
export interface BookVisuals {
  /** Images and diagrams. */
  count: number;
  /** Of those, how many have no alt text, accessible name or caption. */
  withoutText: number;
}

/**
 * Accessibility metadata from what the book holds: visual content is declared, and text is
 * declared sufficient only when every image and diagram has a text alternative.
 * @param visuals the book's images and diagrams
 */
export function accessibilityView(visuals: BookVisuals): AccessibilityView {
  const visual = visuals.count > 0;
  const described = visuals.withoutText === 0;
  return {
    modes: visual ? ['textual', 'visual'] : ['textual'],
    sufficient: visual ? [...(described ? ['textual'] : []), 'textual,visual'] : ['textual'],
    features: ['structuralNavigation', 'tableOfContents', 'readingOrder', ...(visual && described ? ['alternativeText'] : []), 'displayTransformability'],
    hazards: ['none'],
    summary: [
      'A reflowable book with a table of contents of every section, lesson and lesson heading, in reading order.',
      visual ? (described ? 'Every image has alt text and every diagram a caption, which is also its accessible name.' : 'Some images or diagrams have no text alternative.') : 'It has no images.',
      'Code is text, highlighted with colour and never as an image.',
    ].join(' '),
  };
}

/** dcterms:modified's form of a date: UTC, to the second. */
const modifiedStamp = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The package document's view, before the images are known (epub-gen-memory names them).
 * @param course the course
 * @param book the book
 * @param options build date, accessibility, cover image, and the book's documents: the cover page first, then the chapters in reading order
 */
export function packageView(
  course: Course,
  book: BookPlan,
  options: { date: Date; accessibility: AccessibilityView; cover: { href: string; mediaType: string }; documents: { id: string; href: string; properties: string[] }[] },
): PackageView {
  const xhtml = 'application/xhtml+xml';
  const documents = options.documents.map((document): ManifestItem => ({ id: document.id, href: document.href, mediaType: xhtml, properties: document.properties.join(' ') }));
  const [coverPage, ...chapters] = documents;
  return {
    identifier: book.identifier,
    language: course.config.language,
    title: book.title,
    subtitle: book.subtitle,
    authors: course.config.authors,
    description: book.description,
    modified: modifiedStamp(options.date),
    ...(book.section ? { collection: { title: course.config.title, position: book.section.number } } : {}),
    accessibility: options.accessibility,
    manifest: [
      { id: 'nav', href: chapterFiles.nav, mediaType: xhtml, properties: 'nav' },
      { id: 'ncx', href: 'toc.ncx', mediaType: 'application/x-dtbncx+xml', properties: '' },
      { id: 'css', href: 'style.css', mediaType: 'text/css', properties: '' },
      { id: 'cover-image', href: options.cover.href, mediaType: options.cover.mediaType, properties: 'cover-image' },
      ...documents,
    ],
    spine: [coverPage!.id, 'nav', ...chapters.map((chapter) => chapter.id)],
  };
}
