import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Root as HastRoot } from 'hast';
import type { DiagramResult } from '../diagrams/cache.js';
import type { BodySource, RenderSettings } from './body-render.js';
import type { RenderAnswer, RenderJob } from './render-worker.js';

// The compiled worker; the same relative path works from lib/render and from src/render (tests).
const workerFile = fileURLToPath(new URL('../../lib/render/render-worker.js', import.meta.url));

/** Jobs handed to one worker at a time: one running, one waiting, so it never idles between messages. */
const jobsPerWorker = 2;

/** Workers with nothing to do for this long are stopped; the next job starts them again. */
const idleMs = 2000;

interface Waiting {
  job: RenderJob;
  done: (body: HastRoot | undefined) => void;
}

interface Thread {
  worker: Worker;
  running: Map<number, Waiting>;
}

/**
 * Worker threads that render bodies, each preparing Shiki, the course's plugins and the sanitiser
 * once. Started at the first job and stopped when idle, so a build that renders nothing starts none.
 * Note: a job a worker cannot do (a plugin throws, the worker dies) resolves to undefined: the caller
 * renders that body on its own thread, which reports the error as it always has.
 */
export class RenderPool {
  private threads: Thread[] = [];
  private queue: Waiting[] = [];
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  /** Set when a worker died unasked: no more are started, and jobs resolve to undefined. */
  private broken = false;

  /**
   * @param settings what every worker prepares
   * @param size how many worker threads to run
   */
  constructor(
    private readonly settings: RenderSettings,
    private readonly size: number,
  ) {}

  /** Whether the compiled worker exists (it does not when only src/ was type-checked). */
  static available(): boolean {
    return existsSync(workerFile);
  }

  /**
   * Renders a body on a worker.
   * @param source the body
   * @param diagrams the rendered diagrams its mermaid blocks need, by hash
   * @returns the body, or undefined when the worker could not render it
   */
  render(source: BodySource, diagrams: [string, DiagramResult][]): Promise<HastRoot | undefined> {
    return new Promise((done) => {
      this.queue.push({ job: { ...source, id: this.nextId++, diagrams }, done });
      this.pump();
    });
  }

  /** Stops every worker; jobs still waiting resolve to undefined. */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const threads = this.threads;
    this.threads = [];
    for (const waiting of this.queue.splice(0)) waiting.done(undefined);
    for (const thread of threads) for (const waiting of thread.running.values()) waiting.done(undefined);
    await Promise.all(threads.map((thread) => thread.worker.terminate()));
  }

  private start(): Thread {
    const thread: Thread = { worker: new Worker(workerFile, { workerData: this.settings }), running: new Map() };
    // A forgotten pool must not keep the process alive.
    thread.worker.unref();
    thread.worker.on('message', (answer: RenderAnswer) => {
      const waiting = thread.running.get(answer.id);
      thread.running.delete(answer.id);
      waiting?.done('body' in answer ? answer.body : undefined);
      this.pump();
    });
    const lost = (): void => {
      // A worker that close() stopped is no longer listed: nothing was lost.
      if (!this.threads.includes(thread)) return;
      this.broken = true;
      this.threads = this.threads.filter((other) => other !== thread);
      for (const waiting of thread.running.values()) waiting.done(undefined);
      thread.running.clear();
      this.pump();
    };
    thread.worker.on('error', lost);
    thread.worker.on('exit', lost);
    return thread;
  }

  private pump(): void {
    clearTimeout(this.idleTimer);
    if (this.broken) for (const waiting of this.queue.splice(0)) waiting.done(undefined);
    if (this.queue.length > 0 && this.threads.length < this.size) {
      while (this.threads.length < this.size) this.threads.push(this.start());
    }
    for (const thread of this.threads) {
      while (thread.running.size < jobsPerWorker && this.queue.length > 0) {
        const waiting = this.queue.shift()!;
        thread.running.set(waiting.job.id, waiting);
        thread.worker.postMessage(waiting.job);
      }
    }
    if (this.queue.length === 0 && this.threads.every((thread) => thread.running.size === 0) && this.threads.length > 0) {
      this.idleTimer = setTimeout(() => void this.close(), idleMs).unref();
    }
  }
}
