import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CoursebookError } from '../shared/errors.js';
import { isInside } from '../shared/paths.js';

/** The file that marks a folder as Coursebook's own output, safe to replace. */
export const outputMarker = '.coursebook-output';
const stagingSuffix = '.coursebook-staging-';
const retiredSuffix = '.coursebook-retired-';

/**
 * Refuses output folders that would overwrite what the user wrote: the content folder or any
 * folder containing it, the filesystem root, the home folder, and non-empty folders Coursebook did
 * not create (unless `force`).
 * @param outDir the requested output folder
 * @param contentRoot the content root
 * @param force allow a non-empty folder without our marker
 */
export async function validateOutDir(outDir: string, contentRoot: string, force: boolean): Promise<string> {
  const out = path.resolve(outDir);
  if (out === path.parse(out).root) throw new CoursebookError(`Refusing to write output to the filesystem root (${out}). Pass --out dist.`);
  if (out === path.resolve(os.homedir())) throw new CoursebookError(`Refusing to write output to your home folder (${out}). Pass --out dist.`);
  if (isInside(out, contentRoot)) throw new CoursebookError(`Refusing to write output to ${out}: it holds the content folder, which would be overwritten. Pass another --out, such as dist.`);
  if (isInside(contentRoot, out)) throw new CoursebookError(`Refusing to write output inside the content folder (${out}). Pass an --out outside it, such as dist.`);
  if (!force && existsSync(out) && !existsSync(path.join(out, outputMarker))) {
    let entries: string[] = [];
    try {
      entries = await readdir(out);
    } catch (cause) {
      throw new CoursebookError(`${out} exists and is not a readable folder.`, { cause });
    }
    if (entries.length > 0)
      throw new CoursebookError(`Refusing to write into ${out}: it is not empty and Coursebook did not create it. Pass --force to replace its contents, or choose another --out.`);
  }
  return out;
}

/** Where this process stages the build of `out`, known before the folder exists. */
export function stagingPath(out: string): string {
  return path.join(path.dirname(out), `${path.basename(out)}${stagingSuffix}${process.pid}`);
}

/**
 * Creates the staging folder beside the target (at `stagingPath(out)`), removing any left behind
 * by an interrupted build.
 * @param out the validated output folder
 */
export async function createStaging(out: string): Promise<string> {
  const parent = path.dirname(out);
  await mkdir(parent, { recursive: true });
  const base = path.basename(out);
  for (const name of await readdir(parent)) {
    if (name.startsWith(`${base}${stagingSuffix}`) || name.startsWith(`${base}${retiredSuffix}`)) await rm(path.join(parent, name), { recursive: true, force: true });
  }
  const staging = stagingPath(out);
  await mkdir(staging, { recursive: true });
  await writeFile(path.join(staging, outputMarker), 'This folder is written by Coursebook and replaced on every build.\n');
  return staging;
}

/**
 * Swaps a finished staging folder into place: the old output is moved aside, the new one renamed
 * in, the old one removed. At every moment either the old or the new output is complete.
 */
export async function commitStaging(staging: string, out: string): Promise<void> {
  const retired = `${out}${retiredSuffix}${process.pid}`;
  const hadOld = existsSync(out);
  if (hadOld) await rename(out, retired);
  try {
    await rename(staging, out);
  } catch (error) {
    if (hadOld) await rename(retired, out);
    throw error;
  }
  if (hadOld) await rm(retired, { recursive: true, force: true });
}
