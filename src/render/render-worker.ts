import { parentPort, workerData } from 'node:worker_threads';
import type { DiagramResult } from '../diagrams/cache.js';
import { prepareBodyRendering, type BodySource, type RenderSettings } from './body-render.js';

/** A render job: a lesson's body and the rendered diagrams its mermaid blocks need, by hash. */
export interface RenderJob extends BodySource {
  id: number;
  diagrams: [string, DiagramResult][];
}

/** A render job's answer: the body's hast (structured clone), or why it could not be rendered. */
export type RenderAnswer = { id: number; body: import('hast').Root } | { id: number; error: string };

// Runs in a worker thread: prepares Shiki, the plugins and the sanitiser once, then renders the
// bodies it is sent. Jobs run in the order they arrive: each awaits the same preparation.
let diagrams = new Map<string, DiagramResult>();
const rendering = prepareBodyRendering(workerData as RenderSettings, (hash) => diagrams.get(hash));
rendering.catch(() => undefined);
parentPort?.on('message', async (job: RenderJob) => {
  let answer: RenderAnswer;
  try {
    const { render } = await rendering;
    diagrams = new Map(job.diagrams);
    answer = { id: job.id, body: render(job, true) };
  } catch (error) {
    answer = { id: job.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(answer);
});
