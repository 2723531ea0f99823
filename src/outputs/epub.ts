import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import { hashOf } from '../cache/fingerprint.js';
import { bookKey } from '../cache/keys.js';
import { CoursebookError } from '../shared/errors.js';
import type { Course } from '../model/course.js';
import { createTemplateEnvironment, templateFolders } from '../render/templates.js';
import { courseView } from '../render/view.js';
import { courseLabels } from '../render/labels.js';
import { bookArtifacts, bookOf } from './books.js';
import { chapterFiles, planBook } from './epub/book.js';
import { composeBook, pdfEditionOf } from './epub/compose.js';
import { navEntries } from './epub/package.js';
import { BookParts, PartsShelf } from './epub/parts.js';
import { printingFingerprint } from '../cache/printing.js';
import { bookSources } from './book-sources.js';
import { writeOutput } from './files.js';
import type { Writer } from './writer.js';

/** The book stylesheet's path in a templates folder. */
const stylesheet = 'epub/epub.css';

/** Reads a template folder file that is not a template (the stylesheet), the course's own first. */
async function templateText(course: Course, name: string): Promise<string> {
  for (const folder of templateFolders(course)) {
    try {
      return await readFile(path.join(folder, ...name.split('/')), 'utf8');
    } catch {
      // Not in this folder: the built-in templates come next.
    }
  }
  throw new CoursebookError(`Template ${name} is missing from ${templateFolders(course).join(' and ')}.`);
}

/**
 * EPUB 3 books: one per section and one for the whole course, from the same lesson bodies and
 * partials as the site, each with a generated cover, a nested table of contents, an NCX, and
 * accessibility metadata. Two builds of the same sources give byte-identical files.
 */
export const epubWriter: Writer = {
  name: 'epub',
  description: 'EPUB 3 books, one per section and one for the whole course',
  offersDownloads: true,
  artifacts: (course) => bookArtifacts(course, 'epub', courseLabels(course).format('downloadEpub')),
  async publish(context) {
    const { course, outDir } = context;
    const tools = { env: createTemplateEnvironment(course), css: await templateText(course, stylesheet) };
    const view = courseView(course, { home: chapterFiles.nav, section: chapterFiles.section, lesson: chapterFiles.lesson });
    const cover = course.config.cover ? [path.resolve(course.root, course.config.cover)] : [];
    const shelf = new PartsShelf();
    let done = 0;
    let built = 0;
    const books = context.artifacts;
    const publishBook = async (artifact: (typeof books)[number]): Promise<void> => {
      const book = planBook(course, bookOf(course, artifact));
      const date = await context.sourceDate(bookSources(course, book));
      // The page list follows the PDF of the same sections, when this publication has one.
      const edition = pdfEditionOf(context, book, date);
      const printing = edition ? await printingFingerprint() : undefined;
      // The table of contents is read from the view untracked (a course's has thousands of entries), so it is part of the key.
      const nav = navEntries(view, book);
      const key = hashOf(await bookKey(context, 'epub', book.path, book.sections, { files: cover, date, ...(printing ? { printing } : {}), ...(edition ? { edition: edition.source } : {}) }), nav);
      const reused = await context.cache.cached(outDir, {
        format: 'epub',
        key,
        files: [book.path],
        view,
        produce: async (tracked) => {
          try {
            await writeOutput(outDir, book.path, await composeBook(context, tools, book, tracked, date, nav, shelf, edition));
          } catch (cause) {
            if (cause instanceof CoursebookError) throw cause;
            throw new CoursebookError(`Could not write ${book.path}: ${(cause as Error).message}`, { cause });
          }
        },
      });
      if (reused) await BookParts.keep(context.cache, book.path);
      else built++;
      context.progress(++done, books.length, path.basename(book.path));
    };
    // Section books first, two at a time (covers in Chromium overlap with zipping); then the course
    // book, which takes every chapter a section book made in this build from the shelf.
    const limit = pLimit(2);
    await Promise.all(books.filter((artifact) => artifact.section).map((artifact) => limit(() => publishBook(artifact))));
    for (const artifact of books.filter((candidate) => !candidate.section)) await publishBook(artifact);
    return `${books.length} books (${built} built, ${books.length - built} cached); chapters: ${shelf.rendered} rendered, ${shelf.reused} reused`;
  },
};
