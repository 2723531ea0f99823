import { appendFileSync, readFileSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../src/pipeline.js';
import { fixture, scratchCopy, scratchDir } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
});

describe('books dated by their own sources', () => {
  it('one edited lesson rebuilds only the books that contain it', async () => {
    const copy = await scratchCopy(fixture('valid', 'content'));
    cleanups.push(copy.cleanup);
    const { dir, cleanup } = await scratchDir();
    cleanups.push(cleanup);
    const out = path.join(dir, 'dist');
    const summaries: string[] = [];
    const run = () => build(copy.dir, { out, formats: ['epub'], onEvent: (event) => event.type === 'step-end' && summaries.push(`${event.step}: ${event.summary}`) });
    // No SOURCE_DATE_EPOCH: each book carries the newest modification time of its own sources.
    const old = new Date('2026-01-01T00:00:00Z');
    for (const file of ['course.yml', '03-grundlagen/section.md', '03-grundlagen/01-erste-lektion.md', '04-more/section.md', '04-more/01-more.md']) utimesSync(path.join(copy.dir, file), old, old);
    expect((await run()).published).toBe(true);
    const firstSection3 = readFileSync(path.join(out, 'downloads', '03-grundlagen.epub'));
    const firstSection4 = readFileSync(path.join(out, 'downloads', '04-more.epub'));
    appendFileSync(path.join(copy.dir, '04-more', '01-more.md'), '\nOne more sentence for the edit.\n');
    summaries.length = 0;
    expect((await run()).published).toBe(true);
    expect(summaries).toEqual(['check: 14 files', 'epub: 3 books (2 built, 1 cached); chapters: 1 rendered, 14 reused']);
    expect(readFileSync(path.join(out, 'downloads', '03-grundlagen.epub')).equals(firstSection3)).toBe(true);
    expect(readFileSync(path.join(out, 'downloads', '04-more.epub')).equals(firstSection4)).toBe(false);
  }, 240_000);
});
