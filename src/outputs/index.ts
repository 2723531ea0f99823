import type { Writer } from './writer.js';

/**
 * A row of the writer table whose module is imported when a build selects it, so commands that
 * publish nothing (`--version`, `check`) never load Shiki, svgo, pdf-lib or epub-gen-memory.
 */
export interface WriterRow {
  /** The `--format` name, equal to the writer module's own. */
  name: string;
  /** The writer module's one-line description. */
  description: string;
  /** Whether the writer offers downloads, as the module says. */
  offersDownloads?: boolean;
  /** Imports the writer module and returns its writer. */
  load(): Promise<Writer>;
  /** Built only when `--format` names it (LMS packages, feeds), not by a plain `build`. */
  optIn?: boolean;
}

/** A writer, or a row that loads one: what the table and `build({ writers })` accept. */
export type WriterEntry = Writer | WriterRow;

/**
 * The writer an entry stands for, importing its module when it is a lazy row.
 * @param entry a writer or a row of the table
 */
export async function loadWriter(entry: WriterEntry): Promise<Writer> {
  return 'load' in entry ? entry.load() : entry;
}

function lazyWriter(name: string, description: string, load: () => Promise<Writer>, options: { offersDownloads?: boolean; optIn?: boolean } = {}): WriterRow {
  return { name, description, load, ...options };
}

/**
 * The table of output formats, in build order. Adding a format is adding a module and a row.
 * Note: names and descriptions are repeated here so the table costs nothing to import; a test
 * holds them equal to each writer module's.
 */
export const writers: WriterEntry[] = [
  lazyWriter('html', 'a static website with offline search', async () => (await import('./html.js')).htmlWriter),
  lazyWriter('json', 'a JSON catalogue API with JSON Schemas (api/catalogue.json)', async () => (await import('./json.js')).jsonWriter),
  lazyWriter('pdf', 'a PDF book per section and one for the whole course', async () => (await import('./pdf.js')).pdfWriter, { offersDownloads: true }),
  lazyWriter('epub', 'EPUB 3 books, one per section and one for the whole course', async () => (await import('./epub.js')).epubWriter, { offersDownloads: true }),
  lazyWriter('opds', 'OPDS 2.0 and 1.2 catalogue feeds of the books, for reading apps', async () => (await import('./opds.js')).opdsWriter, { optIn: true }),
  lazyWriter('scorm12', 'SCORM 1.2 packages for learning-management systems, each lesson a tracked SCO', async () => (await import('./scorm.js')).scorm12Writer, { optIn: true }),
  lazyWriter('scorm2004', 'SCORM 2004 4th edition packages for learning-management systems, each lesson a tracked SCO', async () => (await import('./scorm.js')).scorm2004Writer, { optIn: true }),
  lazyWriter('cc', 'an IMS Common Cartridge 1.3 (.imscc) for Canvas and Moodle, quizzes as QTI 1.2', async () => (await import('./cc.js')).ccWriter, { optIn: true }),
];

/** Looks a writer up by its `--format` name. */
export function findWriter(name: string): WriterEntry | undefined {
  return writers.find((writer) => writer.name === name);
}
