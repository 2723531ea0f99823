import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EPub, type Chapter, type Options } from 'epub-gen-memory';
import JSZip from 'jszip';
import { safeAssetBytes } from '../assets.js';
import type { CoverImage } from './cover.js';

/** One XHTML document of a book, as epub-gen-memory takes it. */
export interface BookChapter {
  filename: string;
  title: string;
  /** Body markup; epub-gen-memory filters its attributes and collects its file:// images. */
  content: string;
  /** Wraps the filtered markup into the whole XHTML document. */
  frame(filtered: string): string;
}

/** An image epub-gen-memory collected, under the stable name it gets in the book. */
export interface BookImage {
  id: string;
  href: string;
  mediaType: string;
}

/** Everything a book is made of. */
export interface BookParts {
  /** In reading order, the cover page first. */
  chapters: BookChapter[];
  css: string;
  cover: CoverImage;
  /** The navigation document (toc.xhtml). */
  navDocument: string;
  /** The NCX (toc.ncx). */
  ncxDocument: string;
  /** Renders content.opf, once the images are known. */
  packageDocument(images: BookImage[]): string;
  /** The date every zip entry carries. */
  date: Date;
  /** Receives epub-gen-memory's warnings (attributes it dropped). */
  warn(line: string): void;
}

/** The image record epub-gen-memory hands its package template. */
interface CollectedImage {
  url: string;
  id: string;
  extension: string;
  mediaType: string;
}

/** The earliest date a zip entry can carry (MS-DOS time starts in 1980). */
const zipEpoch = Date.UTC(1980, 0, 1);

/**
 * Rewrites the zip epub-gen-memory made so that the same inputs give the same bytes: images get
 * stable names instead of random UUIDs, entries a fixed order (mimetype first, stored) and date,
 * and no folder entries; course images get the bytes `safeAssetBytes` publishes.
 */
async function repack(zipped: Uint8Array, renames: ReadonlyMap<string, string>, sources: ReadonlyMap<string, string>, date: Date): Promise<Uint8Array> {
  const source = await JSZip.loadAsync(zipped);
  const entryDate = new Date(Math.max(zipEpoch, date.getTime()));
  const files = Object.values(source.files)
    .filter((entry) => !entry.dir)
    .map((entry) => {
      const renamed = renames.get(entry.name.replace(/^OEBPS\//, ''));
      return { entry, name: renamed ? `OEBPS/${renamed}` : entry.name };
    });
  const rank = (name: string): number => (name === 'mimetype' ? 0 : name.startsWith('META-INF/') ? 1 : 2);
  files.sort((a, b) => rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const target = new JSZip();
  for (const { entry, name } of files) {
    let data: string | Uint8Array;
    if (/\.(xhtml|opf|ncx)$/.test(name)) {
      data = await entry.async('string');
      for (const [from, to] of renames) data = data.replaceAll(from, to);
    } else {
      // A course image is published as every output publishes it (an SVG with valid, unique ids).
      const source = sources.get(name.replace(/^OEBPS\//, ''));
      data = source ? await safeAssetBytes(source) : await entry.async('uint8array');
    }
    target.file(name, data, { date: entryDate, createFolders: false, compression: name === 'mimetype' ? 'STORE' : 'DEFLATE' });
  }
  return target.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

/** A file name for a collected image: its position and its own name, in the characters a URL keeps as they are. */
function imageName(image: CollectedImage, index: number): string {
  const base = path.basename(fileURLToPath(image.url)).replace(/[^A-Za-z0-9._-]+/g, '-');
  return `images/${String(index + 1).padStart(2, '0')}-${base}`;
}

/**
 * Builds the EPUB with epub-gen-memory, which assembles the zip, filters chapter attributes and
 * reads images and the cover, with every template replaced by ours (the package document, the
 * navigation and the NCX are rendered by Coursebook's templates), then repacks it deterministically.
 * Note: epub-gen-memory is CommonJS; only the named import works under Node.
 * @param parts the book's documents, stylesheet, cover and dates
 * @returns the .epub file's bytes
 */
export async function assembleEpub(parts: BookParts): Promise<Uint8Array> {
  const renames = new Map<string, string>();
  const sources = new Map<string, string>();
  const bridges = {
    navDocument: parts.navDocument,
    ncxDocument: parts.ncxDocument,
    packageDocument: (images: CollectedImage[]): string =>
      parts.packageDocument(
        images.map((image, index) => {
          const href = imageName(image, index);
          renames.set(`images/${image.id}.${image.extension}`, href);
          sources.set(href, fileURLToPath(image.url));
          return { id: `image-${index + 1}`, href, mediaType: image.mediaType };
        }),
      ),
  };
  const options: Options & typeof bridges = {
    ...bridges,
    title: parts.chapters[0]?.title ?? '',
    cover: new File([new Uint8Array(parts.cover.bytes)], parts.cover.name, { type: parts.cover.mediaType }),
    css: parts.css,
    // Each template hands over to a document Coursebook rendered; ejs only calls the bridge.
    chapterXHTML: '<%- frame(content) %>',
    contentOPF: '<%- packageDocument(images) %>',
    tocXHTML: '<%- navDocument %>',
    tocNCX: '<%- ncxDocument %>',
    verbose: (type, ...args: unknown[]) => {
      if (type === 'warn') parts.warn(args.map(String).join(' '));
    },
  };
  const chapters: (Chapter & Pick<BookChapter, 'frame'>)[] = parts.chapters;
  const epub = new EPub(options, chapters);
  await epub.render();
  const zipped = await epub.generateAsync({ type: 'uint8array', compression: 'STORE' });
  return repack(zipped, renames, sources, parts.date);
}
