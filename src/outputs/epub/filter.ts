import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EPub } from 'epub-gen-memory';
import { imageToken, type ChapterImage } from './parts.js';

/** The image record epub-gen-memory keeps for each image it collected. */
interface CollectedImage {
  url: string;
  id: string;
  extension: string;
  mediaType: string;
}

/** epub-gen-memory run on one chapter: its filtering and image collection, without a book around it. */
class ChapterFilter extends EPub {
  /** The filtered markup and the images it collected, in order. */
  result(): { markup: string; images: CollectedImage[] } {
    return { markup: this.content[0]?.content ?? '', images: this.images as CollectedImage[] };
  }
}

/**
 * Passes a chapter's markup through epub-gen-memory, which keeps the attributes its EPUB allow-list
 * has (dropping the rest, with a warning), gives every image an alt text, collects the file:// images,
 * and serialises the markup as XML. Images are addressed by `imageToken` until the book names them.
 * Note: epub-gen-memory is CommonJS; only the named import works under Node.
 * @param chapter the chapter's file name, title and markup
 * @param warn receives epub-gen-memory's warnings
 * @returns the filtered markup and its images
 */
export function filterChapter(chapter: { filename: string; title: string; content: string }, warn: (line: string) => void): { markup: string; images: ChapterImage[] } {
  const filter = new ChapterFilter(
    {
      title: chapter.title,
      verbose: (type, ...args: unknown[]) => {
        if (type === 'warn') warn(`${chapter.filename}: ${args.map(String).join(' ')}`);
      },
    },
    [{ title: chapter.title, content: chapter.content, filename: chapter.filename }],
  );
  const { markup, images } = filter.result();
  let tokenised = markup;
  for (const [index, image] of images.entries()) tokenised = tokenised.replaceAll(`images/${image.id}.${image.extension}`, imageToken(index));
  return { markup: tokenised, images: images.map((image) => ({ url: image.url, mediaType: image.mediaType })) };
}

/**
 * A book's file name for an image: its position among the book's images and its own name, in the
 * characters a URL keeps as they are.
 * @param image the image
 * @param index its position in the book, from 0
 */
export function imageName(image: ChapterImage, index: number): string {
  const base = path.basename(fileURLToPath(image.url)).replace(/[^A-Za-z0-9._-]+/g, '-');
  return `images/${String(index + 1).padStart(2, '0')}-${base}`;
}
