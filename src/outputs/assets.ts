import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { optimize } from 'svgo';
import type { Course } from '../model/course.js';
import { writeOutput } from './files.js';
import { uniqueValidIds } from './svg-ids.js';

/**
 * Makes an SVG safe to publish: no scripting, and ids valid and unique. `cleanupIds` drops unused
 * and repeated ids and gives the used ones short names, `prefixIds` prefixes them with a name
 * drawn from the file's bytes (so two drawings in one document never share an id), and
 * `uniqueValidIds` renames what those two leave invalid or repeated.
 * @param svg the SVG source
 * @param file its path, for svgo's messages
 * @throws SvgoParserError when it is not XML (`check` reports that as `asset-invalid`)
 */
export function safeSvg(svg: string, file: string): string {
  const prefix = `s${createHash('sha256').update(svg).digest('hex').slice(0, 8)}`;
  return optimize(svg, {
    path: file,
    plugins: ['removeScripts', { name: 'cleanupIds', params: { minify: true, remove: true } }, { name: 'prefixIds', params: { prefix, delim: '-' } }, uniqueValidIds(prefix)],
  }).data;
}

/**
 * An asset's bytes as every output publishes them. SVG files go through `safeSvg`, so an SVG
 * with `<script>`, event handlers or `javascript:` links never runs, whether it is shown as an
 * image or opened on its own, and its ids are valid XML names, unique within it and prefixed.
 * @param absolute the asset's real path inside the content root
 */
export async function safeAssetBytes(absolute: string): Promise<Uint8Array> {
  const bytes = await readFile(absolute);
  if (!/\.svgz?$/i.test(absolute) || absolute.toLowerCase().endsWith('.svgz')) return bytes;
  try {
    return Buffer.from(safeSvg(bytes.toString('utf8'), absolute));
  } catch {
    // An SVG that does not parse is not published as SVG: an empty, harmless image takes its place.
    return Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>\n');
  }
}

/** Every asset file the lessons reference (images and file links), inside the content root, by path. */
export function referencedAssets(course: Course): Map<string, string> {
  const assets = new Map<string, string>();
  for (const section of course.sections) {
    for (const lesson of section.lessons) {
      for (const reference of lesson.references) {
        if (reference.target.kind === 'asset') assets.set(reference.target.path, reference.target.absolute);
      }
    }
  }
  return new Map([...assets].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Publishes one asset into the output, made safe (see safeAssetBytes).
 * @param absolute the asset's real path
 * @param outDir the staging folder
 * @param relative where it goes under `outDir`
 */
export async function publishAsset(absolute: string, outDir: string, relative: string): Promise<void> {
  await writeOutput(outDir, relative, await safeAssetBytes(absolute));
}
