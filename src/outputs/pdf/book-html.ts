import type { Root as HastRoot } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import nunjucks from 'nunjucks';
import { visit } from 'unist-util-visit';
import type { Course } from '../../model/course.js';
import type { CourseRenderer } from '../../render/renderer.js';
import { renderTemplate } from '../../render/templates.js';
import { courseView, type CourseView, type SectionView } from '../../render/view.js';
import { demoteHeading, printIntro, printLessonBody } from './body.js';
import { bookLinkPolicy, innerAnchor, lessonAnchor, sectionAnchor, type Book } from './book.js';
import { blockNumber, numberBlocks, type BlockPlace } from './page-blocks.js';
import { pageStyles, type RunningHead } from './page-styles.js';
import { PrintSolutions, solutionsAnchor } from './solutions.js';
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

/**
 * A book's text, ready to print. Page numbers are filled in after each printing, into every
 * element the templates mark with `data-page-of="anchor"`.
 */
export interface BookLayout {
  /** The document title: the PDF's Title and the HTML `<title>`. */
  title: string;
  /** What the book is about: the PDF's Subject. */
  subject: string;
  /** Section and group titles: the PDF's Keywords. */
  keywords: string[];
  /** Sections → lessons → h2 headings, in print order. */
  contents: ContentsEntry[];
  /** The book's HTML. */
  html: string;
  /** The places whose printed page the EPUB's page list needs, in reading order, each with its anchor. */
  places: (BlockPlace & { anchor: string })[];
}

/**
 * Gives every numbered block of a printed body an anchor (its own id, or a new one), records it
 * as a place of the part, and returns hidden links to those anchors.
 * Note: Chromium writes a named destination, and so a page number, only for ids something links to.
 */
function anchorBlocks(body: HastRoot, part: string, places: (BlockPlace & { anchor: string })[]): string {
  places.push({ part, block: -1, anchor: part });
  const anchors: string[] = [];
  visit(body, 'element', (node) => {
    const block = blockNumber(node);
    if (block === undefined) return;
    delete node.properties.dataPageBlock;
    if (typeof node.properties.id !== 'string') node.properties.id = innerAnchor(part, `page-block-${block}`);
    const anchor = node.properties.id as string;
    places.push({ part, block, anchor });
    anchors.push(anchor);
  });
  return anchors.length ? `<div hidden>${anchors.map((anchor) => `<a href="#${encodeURIComponent(anchor)}"></a>`).join('')}</div>` : '';
}

/** The Solutions appendix, its blocks numbered and anchored like a lesson's, as part `solutions`. */
function appendixHtml(appendix: HastRoot, places: (BlockPlace & { anchor: string })[]): string {
  const links = anchorBlocks(numberBlocks(appendix), solutionsAnchor, places);
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

/** The book's contents from the view: its sections, their lessons, and each lesson's h2 headings. */
function contentsOf(view: CourseView, book: Book): ContentsEntry[] {
  const printed = new Set(book.sections.map((section) => section.number));
  return view.sections
    .filter((section) => printed.has(section.number))
    .map((section) => ({
      label: section.label,
      title: section.title,
      anchor: section.href.slice(1),
      children: section.lessons.map((lesson) => ({
        label: lesson.id,
        title: lesson.title,
        anchor: lesson.href.slice(1),
        children: lesson.headings.filter((heading) => heading.depth === 2).map((heading) => ({ label: '', title: heading.text, anchor: innerAnchor(lesson.href.slice(1), heading.id), children: [] })),
      })),
    }));
}

/** The table of contents as the template reads it: entries with hrefs, lessons under their groups. */
function contentsView(contents: ContentsEntry[], sections: SectionView[]): object[] {
  const entry = (item: ContentsEntry): object => ({ ...item, href: `#${encodeURIComponent(item.anchor)}`, children: item.children.map(entry) });
  return contents.map((section, s) => {
    const byAnchor = new Map(section.children.map((lesson) => [lesson.anchor, entry(lesson)]));
    const groups = sections[s]!.groups.map((group) => ({ title: group.title, lessons: group.lessons.map((lesson) => byAnchor.get(lesson.href.slice(1))) }));
    return { ...entry(section), groups };
  });
}

/**
 * The course as print templates see it: lessons and sections addressed by in-book anchors.
 * @param course the course
 */
export function printView(course: Course): CourseView {
  return courseView(course, { home: '#cover', section: (section) => `#${sectionAnchor(section)}`, lesson: (lesson) => `#${lessonAnchor(lesson)}` });
}

/**
 * Lays out one book: its view, the print bodies of its lessons, its running heads and contents.
 * @param env the template environment, with the print filters (`addPrintFilters`)
 * @param course the course
 * @param render the build's shared renderer
 * @param book the PDF to lay out
 * @param buildDate the book's date, for the cover
 * @param view the course as the print templates see it (`printView`)
 */
export function layOutBook(env: nunjucks.Environment, course: Course, render: CourseRenderer, book: Book, buildDate: Date, view: CourseView = printView(course)): BookLayout {
  const sectionViews = view.sections.filter((section) => book.sections.some((printed) => printed.number === section.number));
  const heads: RunningHead[] = [{ anchor: 'contents', left: view.labels.contents, right: '' }];
  const places: (BlockPlace & { anchor: string })[] = [];
  const labels = courseLabels(course);
  const solutions = new PrintSolutions(labels);
  const parts = book.sections.map((section, s) => {
    const sectionView = sectionViews[s]!;
    const anchor = sectionAnchor(section);
    const intro = render.intro(section);
    heads.push({ anchor, left: `${sectionView.label} · ${section.title}`, right: '' });
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
    return { anchor, section: sectionView, introHtml: introBody ? render.html(introBody) + introLinks : '', lessons };
  });
  const title = book.section ? `${sectionViews[0]!.label} · ${book.section.title} · ${course.config.title}` : course.config.title;
  const subject = book.section ? book.section.summary : course.config.description || course.config.subtitle || '';
  const contents = contentsOf(view, book);
  const appendix = solutions.appendix();
  if (appendix) heads.push({ anchor: solutionsAnchor, left: labels.format('solutions'), right: '' });
  // A right-to-left book is mirrored: the section's head at the top right, the lesson's at the top left.
  const styles = pageStyles(course.config.paper, view.direction === 'rtl' ? heads.map((head) => ({ ...head, left: head.right, right: head.left })) : heads);
  const frame = {
    course: view,
    book: { title, subject, section: book.section ? sectionViews[0] : undefined, dateLabel: dateLabel(course.config.language, buildDate), pageStyles: styles },
    contents: contentsView(contents, sectionViews),
    parts,
    solutions: appendix ? { title: labels.format('solutions'), anchor: solutionsAnchor, html: appendixHtml(appendix, places) } : undefined,
  };
  // The appendix is in the bookmarks after the sections; the contents page lists it from `solutions`.
  if (appendix) contents.push({ label: '', title: labels.format('solutions'), anchor: solutionsAnchor, children: [] });
  return {
    title,
    subject,
    keywords: [...new Set(sectionViews.flatMap((section) => [section.title, ...section.groups.map((group) => group.title).filter(Boolean)]))],
    contents,
    html: renderTemplate(env, 'print/book.njk', frame),
    places,
  };
}
