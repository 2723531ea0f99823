import { hostname } from 'node:os';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { CoursebookError } from '../shared/errors.js';

/** The lock file beside an output folder. */
export const lockPath = (out: string): string => `${out}.coursebook-lock`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads a lock's owner; a lock of a process on this host that no longer runs is stale. */
async function staleOwner(file: string): Promise<boolean> {
  try {
    const [pid, host] = (await readFile(file, 'utf8')).split('\n');
    return host === hostname() && !isAlive(Number(pid));
  } catch {
    return false;
  }
}

/**
 * Takes the output folder's lock so two builds never write it at once. A lock left by a process
 * that was killed (kill -9) is taken over; one held by a live build is waited for, up to `waitMs`,
 * then refused with a message naming the holder.
 * @param out the output folder
 * @param waitMs how long to wait for a running build
 * @returns a function that releases the lock
 */
export async function acquireOutputLock(out: string, waitMs = 60_000): Promise<() => Promise<void>> {
  const file = lockPath(out);
  await mkdir(path.dirname(file), { recursive: true });
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(`${process.pid}\n${hostname()}\n`);
      await handle.close();
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new CoursebookError(`Could not create the build lock ${file}: ${(error as Error).message}`, { cause: error });
    }
    if (await staleOwner(file)) {
      await rm(file, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      const owner = (await readFile(file, 'utf8').catch(() => '')).split('\n')[0] || 'another process';
      throw new CoursebookError(`Another build (process ${owner}) is writing ${out}. Wait for it to finish, or remove ${file} if no build is running.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
