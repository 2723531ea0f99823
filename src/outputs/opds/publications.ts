import path from 'node:path';
import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import type { BrowserSession } from '../../browser/chromium.js';
import { hashOf } from '../../cache/fingerprint.js';
import type { Course, Section } from '../../model/course.js';
import { titleIdentifier } from '../../config/load.js';
import { publicUrl } from '../../render/paths.js';
import { bookOf } from '../books.js';
import { bookSources } from '../book-sources.js';
import { planBook } from '../epub/book.js';
import { writeOutput } from '../files.js';
import type { Artifact } from '../plan.js';
import type { PublishContext } from '../writer.js';

/** A file a feed links to: its absolute URL and media type, with pixel size for images. */
export interface FeedLink {
  href: string;
  type: string;
  width?: number;
  height?: number;
}

/** One book of the course as feeds list it: its metadata, its downloads and its pictures. */
export interface FeedPublication {
  identifier: string;
  title: string;
  subtitle: string;
  description: string;
  language: string;
  authors: string[];
  subjects: string[];
  modified: Date;
  acquisitions: FeedLink[];
  cover?: FeedLink;
  thumbnail?: FeedLink;
}

/** Media types of the book formats a feed offers. */
const bookTypes: Record<string, string> = { epub: 'application/epub+zip', pdf: 'application/pdf' };

/** The thumbnail's size in CSS pixels: the cover's 2:3 at a size lists show. */
const thumbnailSize = { width: 320, height: 480 } as const;

/** A URI for a book: its identifier when it is one, else a name-based `urn:uuid:` from it. */
const asUri = (identifier: string): string => (/^[a-z][a-z0-9+.-]*:/i.test(identifier) ? identifier : titleIdentifier(identifier));

/** Reads the cover image of a built EPUB (the manifest item marked `cover-image`). */
async function epubCover(file: string): Promise<{ bytes: Uint8Array; type: string; extension: string } | undefined> {
  try {
    const zip = await JSZip.loadAsync(await readFile(file));
    const opfName = Object.keys(zip.files).find((name) => name.endsWith('.opf'));
    const opf = opfName ? await zip.file(opfName)!.async('string') : '';
    const item = [...opf.matchAll(/<item\b[^>]*>/g)].map((match) => match[0]).find((tag) => /properties="[^"]*\bcover-image\b/.test(tag));
    const href = item && /href="([^"]+)"/.exec(item)?.[1];
    const type = item && /media-type="([^"]+)"/.exec(item)?.[1];
    if (!href || !type || !opfName) return undefined;
    const entry = zip.file(path.posix.join(path.posix.dirname(opfName), href));
    return entry ? { bytes: await entry.async('uint8array'), type, extension: path.posix.extname(href).slice(1) } : undefined;
  } catch {
    return undefined;
  }
}

/** A thumbnail of a cover, drawn by Chromium at `thumbnailSize`. */
async function thumbnailOf(browser: BrowserSession, cover: { bytes: Uint8Array; type: string }): Promise<Uint8Array> {
  const page = await (await browser.get()).newPage();
  try {
    await page.setViewport({ ...thumbnailSize, deviceScaleFactor: 1 });
    const source = `data:${cover.type};base64,${Buffer.from(cover.bytes).toString('base64')}`;
    await page.setContent(
      `<!DOCTYPE html><html><body style="margin:0"><img src="${source}" alt="" style="display:block;width:${thumbnailSize.width}px;height:${thumbnailSize.height}px;object-fit:contain"></body></html>`,
      { waitUntil: 'load' },
    );
    return await page.screenshot({ type: 'png', clip: { x: 0, y: 0, ...thumbnailSize } });
  } finally {
    await page.close();
  }
}

/**
 * Publishes a book's cover and thumbnail beside the feeds, taken from the EPUB of this build.
 * Returns their links, or nothing when the build has no EPUB of the book.
 */
async function publishPictures(context: PublishContext, epub: Artifact | undefined, name: string): Promise<Pick<FeedPublication, 'cover' | 'thumbnail'>> {
  if (!epub) return {};
  const cover = await epubCover(path.join(context.outDir, ...epub.path.split('/')));
  if (!cover) return {};
  const coverPath = `opds/covers/${name}.${cover.extension}`;
  const thumbnailPath = `opds/covers/${name}-thumbnail.png`;
  await writeOutput(context.outDir, coverPath, cover.bytes);
  await context.cache.cached(context.outDir, {
    format: 'opds',
    key: hashOf('opds-thumbnail', thumbnailPath, Buffer.from(cover.bytes).toString('base64'), thumbnailSize),
    files: [thumbnailPath],
    produce: async () => {
      await writeOutput(context.outDir, thumbnailPath, await thumbnailOf(context.browser, cover));
    },
  });
  const url = (file: string): string => publicUrl(context.course, file);
  return { cover: { href: url(coverPath), type: cover.type }, thumbnail: { href: url(thumbnailPath), type: 'image/png', ...thumbnailSize } };
}

/**
 * The books a feed lists, read from the plan: the course's book, then one per section, each with
 * a link to every EPUB and PDF this build makes of it, its cover and a thumbnail.
 * @param context the build (the plan, the output folder with the books already written)
 */
export async function feedPublications(context: PublishContext): Promise<FeedPublication[]> {
  const { course } = context;
  const scopes: (Section | undefined)[] = [undefined, ...course.sections];
  const publications: FeedPublication[] = [];
  for (const section of scopes) {
    const downloads = context.plan.downloads(section).filter((artifact) => bookTypes[artifact.format]);
    if (downloads.length === 0) continue;
    const book = planBook(course, bookOf(course, downloads[0]!));
    const subjects = [...new Set(book.sections.flatMap((part) => [part.title, ...part.groups.map((group) => group.title).filter(Boolean)]))];
    const name = section ? section.dir : 'course';
    publications.push({
      identifier: asUri(book.identifier),
      title: book.title,
      subtitle: book.subtitle ?? '',
      description: book.description ?? '',
      language: course.config.language,
      authors: course.config.authors,
      subjects,
      modified: await context.sourceDate(bookSources(course, book)),
      acquisitions: downloads.map((artifact) => ({ href: publicUrl(course, artifact.path), type: bookTypes[artifact.format]! })),
      ...(await publishPictures(
        context,
        downloads.find((artifact) => artifact.format === 'epub'),
        name,
      )),
    });
  }
  return publications;
}

/** Whether a course can have feeds: their links must be absolute, so `baseUrl` is required. */
export const feedsNeedBaseUrl = (course: Course): boolean => !course.config.baseUrl;
