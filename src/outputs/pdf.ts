import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import pLimit from 'p-limit';
import { hashOf } from '../cache/fingerprint.js';
import { bookKey } from '../cache/keys.js';
import { printingFingerprint } from '../cache/printing.js';
import { onInterrupt } from '../process/interrupt.js';
import { createTemplateEnvironment } from '../render/templates.js';
import { bookSources } from './book-sources.js';
import { courseLabels } from '../render/labels.js';
import { bookArtifacts, bookOf } from './books.js';
import { writeOutput } from './files.js';
import { assembleBook, keepPrintings, printingsOf } from './pdf/assemble.js';
import { addPrintFilters, printView } from './pdf/book-html.js';
import { mergeBook } from './pdf/merge.js';
import type { Writer } from './writer.js';

/** The extra a book's cache entry keeps: the keys of the printings it was merged from. */
const printingsExtra = 'printings.json';

/**
 * Book-quality PDFs, one per section and one for the whole course, printed by Chromium from the
 * shared lesson bodies and partials inside the print frame (templates/print/): a cover, a table of
 * contents with page numbers, bookmarks, running heads, in-document links, tagged and reproducible.
 * Each book is merged from printings kept in the cache: its front matter, and one part per
 * section numbered with its pages in the book (see pdf/assemble.ts).
 */
export const pdfWriter: Writer = {
  name: 'pdf',
  description: 'a PDF book per section and one for the whole course',
  offersDownloads: true,
  artifacts: (course) => bookArtifacts(course, 'pdf', courseLabels(course).format('downloadPdf')),
  async publish(context) {
    const { course, outDir } = context;
    const env = addPrintFilters(createTemplateEnvironment(course));
    const view = printView(course);
    const printing = await printingFingerprint();
    // Books print from files so their images load. The folder sits beside the staging folder and
    // shares its name, so it goes however the build ends: here, on a signal, or with the next
    // build's cleanup of what a killed one left.
    const folder = `${outDir}.print`;
    const unregister = onInterrupt(
      () => rm(folder, { recursive: true, force: true }),
      () => rmSync(folder, { recursive: true, force: true }),
    );
    // Each book prints one part at a time, so Chromium holds at most this many sections at once.
    const limit = pLimit(os.availableParallelism());
    const books = context.artifacts;
    let done = 0;
    let pages = 0;
    let built = 0;
    let partsPrinted = 0;
    let partsReused = 0;
    try {
      await Promise.all(
        books.map((artifact) =>
          limit(async () => {
            const book = bookOf(course, artifact);
            const date = await context.sourceDate(bookSources(course, book));
            const key = await bookKey(context, 'pdf', book.path, book.sections, { date, printing });
            // A book whose inputs are unchanged is linked from the cache: no layout, no browser, no merging.
            const reused = await context.cache.cached(outDir, {
              format: 'pdf',
              key,
              files: [book.path],
              view,
              produce: async (tracked) => {
                const started = performance.now();
                const assembled = await assembleBook(context, book, { env, view: tracked, date, printing, folder });
                const { front } = assembled;
                const metadata = { title: front.title, authors: course.config.authors, subject: front.subject, keywords: front.keywords, language: course.config.language, date };
                const { pdf, pageCount } = await mergeBook(printingsOf(assembled, folder), front.contents, metadata, hashOf(course.config.identifier, book.path));
                await writeOutput(outDir, book.path, pdf);
                const printed = assembled.parts.filter((part) => !part.reused).length;
                context.log(`${book.path}: ${pageCount} pages, ${printed} of ${assembled.parts.length} parts printed, merged in ${Math.round(performance.now() - started)} ms`);
                pages += pageCount;
                built++;
                partsPrinted += printed;
                partsReused += assembled.parts.length - printed;
                return { [printingsExtra]: JSON.stringify(assembled.keys) };
              },
            });
            if (reused) await keepPrintings(context, JSON.parse((await context.cache.extra('pdf', key, printingsExtra)) ?? '[]') as string[]);
            context.progress(++done, books.length, book.path);
            return reused;
          }),
        ),
      );
      return built === 0
        ? `${books.length} PDFs (all cached)`
        : `${books.length} PDFs (${built} built, ${pages} pages, ${partsPrinted} parts printed, ${partsReused} reused; ${books.length - built} cached)`;
    } finally {
      unregister();
      await rm(folder, { recursive: true, force: true });
    }
  },
};
