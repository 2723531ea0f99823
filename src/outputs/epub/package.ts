import type { Labels } from '../../labels/catalogue.js';
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

/** The accessibility metadata of a book (schema.org, as EPUB Accessibility 1.1 asks). */
export interface AccessibilityView {
  modes: string[];
  sufficient: string[];
  features: string[];
  hazards: string[];
  summary: string;
  /** The conformance claim (`dcterms:conformsTo`), only for a book that meets it. */
  conformsTo?: string;
  /** Who evaluated the claim (`a11y:certifiedBy`). */
  certifiedBy?: string;
  /** The edition the page list follows (`dc:source`, the page-break source of EPUB 3.2), when there is one. */
  pageSource?: string;
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
    .map(
      (section): NavEntry => ({
        kind: 'section',
        label: `${section.label} · ${section.title}`,
        href: section.href,
        children: section.groups.flatMap((group) => (group.title ? [{ kind: 'group' as const, label: group.title, children: group.lessons.map(lessonEntry) }] : group.lessons.map(lessonEntry))),
      }),
    );
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
  /** Audio, video and GIF images: media whose hazards (flashing, sound) cannot be judged. */
  media: number;
}

/** What a book holds that its accessibility metadata is computed from. */
export interface BookFacts {
  visuals: BookVisuals;
  /** Whether any chapter has MathML. */
  math: boolean;
  /** The printed edition whose pages the book's page list marks, absent without a page list. */
  pageSource?: string;
}

/** The EPUB Accessibility 1.1 conformance claim Coursebook's books are made and tested to meet. */
export const conformanceClaim = 'EPUB Accessibility 1.1 - WCAG 2.2 Level AA';

/**
 * Accessibility metadata from what the book holds. Visual content is declared, text is declared
 * sufficient and `alternativeText` claimed only when every image and diagram has a text
 * alternative, `MathML` only with math, `pageNavigation` only with a page list. The book claims
 * EPUB Accessibility 1.1 (WCAG 2.2 AA) only when every image has its text alternative and no
 * media whose hazards cannot be judged; everything else the claim needs (roles, structure,
 * contrast, valid markup) the templates give every book, as Ace by DAISY checks in the tests.
 * @param facts the book's images, diagrams, media, math and page source
 * @param labels the course's labels: the summary is in the book's language
 */
export function accessibilityView(facts: BookFacts, labels: Labels): AccessibilityView {
  const { visuals } = facts;
  const visual = visuals.count > 0;
  const described = visuals.withoutText === 0;
  const judged = visuals.media === 0;
  const conforms = described && judged;
  return {
    modes: visual ? ['textual', 'visual'] : ['textual'],
    sufficient: visual ? [...(described ? ['textual'] : []), 'textual,visual'] : ['textual'],
    features: [
      'structuralNavigation',
      'tableOfContents',
      'readingOrder',
      ...(visual && described ? ['alternativeText'] : []),
      ...(facts.math ? ['MathML'] : []),
      ...(facts.pageSource ? ['pageNavigation', 'pageBreakMarkers'] : []),
      'displayTransformability',
    ],
    hazards: judged ? ['none'] : ['unknown'],
    summary: [
      labels.format('a11yStructure'),
      labels.format(visual ? (described ? 'a11yDescribed' : 'a11yUndescribed') : 'a11yNoImages'),
      labels.format('a11yCode'),
      ...(facts.pageSource ? [labels.format('a11yPageList', { source: facts.pageSource })] : []),
      ...(judged ? [] : [labels.format('a11yMedia')]),
      conforms ? labels.format('a11yConforms', { claim: conformanceClaim }) : labels.format('a11yNoClaim'),
    ].join(/^(zh|ja)\b/.test(labels.language) ? '' : ' '),
    ...(conforms ? { conformsTo: conformanceClaim, certifiedBy: 'Coursebook' } : {}),
    ...(facts.pageSource ? { pageSource: facts.pageSource } : {}),
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
