import { rmSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
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
import { addPrintFilters, layOutBook, printView } from './pdf/book-html.js';
import { openPrintPage, printBook } from './pdf/print.js';
import type { Writer } from './writer.js';

/**
 * Book-quality PDFs, one per section and one for the whole course, printed by Chromium from the
 * shared lesson bodies and partials inside the print frame (templates/print/): a cover, a table of
 * contents with page numbers, bookmarks, running heads, in-document links, tagged and reproducible.
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
    const limit = pLimit(os.availableParallelism());
    const books = context.artifacts;
    let done = 0;
    let pages = 0;
    let printed = 0;
    try {
      await Promise.all(
        books.map((artifact, index) =>
          limit(async () => {
            const book = bookOf(course, artifact);
            const date = await context.sourceDate(bookSources(course, book));
            const key = await bookKey(context, 'pdf', book.path, book.sections, { date, printing });
            // A book whose inputs are unchanged is linked from the cache: no layout, no browser, no printing.
            const reused = await context.cache.cached(outDir, {
              format: 'pdf',
              key,
              files: [book.path],
              view,
              produce: async (tracked) => {
                const browser = await context.browser.get();
                const started = performance.now();
                const layout = layOutBook(env, course, context.render, book, date, tracked);
                await mkdir(folder, { recursive: true });
                const metadata = { title: layout.title, authors: course.config.authors, subject: layout.subject, keywords: layout.keywords, language: course.config.language, date };
                const page = await openPrintPage(browser, [folder, course.root]);
                try {
                  const { pdf, pageCount, passes } = await printBook(page, layout, path.join(folder, `book-${index}.html`), metadata, hashOf(course.config.identifier, book.path));
                  await writeOutput(outDir, book.path, pdf);
                  context.log(`${book.path}: ${pageCount} pages, printed ${passes} times in ${Math.round(performance.now() - started)} ms`);
                  pages += pageCount;
                  printed++;
                } finally {
                  await page.close();
                }
              },
            });
            context.progress(++done, books.length, book.path);
            return reused;
          }),
        ),
      );
      return printed === 0 ? `${books.length} PDFs (all cached)` : `${books.length} PDFs (${printed} printed, ${pages} pages; ${books.length - printed} cached)`;
    } finally {
      unregister();
      await rm(folder, { recursive: true, force: true });
    }
  },
};
