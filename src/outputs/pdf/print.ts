import { realpathSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ParseSpeeds, PDFDocument } from 'pdf-lib';
import type { Browser, Page } from 'puppeteer';
import { CoursebookError } from '../../shared/errors.js';
import { isInside } from '../../shared/paths.js';
import { readDestinations } from './outline.js';

/** Where each anchor of a book was printed: anchor → 1-based page number. */
export type PageNumbers = ReadonlyMap<string, number>;

/** How many times a part is printed at most while its page numbers settle (usually twice). */
const maxPasses = 5;

/** Whether a request may load: data: URLs, and files inside the allowed folders (symlinks followed). */
function allowedRequest(url: string, folders: string[]): boolean {
  if (url.startsWith('data:')) return true;
  if (!url.startsWith('file:')) return false;
  try {
    const file = realpathSync(fileURLToPath(url));
    return folders.some((folder) => isInside(folder, file));
  } catch {
    return false;
  }
}

/**
 * Opens a page that prints untrusted lesson HTML safely: JavaScript off, and every request other
 * than data: URLs and files inside the given folders refused.
 * @param browser the build's browser
 * @param folders folders the page may read (the print folder, the content root)
 */
export async function openPrintPage(browser: Browser, folders: string[]): Promise<Page> {
  const allowed = folders.map((folder) => realpathSync(folder));
  const page = await browser.newPage();
  await page.setJavaScriptEnabled(false);
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.isInterceptResolutionHandled()) return;
    void (allowedRequest(request.url(), allowed) ? request.continue() : request.abort('blockedbyclient'));
  });
  return page;
}

/**
 * Puts page numbers into the loaded book: every element with `data-page-of="anchor"` gets the
 * number of the page that anchor was printed on (empty when unknown).
 * Note: this is our code run through DevTools; the page's own scripts stay disabled.
 */
async function fillPageNumbers(page: Page, pages: PageNumbers): Promise<void> {
  await page.evaluate((numbers: Record<string, number>) => {
    for (const slot of document.querySelectorAll('[data-page-of]')) slot.textContent = String(numbers[slot.getAttribute('data-page-of') ?? ''] ?? '');
  }, Object.fromEntries(pages));
}

const samePages = (a: PageNumbers, b: PageNumbers): boolean => a.size === b.size && [...a].every(([anchor, page]) => b.get(anchor) === page);

/** Loads HTML into the page from a file, so its images (file:// URLs) load. */
async function load(page: Page, html: string, file: string): Promise<void> {
  await writeFile(file, html);
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
}

/** Where the anchors of a printing landed, as the book numbers its pages. */
function bookPages(doc: PDFDocument, firstPage: number): PageNumbers {
  return new Map([...readDestinations(doc).pages].map(([anchor, page]) => [anchor, page + firstPage - 1]));
}

/** One printing of a part or of the front matter: Chromium's PDF, and where its anchors landed in the book. */
export interface Printed {
  /** The PDF as Chromium wrote it. */
  pdf: Uint8Array;
  pageCount: number;
  /** Anchor → the book's page number. */
  pages: PageNumbers;
}

/** Prints the loaded page once and reads where its anchors landed. */
async function printOnce(page: Page, tagged: boolean, firstPage: number): Promise<Printed> {
  const pdf = await page.pdf({ tagged, outline: false, preferCSSPageSize: true, printBackground: true });
  const doc = await PDFDocument.load(pdf, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
  return { pdf, pageCount: doc.getPageCount(), pages: bookPages(doc, firstPage) };
}

/**
 * Prints one part of a book until its own page numbers are right ("Solution on page 42"): print,
 * read where every anchor landed, put those numbers into the loaded page, and print again until
 * they no longer change (usually twice). Only the last printing is tagged (when asked); tagging
 * does not move anything.
 * Note: Chromium has no `target-counter()`; page numbers only exist in a printed PDF.
 * @param page a page from `openPrintPage`
 * @param html the part's HTML (`layOutPart`), numbered from `firstPage`
 * @param file where to write the HTML for printing (inside a folder the page may read)
 * @param firstPage the book's number of the part's first page
 * @param tagged whether the PDF is tagged
 * @param title the part's title, for the error when numbers never settle
 */
export async function printPart(page: Page, html: string, file: string, firstPage: number, tagged: boolean, title: string): Promise<Printed> {
  await load(page, html, file);
  // A part that shows no page number of its own (no exercises) is right the first time.
  if (!html.includes('data-page-of=')) return printOnce(page, tagged, firstPage);
  let pages: PageNumbers = new Map();
  for (let pass = 1; pass <= maxPasses; pass++) {
    const printed = await printOnce(page, tagged && pass > 1, firstPage);
    if (pass > 1 && samePages(printed.pages, pages)) return printed;
    pages = printed.pages;
    await fillPageNumbers(page, pages);
  }
  throw new CoursebookError(
    `The page numbers of "${title}" did not settle after ${maxPasses} printings: a page number changes the length of what refers to it. Give page numbers a fixed width in templates/print.`,
  );
}

/**
 * Prints a book's front matter (cover and contents) with the page numbers of its parts.
 * Note: the contents' numbers have a fixed width, so the page count does not depend on them;
 * `pages` empty measures it.
 * @param page a page from `openPrintPage`
 * @param html the front matter's HTML (`layOutFront`)
 * @param file where to write the HTML for printing (inside a folder the page may read)
 * @param pages the book's page of every anchor of its parts
 * @param tagged whether the PDF is tagged
 */
export async function printFront(page: Page, html: string, file: string, pages: PageNumbers, tagged: boolean): Promise<Printed> {
  await load(page, html, file);
  await fillPageNumbers(page, pages);
  return printOnce(page, tagged, 1);
}
