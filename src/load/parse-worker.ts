import { parentPort } from 'node:worker_threads';
import type { ReadingSpeeds } from '../markdown/words.js';
import { summariseLesson } from './lesson.js';

/** A parse job: a lesson's text, its path and the course's reading speeds. */
export interface ParseJob {
  id: number;
  text: string;
  path: string;
  speeds: ReadingSpeeds;
}

// Runs in a worker thread: parses lessons and sends back summary and tree (structured clone).
parentPort?.on('message', (job: ParseJob) => {
  try {
    const { summary, tree } = summariseLesson(job.text, job.path, job.speeds);
    parentPort?.postMessage({ id: job.id, summary, tree });
  } catch (error) {
    parentPort?.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) });
  }
});
