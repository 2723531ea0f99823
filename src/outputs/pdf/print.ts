import { realpathSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ParseSpeeds, PDFDocument } from 'pdf-lib';
import type { Browser, Page } from 'puppeteer';
import { CoursebookError } from '../../shared/errors.js';
import { isInside } from '../../shared/paths.js';
import type { BookLayout } from './book-html.js';
import { renumberStructureIds, saveReproducibly, writeMetadata, type BookMetadata } from './finish.js';
import { readDestinations, writeOutline } from './outline.js';

/** Where each anchor of a book was printed: anchor → 1-based page number. */
export type PageNumbers = ReadonlyMap<string, number>;

/** How many times a book is printed at most while its table of contents settles (usually twice). */
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

/**
 * Prints a loaded book until its page numbers are right: print, read where every anchor landed,
 * put those numbers into the loaded page, and print again until they no longer change (usually
 * twice). Only the last printing is tagged (when asked); tagging does not move anything.
 */
async function settle(page: Page, layout: BookLayout, tagged: boolean): Promise<{ doc: PDFDocument; destinations: ReturnType<typeof readDestinations>; passes: number }> {
  let pages: PageNumbers = new Map();
  for (let pass = 1; pass <= maxPasses; pass++) {
    const printed = await page.pdf({ tagged: tagged && pass > 1, outline: false, preferCSSPageSize: true, printBackground: true });
    const doc = await PDFDocument.load(printed, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
    const destinations = readDestinations(doc);
    if (pass > 1 && samePages(destinations.pages, pages)) return { doc, destinations, passes: pass };
    pages = destinations.pages;
    await fillPageNumbers(page, pages);
  }
  throw new CoursebookError(
    `The page numbers of "${layout.title}" did not settle after ${maxPasses} printings: the table of contents changes length with them. Give page numbers a fixed width in templates/print.`,
  );
}

/**
 * Prints a book until its page numbers are right (see `settle`), then writes the bookmarks and
 * the document information.
 * Note: Chromium has no `target-counter()`; page numbers only exist in a printed PDF. The first
 * printing only measures, so it is untagged, which halves its time; tagging does not move anything.
 * @param page a page from `openPrintPage`
 * @param layout the book's text
 * @param file where to write the HTML for printing (inside a folder the page may read); it is
 *   loaded by URL, not set as content, so its images (file:// URLs) load
 * @param metadata the document information
 * @param documentId a hex hash naming the document, the first half of its /ID
 * @returns the finished PDF, its page count, how many printings it took, and where every anchor was printed
 */
export async function printBook(
  page: Page,
  layout: BookLayout,
  file: string,
  metadata: BookMetadata,
  documentId: string,
): Promise<{ pdf: Uint8Array; pageCount: number; passes: number; pages: PageNumbers }> {
  await writeFile(file, layout.html);
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const { doc, destinations, passes } = await settle(page, layout, true);
  writeOutline(doc, layout.contents, destinations.targets);
  writeMetadata(doc, metadata);
  renumberStructureIds(doc);
  return { pdf: await saveReproducibly(doc, documentId), pageCount: doc.getPageCount(), passes, pages: destinations.pages };
}

/**
 * Prints a book only to learn where its pages break, as `printBook` would print it, untagged.
 * @param page a page from `openPrintPage`
 * @param layout the book's text
 * @param file where to write the HTML for printing (see `printBook`)
 * @returns its page count and where every anchor was printed
 */
export async function measureBook(page: Page, layout: BookLayout, file: string): Promise<{ pageCount: number; pages: PageNumbers }> {
  await writeFile(file, layout.html);
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const { doc, destinations } = await settle(page, layout, false);
  return { pageCount: doc.getPageCount(), pages: destinations.pages };
}
