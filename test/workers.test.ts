import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSession } from '../src/browser/chromium.js';
import { listFiles } from '../src/outputs/files.js';
import { build } from '../src/pipeline.js';
import { scratchCopy, scratchDir } from './helpers.js';

const repoContent = path.join(import.meta.dirname, '..', 'content');

/**
 * Builds the embedded course (code in several languages, diagrams, exercises, quizzes, math), with
 * two course plugins added, once per COURSEBOOK_WORKERS value, without any cache.
 */
async function buildWith(workers: string, content: string, out: string, browser: ReturnType<typeof browserSession>): Promise<void> {
  const before = process.env.COURSEBOOK_WORKERS;
  process.env.COURSEBOOK_WORKERS = workers;
  try {
    const result = await build(content, { out, formats: ['html', 'json', 'epub'], cache: false, date: new Date(Date.UTC(2026, 0, 1)), browser });
    expect(result.published, JSON.stringify(result.diagnostics.filter((d) => d.severity === 'error'))).toBe(true);
  } finally {
    if (before === undefined) delete process.env.COURSEBOOK_WORKERS;
    else process.env.COURSEBOOK_WORKERS = before;
  }
}

describe('rendering on worker threads', () => {
  let content: { dir: string; cleanup: () => Promise<void> };
  let outs: { dir: string; cleanup: () => Promise<void> };
  const browser = browserSession();

  beforeAll(async () => {
    content = await scratchCopy(repoContent);
    const config = path.join(content.dir, 'course.yml');
    const plugins = 'plugins:\n  remark:\n    - ["remark-emoji", {}]\n  rehype:\n    - ["rehype-external-links", { content: { type: text, value: " ↗" } }]\n';
    await writeFile(config, `${await readFile(config, 'utf8')}\n${plugins}`);
    // A shortcode the remark plugin turns into an emoji, and math, which the course itself lacks.
    const lesson = path.join(content.dir, '04-distributed-systems', '01-distributed-systems-overview.md');
    await writeFile(lesson, `${await readFile(lesson, 'utf8')}\nWorkers render this too :rocket: when $w + r > n$:\n\n$$\nw + r > n\n$$\n`);
    outs = await scratchDir();
  });

  afterAll(async () => {
    await browser.close();
    await content?.cleanup();
    await outs?.cleanup();
  });

  it('writes the same bytes with no worker, one worker and three workers', async () => {
    const counts = ['0', '1', '3'];
    for (const count of counts) await buildWith(count, content.dir, path.join(outs.dir, `workers-${count}`), browser);
    const files = await listFiles(path.join(outs.dir, 'workers-0'));
    expect(files.length).toBeGreaterThan(20);
    const home = await readFile(path.join(outs.dir, 'workers-0', 'index.html'), 'utf8');
    expect(home).toContain('<html');
    const lessons = files.filter((file) => file.endsWith('.html') && file.includes('/'));
    const bodies = (await Promise.all(lessons.map((file) => readFile(path.join(outs.dir, 'workers-0', file), 'utf8')))).join('\n');
    // What the comparison covers: highlighted code, a diagram, the constructs, math and both plugins' output.
    expect(bodies).toContain('class="shiki');
    expect(bodies).toContain('class="diagram"');
    expect(bodies).toContain('class="exercise"');
    expect(bodies).toContain('<math');
    expect(bodies).toContain('🚀');
    expect(bodies).toContain(' ↗');
    for (const count of counts.slice(1)) {
      const other = path.join(outs.dir, `workers-${count}`);
      expect(await listFiles(other)).toEqual(files);
      for (const file of files) {
        const [a, b] = await Promise.all([readFile(path.join(outs.dir, 'workers-0', file)), readFile(path.join(other, file))]);
        expect(b.equals(a), `${file} with COURSEBOOK_WORKERS=${count}`).toBe(true);
      }
    }
  }, 240_000);
});
