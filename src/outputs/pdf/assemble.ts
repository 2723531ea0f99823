import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type nunjucks from 'nunjucks';
import { hashOf } from '../../cache/fingerprint.js';
import { bookKey } from '../../cache/keys.js';
import type { Course, Section } from '../../model/course.js';
import type { CourseView } from '../../render/view.js';
import { CoursebookError } from '../../shared/errors.js';
import type { PublishContext } from '../writer.js';
import { bookContents, layOutFront, layOutPart, type AnchoredPlace, type ContentsEntry, type FrontLayout } from './book-html.js';
import { sectionAnchor, type Book } from './book.js';
import { openPrintPage, printFront, printPart, type PageNumbers } from './print.js';
import { sectionSolutionsAnchor } from './solutions.js';

/** What is kept of one printing besides its PDF: its page count and where its anchors landed in the book. */
interface PrintingFacts {
  pageCount: number;
  pages: [string, number][];
  /**
   * A part's places whose pages the EPUB's page list needs, from the layout it was printed from:
   * kept with the printing so a book assembled from the cache is not laid out again for them.
   */
  places?: AnchoredPlace[];
}

/** One printing of a book, in the print folder. */
export interface Printing extends PrintingFacts {
  /** Its cache key. */
  key: string;
  /** The PDF, relative to the print folder. */
  file: string;
  /** Whether it came from the cache. */
  reused: boolean;
}

/** A book's printings, ready to merge. */
export interface AssembledBook {
  front: FrontLayout;
  frontPrinting: Printing;
  /** The cache keys of every printing it took, the measuring of the front included. */
  keys: string[];
  /** Each section's part, in print order. */
  parts: (Printing & { section: Section })[];
  /** How many pages the book has. */
  pageCount: number;
}

/** What printing a book needs besides the book. */
export interface AssemblyOptions {
  /** The template environment, with the print filters. */
  env: nunjucks.Environment;
  /** The course as the print templates see it; a tracked view records what each part read. */
  view: CourseView;
  /** The book's date, which its cover prints (the parts carry none). */
  date: Date;
  /** The browser and fonts fingerprint (`printingFingerprint`). */
  printing: string;
  /** A folder the print page may read, where printings are written and linked from the cache. */
  folder: string;
}

/** How many times the front matter and parts are printed at most while the front's page count settles. */
const maxRounds = 3;

/**
 * What every anchor of the course is called and which lesson or section it opens: a part's links
 * to other parts name them, so a part is printed again when they change (a lesson added or moved).
 */
function courseOutline(course: Course): string {
  return hashOf(course.sections.map((section) => [section.path, sectionAnchor(section), section.lessons.map((lesson) => [lesson.path, lesson.id])]));
}

/**
 * Prints through the output cache, into the print folder: a printing made from the same inputs is
 * linked from the last build, else printed and kept with its facts.
 */
async function cachedPrinting(
  context: PublishContext,
  folder: string,
  key: string,
  view: CourseView | undefined,
  print: (view: CourseView | undefined, file: string) => Promise<PrintingFacts>,
): Promise<Printing> {
  const file = `printings/${key}.pdf`;
  let facts: PrintingFacts | undefined;
  const produce = async (tracked: CourseView): Promise<Record<string, string>> => {
    facts = await print(tracked, path.join(folder, ...file.split('/')));
    return { 'printing.json': JSON.stringify(facts) };
  };
  const reused = await context.cache.cached<CourseView>(folder, { format: 'pdf', key, files: [file], ...(view ? { view } : {}), produce });
  if (!facts) {
    const kept = await context.cache.extra('pdf', key, 'printing.json');
    facts = kept ? (JSON.parse(kept) as PrintingFacts) : await print(view, path.join(folder, ...file.split('/')));
  }
  return { ...facts, key, file, reused };
}

/**
 * Prints one section of a book, numbered from `firstPage`, or links it from the cache. Its key is
 * the section's sources and images, the book it is printed for (which links stay inside), the
 * course's outline (what links to other parts name), its first page, the browser and fonts; and
 * what it read of the view. The book's date is not in it: parts print no date.
 */
async function printedPart(context: PublishContext, book: Book, section: Section, firstPage: number, options: AssemblyOptions): Promise<Printing> {
  const { course } = context;
  const key = await bookKey(context, 'pdf-part', book.path, [section], { date: new Date(0), printing: hashOf(options.printing, firstPage, courseOutline(course)) });
  return cachedPrinting(context, options.folder, key, options.view, async (view, file) => {
    // The section's bodies render ahead, on the worker threads when there are many.
    await context.render.prepare(section.lessons);
    const layout = layOutPart(options.env, course, context.render, book, section, firstPage, view);
    const browser = await context.browser.get();
    await mkdir(path.dirname(file), { recursive: true });
    const page = await openPrintPage(browser, [options.folder, course.root]);
    try {
      const printed = await printPart(page, layout.html, `${file}.html`, firstPage, true, `${book.path}, ${section.title}`);
      await writeFile(file, printed.pdf);
      return { pageCount: printed.pageCount, pages: [...printed.pages], places: layout.places };
    } finally {
      await page.close();
    }
  });
}

/** Prints the front matter with the given page numbers (none: to measure it), or links it from the cache. */
async function printedFront(context: PublishContext, front: FrontLayout, pages: PageNumbers, options: AssemblyOptions): Promise<Printing> {
  const numbers = [...pages].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const key = hashOf('pdf-front', front.html, numbers, options.printing);
  return cachedPrinting(context, options.folder, key, undefined, async (_view, file) => {
    const browser = await context.browser.get();
    await mkdir(path.dirname(file), { recursive: true });
    const page = await openPrintPage(browser, [options.folder, context.course.root]);
    try {
      // Measuring (no numbers yet) needs no tags.
      const printed = await printFront(page, front.html, `${file}.html`, pages, pages.size > 0);
      await writeFile(file, printed.pdf);
      return { pageCount: printed.pageCount, pages: [...printed.pages] };
    } finally {
      await page.close();
    }
  });
}

/**
 * Prints a book as its front matter and one part per section, each part numbered with its pages in
 * the book and cached by its inputs, one part at a time (so Chromium holds one section, never the
 * whole book). The front is measured first (its contents' numbers have a fixed width), the parts
 * follow from the page after it, and the front is printed again with their numbers; should its
 * page count still change, the parts after it move and are printed again.
 * Note: a part whose first page moved is printed again rather than renumbered: its page numbers,
 * and the numbers in its text ("Solution on page 42"), are Chromium's own type, which a stamped
 * number could not match; an edit that keeps page counts moves nothing.
 * @param context the build context
 * @param book the PDF
 * @param options the environment, view, date, printing fingerprint and print folder
 */
export async function assembleBook(context: PublishContext, book: Book, options: AssemblyOptions): Promise<AssembledBook> {
  const { course } = context;
  // The contents list each section's Solutions where its part has them: known once the parts are printed.
  let contents: ContentsEntry[] = bookContents(course, book, () => false, options.view);
  let front = layOutFront(options.env, course, book, contents, options.date, options.view);
  const measured = await printedFront(context, front, new Map(), options);
  let frontPages = measured.pageCount;
  for (let round = 1; round <= maxRounds; round++) {
    let firstPage = frontPages + 1;
    const parts: AssembledBook['parts'] = [];
    for (const section of book.sections) {
      const part = await printedPart(context, book, section, firstPage, options);
      parts.push({ ...part, section });
      firstPage += part.pageCount;
    }
    const pages = new Map(parts.flatMap((part) => part.pages));
    const withSolutions = new Set(parts.filter((part) => pages.has(sectionSolutionsAnchor(sectionAnchor(part.section)))).map((part) => part.section));
    contents = bookContents(course, book, (section) => withSolutions.has(section), options.view);
    front = layOutFront(options.env, course, book, contents, options.date, options.view);
    const frontPrinting = await printedFront(context, front, pages, options);
    if (frontPrinting.pageCount === frontPages) return { front, frontPrinting, parts, pageCount: firstPage - 1, keys: [measured.key, frontPrinting.key, ...parts.map((part) => part.key)] };
    frontPages = frontPrinting.pageCount;
  }
  throw new CoursebookError(`The contents of ${book.path} changed length ${maxRounds} times while its page numbers were filled in.`);
}

/**
 * The files of a book's printings in print order: the front matter, then the parts.
 * @param assembled the printed book
 * @param folder the print folder
 */
export function printingsOf(assembled: AssembledBook, folder: string): string[] {
  return [assembled.frontPrinting, ...assembled.parts].map((printing) => path.join(folder, ...printing.file.split('/')));
}

/**
 * Keeps a reused book's printings in the cache: the cache keeps only what a build used, and a
 * book linked whole from the cache does not print, so its parts are marked used here; the next
 * edit then prints only what it changed.
 * @param context the build context
 * @param keys the printings' keys (`AssembledBook.keys`)
 */
export async function keepPrintings(context: PublishContext, keys: string[]): Promise<void> {
  await Promise.all(keys.map((key) => context.cache.extra('pdf', key, 'printing.json')));
}
