import { htmlWriter } from './html.js';
import { jsonWriter } from './json.js';
import { pdfWriter } from './pdf.js';
import { epubWriter } from './epub.js';
import { scorm12Writer, scorm2004Writer } from './scorm.js';
import { opdsWriter } from './opds.js';
import { ccWriter } from './cc.js';
import type { Writer } from './writer.js';

/**
 * The table of output formats, in build order. Adding a format is adding a module and a row.
 */
export const writers: Writer[] = [htmlWriter, jsonWriter, pdfWriter, epubWriter, opdsWriter, scorm12Writer, scorm2004Writer, ccWriter];

/** Looks a writer up by its `--format` name. */
export function findWriter(name: string): Writer | undefined {
  return writers.find((writer) => writer.name === name);
}
