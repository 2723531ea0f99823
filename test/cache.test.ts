import { appendFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/pipeline.js';
import { fixture, scratchCopy, scratchDir } from './helpers.js';
import { readTree } from './site.js';

let scratch: { dir: string; cleanup: () => Promise<void> };
let course: { dir: string; cleanup: () => Promise<void> };
const epoch = '1767225600';

beforeAll(async () => {
  process.env.SOURCE_DATE_EPOCH = epoch;
  scratch = await scratchDir();
  course = await scratchCopy(fixture('valid', 'content'));
});
afterAll(async () => {
  delete process.env.SOURCE_DATE_EPOCH;
  await Promise.all([scratch?.cleanup(), course?.cleanup()]);
});

/** A build with no cache at all: the reference every cached build must equal. */
async function coldTree(name: string): Promise<Map<string, Buffer>> {
  const out = path.join(scratch.dir, name, 'dist');
  await build(course.dir, { out, formats: ['html', 'json'], cache: false });
  return readTree(out);
}

function expectSameTree(actual: Map<string, Buffer>, expected: Map<string, Buffer>): void {
  expect([...actual.keys()]).toEqual([...expected.keys()]);
  for (const [file, bytes] of expected) expect(actual.get(file)!.equals(bytes), file).toBe(true);
}

const out = (): string => path.join(scratch.dir, 'cached', 'dist');
const cacheDir = (): string => path.join(scratch.dir, 'cached', '.coursebook-cache');
let summaries: string[] = [];
const cachedBuild = () => {
  summaries = [];
  return build(course.dir, { out: out(), formats: ['html', 'json'], onEvent: (event) => event.type === 'step-end' && summaries.push(`${event.step}: ${event.summary}`) });
};

describe('the persistent cache', () => {
  it('gives exactly what a cold build gives, cold and warm, and a warm build renders nothing', async () => {
    const reference = await coldTree('reference');
    const first = await cachedBuild();
    expectSameTree(await readTree(out()), reference);
    expect(first.diagrams.rendered).toBe(1);
    const warm = await cachedBuild();
    expectSameTree(await readTree(out()), reference);
    expect(warm.diagrams).toMatchObject({ rendered: 0, cached: 1 });
    expect(summaries).toContain('html: 14 pages (0 rendered, 11 cached)');
    expect(readdirSync(path.join(cacheDir(), 'outputs', 'html')).length).toBeGreaterThan(10);
  });

  it('after an edit, rebuilds what changed and still equals a cold build', async () => {
    appendFileSync(path.join(course.dir, '03-grundlagen', '05-fuenfte.md'), '\nA new closing paragraph about [the first lesson](./01-erste-lektion.md).\n');
    const edited = await cachedBuild();
    expect(edited.published).toBe(true);
    expect(summaries).toContain('html: 14 pages (1 rendered, 10 cached)');
    expectSameTree(await readTree(out()), await coldTree('after-edit'));
  });

  it('after a title change, updates the navigation of every page that shows it', async () => {
    const file = path.join(course.dir, '03-grundlagen', '04-vierte.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('title: "Lektion 4: Café ☕"', 'title: "Lektion 4: Teehaus 🍵"'));
    await cachedBuild();
    const tree = await readTree(out());
    expectSameTree(tree, await coldTree('after-title'));
    expect(tree.get('03-grundlagen/05-fuenfte.html')!.toString()).toContain('Lektion 4: Teehaus 🍵');
  });

  it('never trusts a corrupt cache: damaged entries and summaries are rebuilt', async () => {
    writeFileSync(path.join(cacheDir(), 'lessons.json'), '{"key": "x", "entries": [["03-grundlagen/01-erste-lektion.md", {"hash": "0"}]]}');
    for (const entry of readdirSync(path.join(cacheDir(), 'outputs', 'html'))) {
      const page = path.join(cacheDir(), 'outputs', 'html', entry, '03-grundlagen', '02-zweite.html');
      try {
        const size = statSync(page).size;
        writeFileSync(page, 'x'.repeat(size));
      } catch {
        // Not this page's entry.
      }
    }
    for (const entry of readdirSync(path.join(cacheDir(), 'diagrams'))) writeFileSync(path.join(cacheDir(), 'diagrams', entry), 'not json');
    const rebuilt = await cachedBuild();
    expect(rebuilt.diagrams.rendered).toBe(1);
    expectSameTree(await readTree(out()), await coldTree('after-corruption'));
  });
});
