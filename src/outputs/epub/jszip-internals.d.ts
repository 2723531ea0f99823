// JSZip's modules for a file that is already compressed (see zip.ts); JSZip ships no types for them.
declare module 'jszip/lib/compressedObject.js' {
  /** A compressed file JSZip copies into a zip as it is, when the zip uses the same compression. */
  export default class CompressedObject {
    constructor(compressedSize: number, uncompressedSize: number, crc32: number, compression: object, data: Uint8Array);
  }
}
declare module 'jszip/lib/compressions.js' {
  /** JSZip's DEFLATE method. */
  export const DEFLATE: object;
}
declare module 'jszip/lib/crc32.js' {
  /** CRC-32 of bytes (a negative number when the top bit is set). */
  export default function crc32(input: Uint8Array, crc?: number): number;
}
