import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { printingFingerprint } from '../../cache/printing.js';
import { createTemplateEnvironment } from '../../render/templates.js';
import type { PublishContext } from '../writer.js';
import { assembleBook } from './assemble.js';
import { addPrintFilters, layOutPart, printView, type PartLayout } from './book-html.js';
import type { Book } from './book.js';
import { pageStarts, type BlockPlace, type PageStarts } from './page-blocks.js';
import { solutionsAnchor } from './solutions.js';

/**
 * The places of a book's parts as the EPUB numbers them: the EPUB has one Solutions appendix where
 * the PDF has one per section, so the appendices' blocks are counted on from one to the next, and
 * the title of every appendix after the first, which the EPUB does not repeat, is left out.
 */
function epubPlaces(layouts: Pick<PartLayout, 'places'>[]): (BlockPlace & { anchor: string })[] {
  let solutionBlocks = 0;
  let appendices = 0;
  return layouts.flatMap((layout) => {
    const own = layout.places.filter((place) => place.part !== solutionsAnchor);
    const solutions = layout.places.filter((place) => place.part === solutionsAnchor);
    if (solutions.length === 0) return own;
    const shift = solutionBlocks;
    const first = appendices++ === 0;
    solutionBlocks += solutions.filter((place) => place.block >= 0).length - (first ? 0 : 1);
    // The appendix's opening (-1) and its title (0) stand for the EPUB's only in the first appendix.
    const kept = solutions.filter((place) => first || place.block > 0).map((place) => ({ ...place, block: place.block < 0 ? place.block : first ? place.block : place.block - 1 + shift }));
    return [...own, ...kept];
  });
}

/**
 * Where the pages of a book's PDF edition begin, for the EPUB's page list: the book is assembled
 * exactly as the PDF writer assembles it (its parts from the cache when the PDF was built before),
 * and every block's page is read from its named destination.
 * Note: a part the cache has is neither printed nor laid out again (its places are kept with it); a
 * missing one is printed and kept, so the PDF writer finds it.
 * @param context the build context
 * @param book the PDF book holding the same sections as the EPUB
 * @param date the PDF's date, which its cover prints
 */
export async function printedPageStarts(context: PublishContext, book: Book, date: Date): Promise<PageStarts> {
  const { course } = context;
  const env = addPrintFilters(createTemplateEnvironment(course));
  const view = printView(course);
  const folder = await mkdtemp(path.join(os.tmpdir(), 'coursebook-pages-'));
  try {
    const assembled = await assembleBook(context, book, { env, view, date, printing: await printingFingerprint(), folder });
    const pages = new Map(assembled.parts.flatMap((part) => part.pages));
    // A part's places come with its printing; one printed before they were kept is laid out again.
    const layouts = assembled.parts.map((part) => (part.places ? { places: part.places } : layOutPart(env, course, context.render, book, part.section, 1, view)));
    const places = epubPlaces(layouts).flatMap((place) => {
      const printed = pages.get(place.anchor);
      return printed === undefined ? [] : [{ part: place.part, block: place.block, page: printed }];
    });
    return pageStarts(places, assembled.pageCount);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
