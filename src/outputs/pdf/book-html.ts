import type { Root as HastRoot } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import nunjucks from 'nunjucks';
import { SKIP, visit } from 'unist-util-visit';
import type { Course, Section } from '../../model/course.js';
import type { CourseRenderer } from '../../render/renderer.js';
import { renderTemplate } from '../../render/templates.js';
import { courseView, type CourseView, type SectionView } from '../../render/view.js';
import { demoteHeading, printIntro, printLessonBody } from './body.js';
import { bookLinkPolicy, innerAnchor, lessonAnchor, sectionAnchor, type Book } from './book.js';
import { blockNumber, numberBlocks, type BlockPlace } from './page-blocks.js';
import { pageStyles, type RunningHead } from './page-styles.js';
import { PrintSolutions, sectionSolutionsAnchor, solutionsAnchor } from './solutions.js';
import { courseLabels } from '../../render/labels.js';

/** An entry of the table of contents, and of the PDF's bookmarks. */
export interface ContentsEntry {
  /** "Section 4", "4.5"; empty for headings. */
  label: string;
  title: string;
  /** The anchor it points at. */
  anchor: string;
  children: ContentsEntry[];
}

/** A place whose printed page the EPUB's page list needs, with its anchor. */
export type AnchoredPlace = BlockPlace & { anchor: string };

/**
 * One section of a book, ready to print on its own: its opening, its lessons and its Solutions
 * appendix, numbered from the page it starts on in the book. Page numbers inside it ("Solution on
 * page 42") are filled in after each printing, into every element marked `data-page-of="anchor"`.
 */
export interface PartLayout {
  /** The section's anchor. */
  anchor: string;
  /** Its top-level contents entries: the section (lessons and h2 headings under it), then its Solutions appendix if it has one. */
  contents: ContentsEntry[];
  /** The part's HTML. */
  html: string;
  /** The places whose printed page the EPUB's page list needs, in reading order, each with its anchor. */
  places: AnchoredPlace[];
}

/** The cover and table of contents of a book, and what its document information says. */
export interface FrontLayout {
  /** The document title: the PDF's Title and the HTML `<title>`. */
  title: string;
  /** What the book is about: the PDF's Subject. */
  subject: string;
  /** Section and group titles: the PDF's Keywords. */
  keywords: string[];
  /** Sections → lessons → h2 headings, and each section's Solutions, in print order: the contents page and the bookmarks. */
  contents: ContentsEntry[];
  /** The cover and contents as HTML; the contents' page numbers are filled in before printing. */
  html: string;
}

/** The scheme of a link to an anchor printed in another part of the book; merging makes it a link inside the PDF. */
export const partLinkScheme = 'coursebook-part:';

/**
 * Whether an anchor belongs to one of a book's sections: a section's or lesson's anchor, or an id
 * inside one (`innerAnchor`).
 */
function inBook(book: Book): (anchor: string) => boolean {
  const prefixes = new Set(book.sections.flatMap((section) => [sectionAnchor(section), ...section.lessons.map(lessonAnchor)]));
  return (anchor) => {
    if (prefixes.has(anchor)) return true;
    for (let at = anchor.indexOf('--'); at > 0; at = anchor.indexOf('--', at + 1)) if (prefixes.has(anchor.slice(0, at))) return true;
    return false;
  };
}

/**
 * Points every in-document link whose target is in another part of the book at that part
 * (`coursebook-part:anchor`): Chromium drops links to anchors it cannot find, and one part cannot
 * see the others. Merging turns them into links to named destinations (see merge.ts). Links to
 * anchors in no part of the book stay as they are, and Chromium drops them as before.
 * @param html a part's or the front matter's HTML
 * @param book the book it is printed for
 */
function linkOtherParts(html: string, book: Book): string {
  const ids = new Set([...html.matchAll(/\sid="([^"]*)"/g)].map((match) => match[1]!));
  const printed = inBook(book);
  return html.replace(/(\shref=")#([^"]*)"/g, (whole, lead: string, fragment: string) => {
    let anchor = fragment;
    try {
      anchor = decodeURIComponent(fragment);
    } catch {
      // Not percent-encoded: the fragment is the anchor.
    }
    const here = ids.has(anchor.replace(/&/g, '&amp;').replace(/"/g, '&quot;'));
    return here || !printed(anchor) ? whole : `${lead}${partLinkScheme}${fragment}"`;
  });
}

/** Hidden links to anchors, so that Chromium writes a named destination (and so a page) for each. */
const hiddenLinks = (anchors: string[]): string => (anchors.length ? `<div hidden>${anchors.map((anchor) => `<a href="#${encodeURIComponent(anchor)}"></a>`).join('')}</div>` : '');

/** Every id outside diagrams in a body, so that links from other parts can land on any of them. */
function idsOf(body: HastRoot): string[] {
  const ids: string[] = [];
  visit(body, 'element', (node) => {
    if (node.tagName === 'svg') return SKIP;
    if (typeof node.properties.id === 'string') ids.push(node.properties.id);
    return undefined;
  });
  return ids;
}

/**
 * Gives every numbered block of a printed body an anchor (its own id, or a new one), records it
 * as a place of the part, and returns hidden links to those anchors and to every other id.
 * Note: Chromium writes a named destination, and so a page number, only for ids something in the
 * same printing links to; links from other parts of the book need one too.
 * @param body a numbered print body (changed in place)
 * @param part the part's name in the page list
 * @param places where to record the places
 * @param prefix the anchor the body's ids and the part's opening have (the part's name unless given)
 */
function anchorBlocks(body: HastRoot, part: string, places: AnchoredPlace[], prefix = part): string {
  places.push({ part, block: -1, anchor: prefix });
  const anchors: string[] = [];
  visit(body, 'element', (node) => {
    const block = blockNumber(node);
    if (block === undefined) return;
    delete node.properties.dataPageBlock;
    if (typeof node.properties.id !== 'string') node.properties.id = innerAnchor(prefix, `page-block-${block}`);
    const anchor = node.properties.id as string;
    places.push({ part, block, anchor });
    anchors.push(anchor);
  });
  const blocks = new Set(anchors);
  return hiddenLinks([...anchors, ...idsOf(body).filter((id) => !blocks.has(id))]);
}

/** A section's Solutions appendix, its blocks numbered and anchored like a lesson's, as part `solutions` of the page list. */
function appendixHtml(appendix: HastRoot, anchor: string, places: AnchoredPlace[]): string {
  const links = anchorBlocks(numberBlocks(appendix), solutionsAnchor, places, anchor);
  return toHtml(appendix) + links;
}

/**
 * A Nunjucks filter for the print frame: moves the headings of a rendered fragment down by a
 * number of levels (at most to h6), so a partial written for a page of its own nests in a book.
 * @param html a rendered fragment
 * @param levels how many levels down
 */
export function demoteHeadings(html: string, levels = 1): string {
  const tree = fromHtml(String(html), { fragment: true });
  visit(tree, 'element', (node) => demoteHeading(node, levels));
  return toHtml(tree);
}

/**
 * Adds the print frame's filters to a template environment: `demoteHeadings(levels)`.
 * @param env the course's template environment
 */
export function addPrintFilters(env: nunjucks.Environment): nunjucks.Environment {
  // The fragment is markup the templates rendered (and escaped) already: mark it safe, or autoescape would escape it again.
  return env.addFilter('demoteHeadings', (html: unknown, levels?: number) => new nunjucks.runtime.SafeString(demoteHeadings(String(html), levels)));
}

/** "1 January 2026" in the course's language, for the cover. */
function dateLabel(language: string, date: Date): string {
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'long', timeZone: 'UTC' };
  try {
    return new Intl.DateTimeFormat(language, options).format(date);
  } catch {
    return new Intl.DateTimeFormat('en', options).format(date);
  }
}

/** A section's contents entry from the view: the section, its lessons, and each lesson's h2 headings. */
function sectionEntry(section: SectionView): ContentsEntry {
  return {
    label: section.label,
    title: section.title,
    anchor: section.href.slice(1),
    children: section.lessons.map((lesson) => ({
      label: lesson.id,
      title: lesson.title,
      anchor: lesson.href.slice(1),
      children: lesson.headings.filter((heading) => heading.depth === 2).map((heading) => ({ label: '', title: heading.text, anchor: innerAnchor(lesson.href.slice(1), heading.id), children: [] })),
    })),
  };
}

/** The table of contents as the template reads it: entries with hrefs, lessons under their groups, each section's Solutions after it. */
function contentsView(contents: ContentsEntry[], sections: SectionView[]): object[] {
  const entry = (item: ContentsEntry): object => ({ ...item, href: `#${encodeURIComponent(item.anchor)}`, children: item.children.map(entry) });
  return sections.map((section) => {
    const sectionItem = contents.find((item) => item.anchor === section.href.slice(1))!;
    const byAnchor = new Map(sectionItem.children.map((lesson) => [lesson.anchor, entry(lesson)]));
    const groups = section.groups.map((group) => ({ title: group.title, lessons: group.lessons.map((lesson) => byAnchor.get(lesson.href.slice(1))) }));
    const solutions = contents.find((item) => item.anchor === sectionSolutionsAnchor(sectionItem.anchor));
    return { ...entry(sectionItem), groups, solutions: solutions ? entry(solutions) : undefined };
  });
}

/**
 * The course as print templates see it: lessons and sections addressed by in-book anchors.
 * @param course the course
 */
export function printView(course: Course): CourseView {
  return courseView(course, { home: '#cover', section: (section) => `#${sectionAnchor(section)}`, lesson: (lesson) => `#${lessonAnchor(lesson)}` });
}

/** The sections of a book as the view has them, in print order. */
const sectionViewsOf = (view: CourseView, book: Book): SectionView[] => view.sections.filter((section) => book.sections.some((printed) => printed.number === section.number));

/** The running heads of a book, mirrored in a right-to-left book (the section's head at the top right). */
const mirrored = (view: CourseView, heads: RunningHead[]): RunningHead[] => (view.direction === 'rtl' ? heads.map((head) => ({ ...head, left: head.right, right: head.left })) : heads);

/**
 * Lays out one section of a book as a part printed on its own: its opening, the print bodies of
 * its lessons, its Solutions appendix, its running heads, numbered from `firstPage`.
 * @param env the template environment, with the print filters (`addPrintFilters`)
 * @param course the course
 * @param render the build's shared renderer
 * @param book the PDF the part belongs to (its sections decide which links stay inside the PDF)
 * @param section the section
 * @param firstPage the number of the part's first page in the book
 * @param view the course as the print templates see it (`printView`)
 */
export function layOutPart(env: nunjucks.Environment, course: Course, render: CourseRenderer, book: Book, section: Section, firstPage: number, view: CourseView = printView(course)): PartLayout {
  const sectionView = view.sections.find((candidate) => candidate.number === section.number)!;
  const places: AnchoredPlace[] = [];
  const labels = courseLabels(course);
  const solutions = new PrintSolutions(labels);
  const anchor = sectionAnchor(section);
  const heads: RunningHead[] = [{ anchor, left: `${sectionView.label} · ${section.title}`, right: '' }];
  const intro = render.intro(section);
  const introBody = intro && section.intro ? printIntro(numberBlocks(structuredClone(intro)), section.intro, course, bookLinkPolicy(course, book, anchor), anchor) : undefined;
  const introLinks = anchorBlocks(introBody ?? { type: 'root', children: [] }, anchor, places);
  const lessons = section.lessons.map((lesson, l) => {
    const prefix = lessonAnchor(lesson);
    heads.push({ anchor: prefix, left: `${sectionView.label} · ${section.title}`, right: `${lesson.id} ${lesson.title}` });
    // Solutions leave for the appendix first, so the lesson's blocks are numbered as the EPUB numbers them.
    const body = printLessonBody(render.body(lesson), lesson, course, bookLinkPolicy(course, book, prefix), prefix);
    solutions.take(body, lesson);
    const links = anchorBlocks(numberBlocks(body), prefix, places);
    return { anchor: prefix, view: sectionView.lessons[l]!, bodyHtml: render.html(body) + links };
  });
  const contents = [sectionEntry(sectionView)];
  const appendixAnchor = sectionSolutionsAnchor(anchor);
  const appendix = solutions.appendix(appendixAnchor);
  if (appendix) {
    heads.push({ anchor: appendixAnchor, left: labels.format('solutions'), right: '' });
    contents.push({ label: '', title: labels.format('solutions'), anchor: appendixAnchor, children: [] });
  }
  // Every contents entry gets a destination, so the contents page and the bookmarks can point at it.
  const entries = (items: ContentsEntry[]): string[] => items.flatMap((item) => [item.anchor, ...entries(item.children)]);
  const frame = {
    course: view,
    book: { title: `${sectionView.label} · ${section.title}`, pageStyles: pageStyles(course.config.paper, mirrored(view, heads), firstPage) },
    parts: [{ anchor, section: sectionView, introHtml: introBody ? render.html(introBody) + introLinks : '', lessons }],
    appendixHtml: (appendix ? appendixHtml(appendix, appendixAnchor, places) : '') + hiddenLinks(entries(contents)),
  };
  return { anchor, contents, html: linkOtherParts(renderTemplate(env, 'print/book.njk', frame), book), places };
}

/**
 * Lays out the front matter of a book: its cover and its table of contents, whose page numbers
 * are filled in before printing.
 * @param env the template environment, with the print filters (`addPrintFilters`)
 * @param course the course
 * @param book the PDF
 * @param contents the contents entries of its parts, in print order (`PartLayout.contents`)
 * @param buildDate the book's date, for the cover
 * @param view the course as the print templates see it (`printView`)
 */
export function layOutFront(env: nunjucks.Environment, course: Course, book: Book, contents: ContentsEntry[], buildDate: Date, view: CourseView = printView(course)): FrontLayout {
  const sectionViews = sectionViewsOf(view, book);
  const title = book.section ? `${sectionViews[0]!.label} · ${book.section.title} · ${course.config.title}` : course.config.title;
  const subject = book.section ? book.section.summary : course.config.description || course.config.subtitle || '';
  const heads: RunningHead[] = [{ anchor: 'contents', left: view.labels.contents, right: '' }];
  const frame = {
    course: view,
    front: true,
    book: {
      title,
      subject,
      section: book.section ? sectionViews[0] : undefined,
      dateLabel: dateLabel(course.config.language, buildDate),
      pageStyles: pageStyles(course.config.paper, mirrored(view, heads), 1),
    },
    contents: contentsView(contents, sectionViews),
    parts: [],
  };
  return {
    title,
    subject,
    keywords: [...new Set(sectionViews.flatMap((section) => [section.title, ...section.groups.map((group) => group.title).filter(Boolean)]))],
    contents,
    html: linkOtherParts(renderTemplate(env, 'print/book.njk', frame), book),
  };
}

/**
 * The contents entries of a book's parts without laying them out (no lesson body is rendered):
 * each section from the view, and its Solutions appendix where the printed part has one.
 * @param course the course
 * @param book the PDF
 * @param hasSolutions whether a section's printed part has a Solutions appendix
 * @param view the course as the print templates see it (`printView`)
 */
export function bookContents(course: Course, book: Book, hasSolutions: (section: Section) => boolean, view: CourseView = printView(course)): ContentsEntry[] {
  const title = courseLabels(course).format('solutions');
  return book.sections.flatMap((section) => {
    const entry = sectionEntry(view.sections.find((candidate) => candidate.number === section.number)!);
    return hasSolutions(section) ? [entry, { label: '', title, anchor: sectionSolutionsAnchor(entry.anchor), children: [] }] : [entry];
  });
}
