import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from '../src/pipeline.js';
import { listFiles } from '../src/outputs/files.js';
import { scratchDir } from './helpers.js';

/** The fixed date test builds carry (2026-01-01). */
export const testDate = new Date(1767225600 * 1000);

/** Builds a course into a fresh folder with a fixed date and returns where. */
export async function buildInto(contentDir: string, formats: string[]): Promise<{ out: string; cleanup: () => Promise<void> }> {
  const { dir, cleanup } = await scratchDir();
  const out = path.join(dir, 'dist');
  const result = await build(contentDir, { out, formats, date: testDate });
  if (!result.published) throw new Error(`build failed: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
  return { out, cleanup };
}

/** Reads every file of a built folder, by relative path. */
export async function readTree(folder: string): Promise<Map<string, Buffer>> {
  const files = await listFiles(folder);
  return new Map(files.map((file) => [file, readFileSync(path.join(folder, file))]));
}
