import { spawn } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import http from 'node:http';

/** What `serve` cost: the first build, and each save until the reload event reached the page. */
export interface ServeTiming {
  firstBuildSeconds: number;
  /** Save to `reload` event, one per edit, in milliseconds. */
  reloadMs: number[];
  /** CPU time of each rebuild as serve's status line reports it (the process, all threads), in milliseconds. */
  rebuildCpuMs: number[];
  ok: boolean;
}

/**
 * Starts `coursebook serve` on a free port, listens on its live-reload stream as a page does, then
 * appends a sentence to a lesson `edits` times and times each save until the `reload` event.
 * @param bin bin/coursebook.js
 * @param cwd the folder holding `content/`
 * @param lesson an absolute lesson path to edit
 * @param edits how many saves to time
 */
export async function timeServeReload(bin: string, cwd: string, lesson: string, edits: number): Promise<ServeTiming> {
  const started = performance.now();
  const child = spawn(process.execPath, [bin, 'serve', 'content', '--port', '0'], { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /Serving (http:\/\/\S+)/.exec(stderr);
        if (match) resolve(match[1]!);
      });
      child.on('exit', () => reject(new Error(`serve exited before serving:\n${stderr.slice(-2000)}`)));
    });
    const firstBuildSeconds = (performance.now() - started) / 1000;
    let waiting: (() => void) | undefined;
    let failed: ((error: Error) => void) | undefined;
    let buffer = '';
    const stream = await new Promise<http.IncomingMessage>((resolve) => http.get(new URL('/__coursebook/events', url), resolve));
    stream.setEncoding('utf8');
    stream.on('data', (text: string) => {
      buffer += text;
      if (buffer.includes('event: reload')) {
        buffer = '';
        waiting?.();
      } else if (buffer.includes('event: problems')) {
        failed?.(new Error(`the rebuild failed: ${buffer}`));
      }
    });
    const reloadMs: number[] = [];
    // serve prints each rebuild's CPU time: "✓ Rebuilt in 212 ms (180 ms CPU) after …".
    const cpuOf = (text: string): number[] => [...text.matchAll(/Rebuilt in [^(]*\(([\d.]+) (ms|s) CPU\)/g)].map((match) => Number(match[1]) * (match[2] === 's' ? 1000 : 1));
    for (let edit = 0; edit < edits; edit++) {
      const reloaded = new Promise<void>((resolve, reject) => {
        waiting = resolve;
        failed = reject;
        setTimeout(() => reject(new Error('no reload within 120 s')), 120_000).unref();
      });
      const saved = performance.now();
      await appendFile(lesson, `\nA sentence the benchmark saved, number ${edit + 1}.\n`);
      await reloaded;
      reloadMs.push(performance.now() - saved);
    }
    stream.destroy();
    // The status line follows the reload event; give the last one a moment to arrive.
    for (let wait = 0; wait < 50 && cpuOf(stderr).length < edits; wait++) await new Promise((resolve) => setTimeout(resolve, 20));
    return { firstBuildSeconds, reloadMs, rebuildCpuMs: cpuOf(stderr), ok: true };
  } catch (error) {
    process.stderr.write(`serve: ${(error as Error).message}\n`);
    return { firstBuildSeconds: (performance.now() - started) / 1000, reloadMs: [], rebuildCpuMs: [], ok: false };
  } finally {
    child.kill('SIGINT');
    await exited;
  }
}
