import { rmSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import { hashOf } from '../cache/fingerprint.js';
import { bookKey } from '../cache/keys.js';
import { onInterrupt } from '../process/interrupt.js';
import { createTemplateEnvironment } from '../render/templates.js';
import { writeOutput } from './files.js';
import { addPrintFilters, layOutBook } from './pdf/book-html.js';
import { booksOf } from './pdf/book.js';
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
  async publish(context) {
    const { course, outDir } = context;
    // A book whose inputs are unchanged is linked from the cache: no layout, no browser, no printing.
    const planned = await Promise.all(booksOf(course).map(async (book) => ({ book, key: await bookKey(context, 'pdf', book.path, book.sections) })));
    const missing: typeof planned = [];
    for (const plan of planned) if (!(await context.cache.reuse('pdf', plan.key, outDir, [plan.book.path]))) missing.push(plan);
    const cached = planned.length - missing.length;
    if (missing.length === 0) return `${planned.length} PDFs (all cached)`;
    const env = addPrintFilters(createTemplateEnvironment(course));
    // Chromium starts while the books are laid out; the first layout renders every lesson body.
    const starting = context.browser.get();
    starting.catch(() => {});
    const layoutStarted = performance.now();
    const books = missing.map(({ book, key }) => ({ book, key, layout: layOutBook(env, course, context.render, book, context.buildDate) }));
    context.log(`laid out ${books.length} books in ${Math.round(performance.now() - layoutStarted)} ms`);
    const browser = await starting;
    // Books print from files so their images load. The folder sits beside the staging folder and
    // shares its name, so it goes however the build ends: here, on a signal, or with the next
    // build's cleanup of what a killed one left.
    const folder = `${outDir}.print`;
    await mkdir(folder, { recursive: true });
    const unregister = onInterrupt(
      () => rm(folder, { recursive: true, force: true }),
      () => rmSync(folder, { recursive: true, force: true }),
    );
    const limit = pLimit(os.availableParallelism());
    let done = 0;
    try {
      const pageCounts = await Promise.all(
        books.map(({ book, key, layout }, index) =>
          limit(async () => {
            const metadata = { title: layout.title, authors: course.config.authors, subject: layout.subject, keywords: layout.keywords, language: course.config.language, date: context.buildDate };
            const started = performance.now();
            const page = await openPrintPage(browser, [folder, course.root]);
            try {
              const { pdf, pageCount, passes } = await printBook(page, layout, path.join(folder, `book-${index}.html`), metadata, hashOf(course.config.identifier, book.path));
              await writeOutput(outDir, book.path, pdf);
              await context.cache.store('pdf', key, outDir, [book.path]);
              context.log(`${book.path}: ${pageCount} pages, printed ${passes} times in ${Math.round(performance.now() - started)} ms`);
              context.progress(++done, books.length, book.path);
              return pageCount;
            } finally {
              await page.close();
            }
          }),
        ),
      );
      return `${planned.length} PDFs (${books.length} printed, ${pageCounts.reduce((sum, count) => sum + count, 0)} pages; ${cached} cached)`;
    } finally {
      unregister();
      await rm(folder, { recursive: true, force: true });
    }
  },
};
