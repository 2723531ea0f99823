import { deflateRawSync, constants as zlibConstants } from 'node:zlib';
import JSZip from 'jszip';
import CompressedObject from 'jszip/lib/compressedObject.js';
import { DEFLATE } from 'jszip/lib/compressions.js';
import crc32 from 'jszip/lib/crc32.js';

/** One file of a book as the zip holds it: raw-deflated bytes and what a reader checks them against. */
export interface DeflatedEntry {
  /** The raw DEFLATE stream. */
  deflated: Uint8Array;
  /** The uncompressed size in bytes. */
  size: number;
  /** The CRC-32 of the uncompressed bytes. */
  crc: number;
}

/**
 * What a deflated entry depends on besides its bytes: Node's zlib, whose output may change between
 * versions. Keys of cached entries include it, so a cached book equals a fresh one after an upgrade.
 */
export const deflateVersion = `zlib-${process.versions.zlib}-level-9`;

/**
 * Compresses one file for the book, at zlib's best level.
 * @param bytes the file's bytes (text is encoded as UTF-8)
 */
export function deflateEntry(bytes: Uint8Array | string): DeflatedEntry {
  const raw = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  return { deflated: deflateRawSync(raw, { level: zlibConstants.Z_BEST_COMPRESSION }), size: raw.length, crc: crc32(raw) >>> 0 };
}

/** The earliest date a zip entry can carry (MS-DOS time starts in 1980). */
const zipEpoch = Date.UTC(1980, 0, 1);

/**
 * Writes an EPUB's zip from files already deflated: `mimetype` first and stored, then META-INF,
 * then the rest by name; no folder entries; every entry dated `date`. Nothing is compressed here.
 * Note: JSZip takes a deflated file as its `CompressedObject` (the form a file it read from another
 * zip has) and copies it as it is; only this internal module lets a cached chapter skip deflating.
 * @param entries the book's files (but `mimetype`) by path
 * @param date the date every entry carries
 */
export async function writeZip(entries: ReadonlyMap<string, DeflatedEntry>, date: Date): Promise<Uint8Array> {
  const entryDate = new Date(Math.max(zipEpoch, date.getTime()));
  const rank = (name: string): number => (name.startsWith('META-INF/') ? 0 : 1);
  const names = [...entries.keys()].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const zip = new JSZip();
  zip.file('mimetype', 'application/epub+zip', { date: entryDate, createFolders: false, compression: 'STORE' });
  for (const name of names) {
    const entry = entries.get(name)!;
    const data = new CompressedObject(entry.deflated.length, entry.size, entry.crc, DEFLATE, entry.deflated);
    zip.file(name, data as unknown as Uint8Array, { date: entryDate, createFolders: false, compression: 'DEFLATE' });
  }
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}
