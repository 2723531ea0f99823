import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import { bookKey } from '../cache/keys.js';
import { CoursebookError } from '../load/errors.js';
import type { Course } from '../model/course.js';
import { createTemplateEnvironment, templateFolders } from '../render/templates.js';
import { planBooks, type BookPlan } from './epub/book.js';
import { composeBook } from './epub/compose.js';
import { writeOutput } from './files.js';
import type { PublishContext, Writer } from './writer.js';

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

/** The cache key of an EPUB: its sections, their images, the outline and the cover course.yml names. */
function epubKey(context: PublishContext, book: BookPlan): Promise<string> {
  const cover = context.course.config.cover;
  return bookKey(context, 'epub', book.file, book.sections, cover ? [path.resolve(context.course.root, cover)] : []);
}

/**
 * EPUB 3 books: one per section and one for the whole course, from the same lesson bodies and
 * partials as the site, each with a generated cover, a nested table of contents, an NCX, and
 * accessibility metadata. Two builds of the same sources give byte-identical files.
 */
export const epubWriter: Writer = {
  name: 'epub',
  description: 'EPUB 3 books, one per section and one for the whole course',
  async publish(context) {
    const { course, outDir } = context;
    const tools = { env: createTemplateEnvironment(course), css: await templateText(course, stylesheet) };
    const books = planBooks(course);
    // Books compress in JavaScript; two at a time keeps Chromium (covers) and zipping overlapped.
    const limit = pLimit(2);
    let done = 0;
    let built = 0;
    await Promise.all(
      books.map((book) =>
        limit(async () => {
          const key = await epubKey(context, book);
          if (!(await context.cache.reuse('epub', key, outDir, [book.file]))) {
            try {
              await writeOutput(outDir, book.file, await composeBook(context, tools, book));
            } catch (cause) {
              if (cause instanceof CoursebookError) throw cause;
              throw new CoursebookError(`Could not write ${book.file}: ${(cause as Error).message}`, { cause });
            }
            await context.cache.store('epub', key, outDir, [book.file]);
            built++;
          }
          context.progress(++done, books.length, path.basename(book.file));
        }),
      ),
    );
    return `${books.length} books (${built} built, ${books.length - built} cached)`;
  },
};
