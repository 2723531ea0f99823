import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { hashOf } from '../../cache/fingerprint.js';
import type { OutputCache } from '../../cache/outputs.js';
import type { ReadSet } from '../../cache/reads.js';
import type { BookVisuals } from './package.js';
import { deflateVersion, type DeflatedEntry } from './zip.js';

/** An image a chapter shows, by the file it comes from; the book names it (see `imageName`). */
export interface ChapterImage {
  /** The image's file:// URL. */
  url: string;
  mediaType: string;
}

/**
 * What a chapter was made into, kept by its key (`chapterKey`): enough to assemble a book with it,
 * and to tell whether it still fits the book, without rendering it again.
 */
export interface ChapterRecord {
  /** The ids the chapter defines, which links into it may point at. */
  anchors: string[];
  /** Links into the book's chapters it checked (`file#id`, or `file`), with whether each resolved. */
  checks: [string, boolean][];
  /** What its template read of the view (`trackReads`). */
  reads: ReadSet;
  /** Pages of the PDF edition whose markers it holds. */
  pages: number[];
  /** Manifest properties (`svg`, `mathml`, `scripted`). */
  properties: string[];
  visuals: BookVisuals;
  /** Its images in order; in `text`, image `n` is addressed by `imageToken(n)`. */
  images: ChapterImage[];
  /** The blob of its XHTML (by content hash). */
  text: string;
  /** The blob of its solutions (`LessonSolutions` as JSON), for a lesson that has some. */
  solutions?: string;
}

/** A book document made from a template (the navigation, the NCX, the package document), kept by its data's hash. */
export interface DocumentRecord {
  /** What its template read of the view. */
  reads: ReadSet;
  /** The blob of its text. */
  text: string;
}

/** A blob's place in the parts file. */
interface BlobPlace {
  offset: number;
  length: number;
  size: number;
  crc: number;
}

/** The header of a parts file, which the blobs follow. */
interface PartsHeader {
  records: [string, ChapterRecord][];
  documents: [string, DocumentRecord][];
  blobs: [string, BlobPlace][];
}

const partsFile = 'parts.bin';
const bookFile = 'book.txt';

/**
 * Where image `index` of a chapter goes in its cached XHTML, until the book names it. NUL never
 * occurs in XHTML, so the token cannot be mistaken for text.
 */
export const imageToken = (index: number): string => `\u0000image-${index}\u0000`;

/**
 * The parts of one book from its last build: chapter records and deflated files (blobs, by the
 * hash of their content), in one file of the output cache, read once when the book is assembled.
 * Parts made in this build are shared by every book through `PartsShelf`.
 */
export class BookParts {
  private constructor(
    private readonly records: ReadonlyMap<string, ChapterRecord>,
    private readonly documents: ReadonlyMap<string, DocumentRecord>,
    private readonly blobs: ReadonlyMap<string, DeflatedEntry>,
  ) {}

  /** The cache key of a book's parts: its path, and the zlib its blobs were deflated with. */
  static key(bookPath: string): string {
    return hashOf('epub-parts', deflateVersion, bookPath);
  }

  /**
   * Reads a book's parts; a missing or malformed file gives none.
   * @param cache the output cache
   * @param bookPath the book's output path
   */
  static async open(cache: OutputCache, bookPath: string): Promise<BookParts> {
    const bytes = await cache.extraBytes('epub', BookParts.key(bookPath), partsFile);
    try {
      if (!bytes) throw new Error('no parts');
      const headerLength = bytes.readUInt32LE(0);
      const header = JSON.parse(bytes.toString('utf8', 4, 4 + headerLength)) as PartsHeader;
      const start = 4 + headerLength;
      const blobs = new Map<string, DeflatedEntry>();
      for (const [id, place] of header.blobs) {
        if (start + place.offset + place.length > bytes.length) throw new Error('truncated parts');
        blobs.set(id, { deflated: bytes.subarray(start + place.offset, start + place.offset + place.length), size: place.size, crc: place.crc });
      }
      return new BookParts(new Map(header.records), new Map(header.documents), blobs);
    } catch {
      return new BookParts(new Map(), new Map(), new Map());
    }
  }

  /** Keeps a reused book's parts through the cache's pruning, without reading them. */
  static async keep(cache: OutputCache, bookPath: string): Promise<void> {
    await cache.extra('epub', BookParts.key(bookPath), bookFile);
  }

  /** The record of a chapter made earlier under `key`. */
  record(key: string): ChapterRecord | undefined {
    return this.records.get(key);
  }

  /** The record of a book document made earlier under `key`. */
  document(key: string): DocumentRecord | undefined {
    return this.documents.get(key);
  }

  /** A blob kept earlier. */
  blob(id: string): DeflatedEntry | undefined {
    return this.blobs.get(id);
  }
}

/**
 * The chapters and blobs of one build, shared by its books: a chapter whose key and bytes are the
 * same in a section's book and the course's is made and deflated once.
 */
export class PartsShelf {
  readonly records = new Map<string, ChapterRecord>();
  readonly documents = new Map<string, DocumentRecord>();
  readonly blobs = new Map<string, DeflatedEntry>();
  /** Chapters rendered in this build, and chapters reused from earlier builds or other books. */
  rendered = 0;
  reused = 0;
  private readonly assets = new Map<string, Promise<string>>();

  /**
   * The hash of an image file's bytes (empty for a missing file), read once per build.
   * @param file its absolute path
   */
  assetHash(file: string): Promise<string> {
    let hash = this.assets.get(file);
    if (!hash)
      this.assets.set(
        file,
        (hash = readFile(file).then(
          (bytes) => createHash('sha256').update(bytes).digest('hex'),
          () => '',
        )),
      );
    return hash;
  }
}

/**
 * What one book used, to be written back as its parts for the next build.
 */
export class PartsWriter {
  private readonly records = new Map<string, ChapterRecord>();
  private readonly documents = new Map<string, DocumentRecord>();
  private readonly blobs = new Map<string, DeflatedEntry>();

  /** Keeps a chapter record and the blobs it names. */
  record(key: string, record: ChapterRecord, blob: (id: string) => DeflatedEntry): void {
    this.records.set(key, record);
    this.blob(record.text, blob(record.text));
    if (record.solutions) this.blob(record.solutions, blob(record.solutions));
  }

  /** Keeps a book document's record and its text. */
  document(key: string, record: DocumentRecord, text: DeflatedEntry): void {
    this.documents.set(key, record);
    this.blob(record.text, text);
  }

  /** Keeps a blob. */
  blob(id: string, entry: DeflatedEntry): void {
    this.blobs.set(id, entry);
  }

  /**
   * Writes the parts into the cache, replacing the book's earlier ones.
   * @param cache the output cache
   * @param bookPath the book's output path
   */
  async save(cache: OutputCache, bookPath: string): Promise<void> {
    const places: [string, BlobPlace][] = [];
    let offset = 0;
    for (const [id, entry] of this.blobs) {
      places.push([id, { offset, length: entry.deflated.length, size: entry.size, crc: entry.crc }]);
      offset += entry.deflated.length;
    }
    const header = Buffer.from(JSON.stringify({ records: [...this.records], documents: [...this.documents], blobs: places } satisfies PartsHeader), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.length, 0);
    const bytes = Buffer.concat([length, header, ...[...this.blobs.values()].map((entry) => entry.deflated)]);
    await cache.store('epub', BookParts.key(bookPath), '', [], { [partsFile]: bytes, [bookFile]: bookPath });
  }
}
