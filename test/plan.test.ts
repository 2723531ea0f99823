import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writers } from '../src/outputs/index.js';
import { writeOutput } from '../src/outputs/files.js';
import type { Writer } from '../src/outputs/writer.js';
import { build } from '../src/pipeline.js';
import { fixture, scratchCopy, scratchDir } from './helpers.js';
import { readTree } from './site.js';

const date = new Date(1767225600 * 1000);
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
});

async function copyOfValid(): Promise<string> {
  const copy = await scratchCopy(fixture('valid', 'content'));
  cleanups.push(copy.cleanup);
  return copy.dir;
}

async function scratch(): Promise<string> {
  const { dir, cleanup } = await scratchDir();
  cleanups.push(cleanup);
  return dir;
}

function expectSameTree(actual: Map<string, Buffer>, expected: Map<string, Buffer>): void {
  expect([...actual.keys()]).toEqual([...expected.keys()]);
  for (const [file, bytes] of expected) expect(actual.get(file)!.toString(), file).toBe(bytes.toString());
}

/** Builds twice into separate folders: once through the cache, once without; returns both trees. */
async function cachedAndCold(content: string, work: string, formats = ['html', 'json']): Promise<{ cached: Map<string, Buffer>; cold: Map<string, Buffer> }> {
  const cachedOut = path.join(work, 'cached');
  const coldOut = path.join(work, 'cold');
  const cached = await build(content, { out: cachedOut, formats, date });
  expect(cached.published, JSON.stringify(cached.diagnostics.slice(0, 2))).toBe(true);
  await build(content, { out: coldOut, formats, date, cache: false, force: true });
  return { cached: await readTree(cachedOut), cold: await readTree(coldOut) };
}

/** Points course.yml at a templates folder inside the content root and writes `files` there. */
function useTemplates(content: string, files: Record<string, string>): void {
  const config = path.join(content, 'course.yml');
  const text = readFileSync(config, 'utf8');
  if (!/^templates:/m.test(text)) writeFileSync(config, `${text.trimEnd()}\ntemplates: theme\n`);
  for (const [name, body] of Object.entries(files)) {
    const file = path.join(content, 'theme', ...name.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, body);
  }
}

const lessonFile = (content: string, name: string): string => path.join(content, '03-grundlagen', name);

describe('cache keys from what templates see', () => {
  it('a page that shows another lesson’s word count is rebuilt when that lesson changes', async () => {
    const content = await copyOfValid();
    const work = await scratch();
    useTemplates(content, { 'partials/lesson-header.njk': '<p class="first-words">First lesson: {{ course.lessons[0].words }} words</p>\n<h1>{{ lesson.title }}</h1>\n' });
    await cachedAndCold(content, work);
    writeFileSync(lessonFile(content, '01-erste-lektion.md'), `${readFileSync(lessonFile(content, '01-erste-lektion.md'), 'utf8')}\nThree more words.\n`);
    const { cached, cold } = await cachedAndCold(content, work);
    expectSameTree(cached, cold);
    const page = cached.get('03-grundlagen/02-zweite.html')!.toString();
    expect(page).toMatch(/First lesson: \d+ words/);
    expect(page).toBe(cold.get('03-grundlagen/02-zweite.html')!.toString());
  });

  it('random edits to lessons and course.yml under random templates always give the bytes of a --no-cache build', async () => {
    const content = await copyOfValid();
    const work = await scratch();
    const fields = ['words', 'minutes', 'minutesLabel', 'title', 'summary', 'group', 'computedMinutes', 'headings.length', 'href', 'id'];
    const lessonNames = ['01-erste-lektion.md', '02-zweite.md', '03-dritte.md', '04-vierte.md', '05-fuenfte.md'];
    const edit = fc.record({
      lesson: fc.constantFrom(...lessonNames),
      kind: fc.constantFrom('append-text', 'append-heading', 'retitle', 'resummarise', 'course-title', 'course-description'),
      words: fc.array(fc.constantFrom('alpha', 'beta', 'gamma', 'Überblick', 'délta'), { minLength: 1, maxLength: 6 }),
    });
    const template = fc.record({ index: fc.integer({ min: 0, max: 10 }), field: fc.constantFrom(...fields), where: fc.constantFrom('lesson-header', 'section-overview') });
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 3 }), template, async (edits, shown) => {
        const expression = `course.lessons[${shown.index}].${shown.field}`;
        if (shown.where === 'lesson-header') useTemplates(content, { 'partials/lesson-header.njk': `<h1>{{ lesson.title }}</h1><p class="shown">{{ ${expression} }}</p>\n` });
        else useTemplates(content, { 'partials/section-overview.njk': `<p class="shown">{{ ${expression} }}</p>\n` });
        for (const change of edits) {
          const file = lessonFile(content, change.lesson);
          const text = readFileSync(file, 'utf8');
          const phrase = change.words.join(' ');
          if (change.kind === 'append-text') writeFileSync(file, `${text}\n${phrase}.\n`);
          else if (change.kind === 'append-heading') writeFileSync(file, `${text}\n## ${phrase}\n\nText.\n`);
          else if (change.kind === 'retitle') writeFileSync(file, text.replace(/^title: .*$/m, `title: "${phrase}"`));
          else if (change.kind === 'resummarise') writeFileSync(file, text.replace(/^summary: .*$/m, `summary: ${phrase}`));
          else {
            const config = path.join(content, 'course.yml');
            const key = change.kind === 'course-title' ? 'title' : 'description';
            const configText = readFileSync(config, 'utf8').replace(new RegExp(`^${key}: .*\\n`, 'm'), '');
            writeFileSync(config, `${configText.trimEnd()}\n${key}: "${phrase}"\n`);
          }
        }
        const { cached, cold } = await cachedAndCold(content, work);
        expectSameTree(cached, cold);
      }),
      { numRuns: 5, seed: 20261130 },
    );
  }, 600_000);
});

/** A format that exists only in this test: one text file per section and one for the course. */
const noteWriter: Writer = {
  name: 'notes',
  description: 'plain-text notes (test only)',
  offersDownloads: true,
  artifacts: (course) => [
    ...course.sections.map((section) => ({ scope: 'section' as const, path: `downloads/${section.dir}.txt`, label: 'Download notes', section, download: true })),
    { scope: 'course' as const, path: 'downloads/course.txt', label: 'Download notes', download: true },
  ],
  async publish(context) {
    for (const artifact of context.artifacts) await writeOutput(context.outDir, artifact.path, `${artifact.section?.title ?? context.course.config.title}\n`);
    return `${context.artifacts.length} notes`;
  },
};

describe('the publication plan', () => {
  it('a writer registered in one row appears in downloads, the summary and the catalogue', async () => {
    const content = await copyOfValid();
    const out = path.join(await scratch(), 'dist');
    const result = await build(content, { out, formats: ['html', 'json', 'notes'], writers: [...writers, noteWriter], date });
    expect(result.published).toBe(true);
    expect(result.written!.byFormat.notes).toEqual({ files: 3, bytes: expect.any(Number) });
    expect(result.plan!.of('notes').map((artifact) => artifact.path)).toEqual(['downloads/03-grundlagen.txt', 'downloads/04-more.txt', 'downloads/course.txt']);
    const sectionPage = readFileSync(path.join(out, '03-grundlagen', 'index.html'), 'utf8');
    expect(sectionPage).toContain('href="../downloads/03-grundlagen.txt"');
    expect(sectionPage).toContain('Download notes');
    const catalogue = JSON.parse(readFileSync(path.join(out, 'api', 'catalogue.json'), 'utf8'));
    expect(catalogue.sections[0].downloads).toEqual({ pdf: null, epub: null, notes: 'downloads/03-grundlagen.txt' });
    expect(catalogue.course.downloads).toEqual({ pdf: null, epub: null, notes: 'downloads/course.txt' });
  });

  it('an unknown format is an error naming the known ones, never html', async () => {
    const content = await copyOfValid();
    const out = path.join(await scratch(), 'dist');
    await expect(build(content, { out, formats: ['html', 'scrom'], date })).rejects.toThrow(/Unknown format "scrom"\. Known formats: html, json, pdf, epub/);
  });
});

describe('section introductions', () => {
  let content: string;
  let out: string;
  beforeAll(async () => {
    content = await copyOfValid();
    out = path.join(await scratch(), 'dist');
    const section = path.join(content, '03-grundlagen', 'section.md');
    writeFileSync(
      section,
      `${readFileSync(section, 'utf8')}\nStart with [the first lesson](./01-erste-lektion.md#überblick), then read [more](../04-more/section.md).\n\n## Plan\n\nSee [the plan](#plan).\n`,
    );
  });

  it('are checked like lessons: a broken link in section.md is a diagnostic at its line', async () => {
    const broken = await copyOfValid();
    const section = path.join(broken, '03-grundlagen', 'section.md');
    writeFileSync(section, `${readFileSync(section, 'utf8')}\nSee [nothing](./99-none.md) and [a bad anchor](./01-erste-lektion.md#nowhere).\n`);
    const result = await build(broken, { out: path.join(await scratch(), 'dist'), formats: ['html'], date });
    expect(result.published).toBe(false);
    const found = result.diagnostics.filter((d) => d.file === '03-grundlagen/section.md').map((d) => `${d.rule}:${d.line}`);
    const line =
      readFileSync(section, 'utf8')
        .split('\n')
        .findIndex((text) => text.includes('99-none')) + 1;
    expect(found).toEqual([`broken-link:${line}`, `broken-link:${line}`]);
  });

  it('have their links rewritten in the site, the catalogue-free EPUB and the PDF alike', async () => {
    const result = await build(content, { out, formats: ['html', 'epub', 'pdf'], date });
    expect(result.published).toBe(true);
    const page = readFileSync(path.join(out, '03-grundlagen', 'index.html'), 'utf8');
    expect(page).toContain('href="01-erste-lektion.html#%C3%BCberblick"');
    expect(page).toContain('href="../04-more/index.html"');
    expect(page).not.toMatch(/href="[^"]*\.md/);
    const JSZip = (await import('jszip')).default;
    const epub = await JSZip.loadAsync(readFileSync(path.join(out, 'downloads', '03-grundlagen.epub')));
    const opening = await epub.file(/section-3\.xhtml$/)[0]!.async('string');
    expect(opening).toContain('href="lesson-3.1.xhtml#%C3%BCberblick"');
    expect(opening).not.toMatch(/href="[^"]*\.md/);
    const { execFileSync } = await import('node:child_process');
    const pdf = path.join(out, 'downloads', '03-grundlagen.pdf');
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('Start with the first lesson');
    // The intro's link to lesson 3.1 is an in-document link, not text: the uncompressed PDF has a named destination for it.
    const raw = execFileSync('qpdf', ['--qdf', '--object-streams=disable', pdf, '-'], { maxBuffer: 64 * 1024 * 1024 }).toString('latin1');
    expect(raw).toContain('/Dest /lesson-3-1--#25C3#25BCberblick');
  });
});
