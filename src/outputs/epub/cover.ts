import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type nunjucks from 'nunjucks';
import type { BrowserSession } from '../../browser/chromium.js';
import { CoursebookError } from '../../load/errors.js';
import { isInside } from '../../load/references.js';
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
 */
export async function bookCover(course: Course, browser: BrowserSession, env: nunjucks.Environment, view: object): Promise<CoverImage> {
  if (course.config.cover) return configuredCover(course, course.config.cover);
  const html = renderTemplate(env, 'epub/cover.njk', { ...view, size: coverSize });
  const page = await (await browser.get()).newPage();
  try {
    await page.setViewport({ ...coverSize, deviceScaleFactor: 1 });
    await page.setContent(html, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready);
    const bytes = await page.screenshot({ type: 'png', clip: { x: 0, y: 0, ...coverSize } });
    return { name: 'cover.png', mediaType: 'image/png', bytes };
  } finally {
    await page.close();
  }
}
