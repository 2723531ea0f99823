import type { Dirent } from 'node:fs';
import { copyFile, mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes one output file, creating its folder.
 * @param outDir the output (staging) root
 * @param relative the file's path under it, with forward slashes
 * @param content the bytes or text
 */
export async function writeOutput(outDir: string, relative: string, content: string | Uint8Array): Promise<void> {
  const target = path.join(outDir, ...relative.split('/'));
  // A new file renamed into place: a path hard-linked from the output cache is never written through.
  const temporary = `${target}.${process.pid}.tmp`;
  await inFolder(target, () => writeFile(temporary, content));
  await rename(temporary, target);
}

/**
 * Runs a write into the folder of `target`, creating the folder when the write finds it missing.
 * Note: trying first costs one failed open per new folder; creating the folder before every write
 * cost the main thread more than templating the page (a recursive mkdir is a walk of stats).
 */
async function inFolder(target: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(path.dirname(target), { recursive: true });
    await write();
  }
}

/**
 * Copies one file into the output, creating its folder.
 * @param source absolute source path
 * @param outDir the output (staging) root
 * @param relative the destination under it
 */
export async function copyOutput(source: string, outDir: string, relative: string): Promise<void> {
  const target = path.join(outDir, ...relative.split('/'));
  const temporary = `${target}.${process.pid}.tmp`;
  await inFolder(target, () => copyFile(source, temporary));
  await rename(temporary, target);
}

/** Lists the files under a folder, recursively, as paths relative to it (sorted, forward slashes). */
export async function listFiles(folder: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}
