import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Root } from 'mdast';
import { workerCount } from '../shared/threads.js';
import { summariseLesson, type LessonSummary } from './lesson.js';
import type { ParseJob } from './parse-worker.js';

/** Below this many lessons to parse, starting workers costs more than it saves. */
const minimumForWorkers = 24;

// The compiled worker; the same relative path works from lib/load and from src/load (tests).
const workerFile = fileURLToPath(new URL('../../lib/load/parse-worker.js', import.meta.url));

/** A lesson's parse result. */
export type Parsed = { summary: LessonSummary; tree: Root };

/**
 * Parses many lessons, on worker threads when there are enough of them (one per core, or as many
 * as COURSEBOOK_WORKERS says), else on this thread. Results are the same either way: parsing is
 * deterministic, and they are matched to their lessons by position, never by completion order.
 * @param jobs the lessons to parse
 */
export async function parseAll(jobs: Omit<ParseJob, 'id'>[]): Promise<Parsed[]> {
  const threads = Math.min(workerCount(jobs.length, minimumForWorkers), jobs.length);
  if (threads < 1 || !existsSync(workerFile)) return jobs.map((job) => summariseLesson(job.text, job.path, job.speeds));
  const results: Parsed[] = new Array(jobs.length);
  let next = 0;
  const workers = Array.from({ length: threads }, () => new Worker(workerFile));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = (): void => {
              if (next >= jobs.length) {
                resolve();
                return;
              }
              const id = next++;
              worker.postMessage({ ...jobs[id]!, id } satisfies ParseJob);
            };
            worker.on('message', (message: { id: number; summary?: LessonSummary; tree?: Root; error?: string }) => {
              if (message.error !== undefined || !message.summary || !message.tree) {
                reject(new Error(`Could not parse ${jobs[message.id]?.path}: ${message.error ?? 'no result'}`));
                return;
              }
              results[message.id] = { summary: message.summary, tree: message.tree };
              send();
            });
            worker.on('error', reject);
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results;
}
