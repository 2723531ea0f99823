import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
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
 * The largest source file Coursebook reads: 256 KB, about three hours of reading, where a long
 * lesson is 30 KB. Anything bigger is a pasted log or inline data, not a lesson, and is refused unread.
 * Note: this is what bounds the time and memory one file can cost. The parser needs up to 5 KB of
 * memory per byte of dense Markdown (a list of one-word items) and, for one long paragraph full of
 * emphasis, time that grows with the square of its length: at 256 KB that is about 1 GB and 10 s,
 * at 2 MB it runs out of memory.
 */
export const maxSourceBytes = 256 * 1024;

/** Why a source cannot be read, in words for a diagnostic, or its bytes. */
async function readBytes(absolute: string): Promise<Uint8Array | string> {
  let handle: FileHandle | undefined;
  try {
    // Non-blocking, so a FIFO in place of a file cannot make the open wait for a writer forever.
    handle = await open(absolute, constants.O_RDONLY | constants.O_NONBLOCK);
    const info = await handle.stat();
    if (info.isDirectory()) return 'This is a folder, not a file, so it is not read. Rename it so its name does not end in .md, or replace it with a file.';
    if (!info.isFile()) return 'This is not a regular file (a FIFO, socket or device), so it is not read. Replace it with a file.';
    if (info.size > maxSourceBytes)
      return `This file is ${Math.ceil(info.size / 1024)} KB; Coursebook reads source files up to ${maxSourceBytes / 1024} KB, so it is not read. Split it into smaller lessons, and keep images in files.`;
    return await handle.readFile();
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    return `Could not read this file (${reason}). Check its permissions.`;
  } finally {
    await handle?.close();
  }
}

/**
 * Reads a source file as UTF-8 text. A BOM is dropped; CRLF is kept (the parser handles it).
 * Invalid UTF-8 is an `encoding` diagnostic at the first bad byte, and the text is decoded leniently
 * so every other rule still runs on the file. Anything that is not a regular file, or that is bigger
 * than `maxSourceBytes`, is a `file-unreadable` diagnostic and is not read.
 * @param absolute the file's absolute path
 * @param file the path relative to the content root, for diagnostics
 */
export async function readSource(absolute: string, file: string): Promise<{ text?: string; diagnostics: Diagnostic[] }> {
  const bytes = await readBytes(absolute);
  if (typeof bytes === 'string') return { diagnostics: [diagnostic('file-unreadable', file, undefined, bytes)] };
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
