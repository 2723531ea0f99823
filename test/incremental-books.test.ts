import { appendFileSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSession } from '../src/browser/chromium.js';
import { listFiles } from '../src/outputs/files.js';
import { build } from '../src/pipeline.js';
import { epubcheck } from './epubcheck.js';
import { fixture, scratchCopy, scratchDir } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
const session = browserSession();
afterAll(async () => {
  await session.close();
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

describe('books assembled from cached chapters', () => {
  let previousEpoch: string | undefined;
  beforeAll(() => {
    previousEpoch = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = '1767225600';
  });
  afterAll(() => {
    if (previousEpoch === undefined) delete process.env.SOURCE_DATE_EPOCH;
    else process.env.SOURCE_DATE_EPOCH = previousEpoch;
  });

  /** The EPUBs of an output folder, by path. */
  async function books(out: string): Promise<Map<string, Buffer>> {
    const files = (await listFiles(out)).filter((file) => file.endsWith('.epub'));
    return new Map(await Promise.all(files.map(async (file) => [file, await readFile(path.join(out, file))] as const)));
  }

  it('re-render only the edited chapters, and equal a --no-cache build byte for byte after every kind of edit', { timeout: 600_000 }, async () => {
    const copy = await scratchCopy(fixture('books', 'content'));
    cleanups.push(copy.cleanup);
    const { dir, cleanup } = await scratchDir();
    cleanups.push(cleanup);
    const out = path.join(dir, 'dist');
    const source = (...parts: string[]): string => path.join(copy.dir, ...parts);
    // A course template folder to edit later, and a raw link into another chapter that only the book settles.
    await cp(path.resolve(import.meta.dirname, '..', 'templates', 'epub', 'chapter.njk'), source('templates', 'epub', 'chapter.njk'));
    appendFileSync(source('course.yml'), 'templates: templates\n');
    const introduction = source('01-erste-schritte', '01-einleitung.md');
    writeFileSync(introduction, `${readFileSync(introduction, 'utf8').replace('./02-aufgaben.md#aufgaben', './02-aufgaben.md')}\n<p>Raw: <a href="lesson-1.2.xhtml#aufgaben">to the tasks</a></p>\n`);
    let summary = '';
    const cached = async (): Promise<Map<string, Buffer>> => {
      const result = await build(copy.dir, { out, formats: ['epub'], browser: session, onEvent: (event) => event.type === 'step-end' && event.step === 'epub' && (summary = event.summary ?? '') });
      expect(result.published).toBe(true);
      return books(out);
    };
    const fresh = async (): Promise<Map<string, Buffer>> => {
      const scratch = await scratchDir();
      cleanups.push(scratch.cleanup);
      const fresh = path.join(scratch.dir, 'dist');
      expect((await build(copy.dir, { out: fresh, formats: ['epub'], cache: false, browser: session })).published).toBe(true);
      return books(fresh);
    };
    const sameAsFresh = async (label: string): Promise<Map<string, Buffer>> => {
      const [made, expected] = [await cached(), await fresh()];
      expect([...made.keys()].sort(), label).toEqual([...expected.keys()].sort());
      expect(
        [...made].filter(([file, bytes]) => !bytes.equals(expected.get(file)!)).map(([file]) => file),
        label,
      ).toEqual([]);
      return made;
    };
    const chapter = async (bytes: Buffer | undefined, name: string): Promise<string> => (await JSZip.loadAsync(bytes!)).file(`OEBPS/${name}`)!.async('string');
    const courseBook = 'downloads/bücher--books-quoted-single--本.epub';

    expect((await sameAsFresh('first build')).size).toBe(3);
    expect(summary).toBe('3 books (3 built, 0 cached); chapters: 8 rendered, 2 reused');
    expect((await cached()).size).toBe(3);
    expect(summary).toBe('3 books (0 built, 3 cached); chapters: 0 rendered, 0 reused');

    // One lesson: its chapter is made once, for its section's book and the course's alike.
    appendFileSync(source('01-erste-schritte', '02-aufgaben.md'), '\nOne more sentence for the edit.\n');
    await sameAsFresh('a lesson edited');
    expect(summary).toBe('3 books (2 built, 1 cached); chapters: 1 rendered, 7 reused');

    // The heading a raw link of 1.1 points at goes: 1.1 is unchanged, yet its link must become text.
    writeFileSync(source('01-erste-schritte', '02-aufgaben.md'), readFileSync(source('01-erste-schritte', '02-aufgaben.md'), 'utf8').replace('## Aufgaben', '## Übungen'));
    const renamed = await sameAsFresh('a heading renamed');
    expect(await chapter(renamed.get(courseBook), 'lesson-1.1.xhtml')).toContain('<span class="unlinked">to the tasks</span>');
    const findings = await Promise.all([...renamed].map(async ([file, bytes]) => (await epubcheck(bytes)).map((finding) => `${file}: ${finding}`)));
    expect(findings.flat()).toEqual([]);

    // An image before the others renumbers them in every chapter that shows one.
    appendFileSync(source('01-erste-schritte', 'section.md'), '\n![Three stacked layers](../images/stack.svg)\n');
    const renumbered = await sameAsFresh('an image added first');
    expect(await chapter(renumbered.get(courseBook), 'lesson-1.1.xhtml')).toContain('<img src="images/02-client-server.png"');

    // A template of the course, then course.yml.
    appendFileSync(source('templates', 'epub', 'chapter.njk'), '<p class="colophon">Edited template.</p>\n');
    const templated = await sameAsFresh('a template edited');
    expect(await chapter(templated.get(courseBook), 'lesson-2.1.xhtml')).toContain('Edited template.');
    writeFileSync(source('course.yml'), readFileSync(source('course.yml'), 'utf8').replace('Ein Kurs über', 'Ein Buch über'));
    await sameAsFresh('course.yml edited');
  });
});
