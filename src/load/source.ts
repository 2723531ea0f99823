import { readFile } from 'node:fs/promises';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const lenientUtf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

/** Finds the byte offset of the first invalid UTF-8 sequence. */
function firstInvalidByte(bytes: Uint8Array): number {
  let low = 0;
  let high = bytes.length;
  // Binary search for the longest prefix that decodes; streaming lets a prefix end mid-character.
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      low = mid;
    } catch {
      high = mid - 1;
    }
  }
  // A streamed prefix may end on the lead byte of the bad sequence: point at that lead byte.
  for (let back = 1; back <= 3 && low - back >= 0; back++) {
    const byte = bytes[low - back]!;
    if ((byte & 0xc0) === 0xc0) return low - back;
    if ((byte & 0xc0) !== 0x80) break;
  }
  return low;
}

/**
 * Reads a source file as UTF-8 text. A BOM is dropped; CRLF is kept (the parser handles it).
 * Invalid UTF-8 is an `encoding` diagnostic at the first bad byte, and the text is decoded leniently
 * so every other rule still runs on the file.
 * @param absolute the file's absolute path
 * @param file the path relative to the content root, for diagnostics
 */
export async function readSource(absolute: string, file: string): Promise<{ text?: string; diagnostics: Diagnostic[] }> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(absolute);
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    return { diagnostics: [diagnostic('file-unreadable', file, undefined, `Could not read this file (${reason}). Check its permissions.`)] };
  }
  try {
    return { text: strictUtf8.decode(bytes), diagnostics: [] };
  } catch {
    const offset = firstInvalidByte(bytes);
    const before = lenientUtf8.decode(bytes.subarray(0, offset));
    const lines = before.split('\n');
    const line = lines.length;
    const column = (lines.at(-1)?.length ?? 0) + 1;
    return {
      text: lenientUtf8.decode(bytes),
      diagnostics: [diagnostic('encoding', file, { line, column }, `Not valid UTF-8 (byte ${offset}). Re-save the file as UTF-8.`)],
    };
  }
}
