import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Body, Point } from '../model/course.js';

/** What each raster image extension must hold, as file-type names it. */
const rasterTypes: Readonly<Record<string, { name: string; types: readonly string[] }>> = {
  '.png': { name: 'PNG', types: ['png', 'apng'] },
  '.jpg': { name: 'JPEG', types: ['jpg'] },
  '.jpeg': { name: 'JPEG', types: ['jpg'] },
  '.gif': { name: 'GIF', types: ['gif'] },
  '.webp': { name: 'WebP', types: ['webp'] },
  '.avif': { name: 'AVIF', types: ['avif'] },
  '.bmp': { name: 'BMP', types: ['bmp'] },
  '.ico': { name: 'ICO', types: ['ico', 'cur'] },
  '.tif': { name: 'TIFF', types: ['tif'] },
  '.tiff': { name: 'TIFF', types: ['tif'] },
};

/** How many bytes file-type needs to recognise every image format it knows. */
const sniffBytes = 4100;

/** What a file that is no known binary format looks like: an HTML page (a saved error page), text, or unknown data. */
function describeUnknown(head: Buffer): string {
  const start = head
    .toString('utf8', 0, 512)
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (start.startsWith('<!doctype html') || start.startsWith('<html') || start.startsWith('<head')) return 'an HTML page (often an error page saved in place of the image)';
  if (start.startsWith('<svg') || (start.startsWith('<?xml') && start.includes('<svg'))) return 'an SVG drawing';
  if (start === '') return 'empty';
  return /[\x00-\x08\x0e-\x1f]/.test(start) ? 'data of no image format' : 'text';
}

/**
 * Why an asset cannot be published as what its name says, or undefined when it can.
 * @param absolute its real path
 * @param relative its path relative to the content root, for messages
 */
async function assetProblem(absolute: string, relative: string): Promise<{ at?: Point; message: string } | undefined> {
  const extension = path.extname(relative).toLowerCase();
  if (extension === '.svg') {
    try {
      // svgo (and file-type below) load only when a course has such assets: `check` stays quick to start.
      const { optimize } = await import('svgo');
      optimize(await readFile(absolute, 'utf8'), { path: relative, plugins: [] });
      return undefined;
    } catch (error) {
      const parse = error as { name?: string; reason?: string; line?: number; column?: number };
      if (parse.name !== 'SvgoParserError') throw error;
      return {
        at: { line: parse.line ?? 1, column: parse.column ?? 1 },
        message: `\`${relative}\` is not well-formed XML (${parse.reason ?? 'it does not parse'}), so no browser or ebook reader can show it, and it would be published as an empty image. Fix the markup at this line, or export the drawing again.`,
      };
    }
  }
  const expected = rasterTypes[extension];
  if (!expected) return undefined;
  const head = (await readFile(absolute)).subarray(0, sniffBytes);
  const { fileTypeFromBuffer } = await import('file-type');
  const found = await fileTypeFromBuffer(head);
  if (found && expected.types.includes(found.ext)) return undefined;
  const actual = found ? `a ${found.ext.toUpperCase()} image (${found.mime})` : describeUnknown(head);
  const fix = found?.mime.startsWith('image/') ? `Rename it to .${found.ext}, or convert it to ${expected.name}.` : `Replace it with the ${expected.name} image it should be.`;
  return { message: `\`${relative}\` is named as a ${expected.name} image, but its bytes are ${actual}. ${fix}` };
}

/**
 * `asset-invalid`: every image and file the lessons reference is what its name says: an SVG parses
 * as XML, and a raster image's bytes are the format of its extension (magic bytes read with
 * file-type). Each asset is read once, however many lessons use it.
 * Note: reported on the asset itself, with the first lesson that uses it as the related place.
 * @param lessons the loaded lessons, references resolved
 */
export async function checkAssets(lessons: readonly Body[]): Promise<Diagnostic[]> {
  const firstUse = new Map<string, { relative: string; file: string; at: Point }>();
  for (const lesson of lessons) {
    for (const { target, position } of lesson.references) {
      if (target.kind === 'asset' && !firstUse.has(target.absolute)) firstUse.set(target.absolute, { relative: target.path, file: lesson.path, at: position });
    }
  }
  const limit = pLimit(8);
  const found = await Promise.all(
    [...firstUse].map(([absolute, use]) =>
      limit(async () => {
        const problem = await assetProblem(absolute, use.relative).catch(() => undefined);
        return problem && diagnostic('asset-invalid', use.relative, problem.at, problem.message, { related: { file: use.file, ...use.at } });
      }),
    ),
  );
  return found.filter((d): d is Diagnostic => d !== undefined);
}
