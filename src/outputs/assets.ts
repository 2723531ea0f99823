import { readFile } from 'node:fs/promises';
import { optimize } from 'svgo';
import type { Course } from '../model/course.js';
import { writeOutput } from './files.js';

/**
 * An asset's bytes as every output publishes them. SVG files are passed through svgo's
 * removeScripts, so an SVG with `<script>`, event handlers or `javascript:` links never runs,
 * whether it is shown as an image or opened on its own.
 * @param absolute the asset's real path inside the content root
 */
export async function safeAssetBytes(absolute: string): Promise<Uint8Array> {
  const bytes = await readFile(absolute);
  if (!/\.svgz?$/i.test(absolute) || absolute.toLowerCase().endsWith('.svgz')) return bytes;
  try {
    return Buffer.from(optimize(bytes.toString('utf8'), { path: absolute, plugins: ['removeScripts'] }).data);
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
