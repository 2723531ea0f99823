import os from 'node:os';
import { CoursebookError } from './errors.js';

/**
 * The worker-thread count COURSEBOOK_WORKERS asks for: a whole number (0 runs everything on the
 * main thread), or undefined when unset, which leaves the choice to each pool.
 * Note: output never depends on it (a test builds with 0 and with several workers and compares
 * every byte); it exists to measure, to debug, and to share a machine.
 * @param env the environment to read
 * @throws CoursebookError when it is set to something else
 */
export function requestedWorkers(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env.COURSEBOOK_WORKERS;
  if (value === undefined || value.trim() === '') return undefined;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 0) throw new CoursebookError(`COURSEBOOK_WORKERS must be a whole number of worker threads (0 for none), got "${value}".`);
  return count;
}

/**
 * How many worker threads a pool starts for some jobs: COURSEBOOK_WORKERS when set, else one per
 * core when there are at least `perWorker` jobs for each, and none (the main thread) below two.
 * @param jobs how many jobs there are
 * @param perWorker below this many jobs a worker costs more to start than it saves
 */
export function workerCount(jobs: number, perWorker: number): number {
  const requested = requestedWorkers();
  if (requested !== undefined) return requested;
  const threads = Math.min(os.availableParallelism(), Math.ceil(jobs / perWorker));
  return threads < 2 ? 0 : threads;
}
