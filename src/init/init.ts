import { cp, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { CoursebookError } from '../shared/errors.js';
import { listFiles } from '../outputs/files.js';

/** The starter course that ships with Coursebook, beside lib/ and templates/. */
const starterFolder = path.resolve(import.meta.dirname, '..', '..', 'starter');

/** What `initCourse` wrote. */
export interface InitResult {
  /** The folder, absolute. */
  dir: string;
  /** Files written, relative to it. */
  files: string[];
}

/**
 * Writes a minimal course to start from: course.yml, one section, two short lessons with a link,
 * an image and a diagram. It passes `check --strict` and builds in every format.
 * Note: it never writes into a folder that has anything in it, so nothing the user wrote is overwritten.
 * @param dir the folder to create (or an empty one)
 * @throws CoursebookError when the folder is not empty or cannot be written
 */
export async function initCourse(dir: string): Promise<InitResult> {
  const target = path.resolve(dir);
  let entries: string[] = [];
  try {
    entries = await readdir(target);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new CoursebookError(`${target} is a file. Name a new folder for the course.`, { cause });
    if (code !== 'ENOENT') throw new CoursebookError(`Could not read ${target} (${code ?? 'error'}).`, { cause });
  }
  if (entries.length > 0) throw new CoursebookError(`${target} is not empty; coursebook init writes only into a new or empty folder, so nothing there is overwritten. Name a new folder.`);
  try {
    await mkdir(target, { recursive: true });
    await cp(starterFolder, target, { recursive: true, errorOnExist: true, force: false });
  } catch (cause) {
    throw new CoursebookError(`Could not write the starter course to ${target}: ${(cause as Error).message}`, { cause });
  }
  return { dir: target, files: await listFiles(target) };
}
