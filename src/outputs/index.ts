import type { Writer } from './writer.js';

/**
 * A row of the writer table whose module is imported on first publish, so commands that publish
 * nothing (`--version`, `check`) never load Shiki, svgo, pdf-lib or epub-gen-memory.
 * @param name the `--format` name, equal to the writer module's own
 * @param description the writer module's one-line description
 * @param load imports the writer module and returns its writer
 */
function lazyWriter(name: string, description: string, load: () => Promise<Writer>): Writer {
  return { name, description, publish: async (context) => (await load()).publish(context) };
}

/**
 * The table of output formats, in build order. Adding a format is adding a module and a row.
 * Note: names and descriptions are repeated here so the table costs nothing to import; a test
 * holds them equal to each writer module's.
 */
export const writers: Writer[] = [
  lazyWriter('html', 'a static website with offline search', async () => (await import('./html.js')).htmlWriter),
  lazyWriter('json', 'a JSON catalogue API with JSON Schemas (api/catalogue.json)', async () => (await import('./json.js')).jsonWriter),
  lazyWriter('pdf', 'a PDF book per section and one for the whole course', async () => (await import('./pdf.js')).pdfWriter),
  lazyWriter('epub', 'EPUB 3 books, one per section and one for the whole course', async () => (await import('./epub.js')).epubWriter),
];

/** Looks a writer up by its `--format` name. */
export function findWriter(name: string): Writer | undefined {
  return writers.find((writer) => writer.name === name);
}
