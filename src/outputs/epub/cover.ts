import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type nunjucks from 'nunjucks';
import type { BrowserSession } from '../../browser/chromium.js';
import { printingFingerprint } from '../../cache/printing.js';
import { hashOf } from '../../cache/fingerprint.js';
import type { OutputCache } from '../../cache/outputs.js';
import { CoursebookError } from '../../shared/errors.js';
import { isInside } from '../../shared/paths.js';
import type { Course } from '../../model/course.js';
import { renderTemplate } from '../../render/templates.js';
import { coreImageTypes } from './links.js';

/** A book's cover image. */
export interface CoverImage {
  /** Its file name in the book; the extension is the one epub-gen-memory gives its media type. */
  name: string;
  mediaType: string;
  bytes: Uint8Array;
}

/** The generated cover's size in CSS pixels: 2:3, large enough for store listings. */
const coverSize = { width: 1600, height: 2400 } as const;

/** Extensions epub-gen-memory writes each image type under. */
const extensionOf: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/gif': 'gif', 'image/svg+xml': 'svg' };

/**
 * Reads the cover course.yml names, relative to the content root.
 * @throws CoursebookError when it is outside the content root, missing, or not an image every reader shows
 */
async function configuredCover(course: Course, cover: string): Promise<CoverImage> {
  const absolute = path.resolve(course.root, cover);
  if (!isInside(course.root, absolute)) throw new CoursebookError(`course.yml: cover "${cover}" is outside the content root; put the image inside the content folder.`);
  const mediaType = coreImageTypes[path.extname(absolute).toLowerCase()];
  if (!mediaType) throw new CoursebookError(`course.yml: cover "${cover}" is not a PNG, JPEG, GIF or SVG image; EPUB readers need one of those.`);
  try {
    return { name: `cover.${extensionOf[mediaType]}`, mediaType, bytes: await readFile(absolute) };
  } catch (cause) {
    throw new CoursebookError(`course.yml: could not read cover "${cover}" (${(cause as NodeJS.ErrnoException).code ?? 'error'}). Fix the path; it is relative to the content root.`, { cause });
  }
}

/**
 * A book's cover: course.yml's `cover` when set, else templates/epub/cover.njk (course title,
 * section, authors) rendered in Chromium and captured as a PNG.
 * @param course the course
 * @param browser the build's browser session (started only when a cover is generated)
 * @param env the template environment
 * @param view what the cover template shows
 * @param cache where generated covers are kept between builds
 */
export async function bookCover(course: Course, browser: BrowserSession, env: nunjucks.Environment, view: object, cache?: OutputCache): Promise<CoverImage> {
  if (course.config.cover) return configuredCover(course, course.config.cover);
  const html = renderTemplate(env, 'epub/cover.njk', { ...view, size: coverSize });
  // The picture depends on its HTML, the browser and the installed fonts: a cached one spares starting Chromium.
  const key = hashOf('epub-cover', html, coverSize, await printingFingerprint());
  const cached = await cache?.extra('epub', key, 'cover.png.base64');
  if (cached) return { name: 'cover.png', mediaType: 'image/png', bytes: Buffer.from(cached, 'base64') };
  const bytes = await screenshotCover(browser, html);
  await cache?.store('epub', key, '', [], { 'cover.png.base64': Buffer.from(bytes).toString('base64') });
  return { name: 'cover.png', mediaType: 'image/png', bytes };
}

/** Renders cover HTML in Chromium and captures it as a PNG. */
async function screenshotCover(browser: BrowserSession, html: string): Promise<Uint8Array> {
  const page = await (await browser.get()).newPage();
  try {
    await page.setViewport({ ...coverSize, deviceScaleFactor: 1 });
    await page.setContent(html, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready);
    return await page.screenshot({ type: 'png', clip: { x: 0, y: 0, ...coverSize } });
  } finally {
    await page.close();
  }
}
