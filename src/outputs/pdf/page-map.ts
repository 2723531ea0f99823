import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTemplateEnvironment } from '../../render/templates.js';
import type { PublishContext } from '../writer.js';
import { addPrintFilters, layOutBook } from './book-html.js';
import type { Book } from './book.js';
import { pageStarts, type PageStarts } from './page-blocks.js';
import { measureBook, openPrintPage } from './print.js';

/**
 * Where the pages of a book's PDF edition begin, for the EPUB's page list: the book is laid out
 * and printed exactly as the PDF writer prints it (untagged, never saved), and every block's page
 * is read from its named destination.
 * Note: this prints the book once more when the PDF is built in the same run; a section prints in
 * a few seconds, and the EPUB is cached with the same inputs as the PDF.
 * @param context the build context
 * @param book the PDF book holding the same sections as the EPUB
 * @param date the PDF's date, which its cover prints
 */
export async function printedPageStarts(context: PublishContext, book: Book, date: Date): Promise<PageStarts> {
  const { course } = context;
  const layout = layOutBook(addPrintFilters(createTemplateEnvironment(course)), course, context.render, book, date);
  const browser = await context.browser.get();
  const folder = await mkdtemp(path.join(os.tmpdir(), 'coursebook-pages-'));
  try {
    const page = await openPrintPage(browser, [folder, course.root]);
    try {
      const { pageCount, pages } = await measureBook(page, layout, path.join(folder, 'book.html'));
      const places = layout.places.flatMap((place) => {
        const printed = pages.get(place.anchor);
        return printed === undefined ? [] : [{ part: place.part, block: place.block, page: printed }];
      });
      return pageStarts(places, pageCount);
    } finally {
      await page.close();
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
