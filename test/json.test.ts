import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSession } from '../src/browser/chromium.js';
import type { CatalogueDocument, LessonDocument, SectionDocument } from '../src/outputs/catalogue-schema.js';
import { listFiles } from '../src/outputs/files.js';
import { buildKeys } from '../src/cache/keys.js';
import { OutputCache } from '../src/cache/outputs.js';
import { jsonWriter } from '../src/outputs/json.js';
import { build, buildDate, check, selectWriters } from '../src/pipeline.js';
import { loadWriter, writers } from '../src/outputs/index.js';
import { plan } from '../src/outputs/plan.js';
import { createRenderer } from '../src/render/renderer.js';
import { fixture, scratchCopy, scratchDir } from './helpers.js';

const validContent = fixture('valid', 'content');
// The plugin is CommonJS: its default export is under `default` as TypeScript sees it.
const addFormats = ajvFormats.default;
const epoch = '1000000000';
const cleanups: (() => Promise<void>)[] = [];
let previousEpoch: string | undefined;

/** Builds a course's JSON API into a fresh folder and returns that folder. */
async function buildJson(contentDir: string): Promise<string> {
  const { dir, cleanup } = await scratchDir();
  cleanups.push(cleanup);
  const out = path.join(dir, 'dist');
  const result = await build(contentDir, { out, formats: ['json'] });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(result.published).toBe(true);
  return out;
}

const readJson = <T>(out: string, file: string): T => JSON.parse(readFileSync(path.join(out, file), 'utf8')) as T;

/** Every emitted JSON document (not the schemas), relative to the output root. */
async function documentFiles(out: string): Promise<string[]> {
  return (await listFiles(path.join(out, 'api'))).filter((file) => !file.startsWith('schemas/') && file !== 'openapi.json').map((file) => `api/${file}`);
}

/** Where the site is served in tests without baseUrl: relative references resolve as under any origin. */
const site = 'http://site.test/';

/**
 * A real draft 2020-12 validator loaded with the published schemas, each by its `$id` resolved
 * from the schema file's own URL, as a JSON Schema tool fetching it would.
 */
async function publishedValidator(out: string, base = site): Promise<Ajv2020> {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  for (const file of await listFiles(path.join(out, 'api', 'schemas'))) {
    const schema = readJson<{ $id: string }>(out, `api/schemas/${file}`);
    const id = new URL(schema.$id, `${base}api/schemas/${file}`).href;
    expect(id, `the $id of ${file} resolves to the schema itself`).toBe(`${base}api/schemas/${file}`);
    ajv.addSchema({ ...schema, $id: id });
  }
  return ajv;
}

/** Validates a document against the schema its `$schema` names, resolved from the document's own URL. */
function validate(ajv: Ajv2020, document: { $schema: string }, file = 'api/catalogue.json', base = site): string {
  const url = new URL(document.$schema, `${base}${file}`).href;
  const validator = ajv.getSchema(url);
  if (!validator) throw new Error(`${file}: $schema ${document.$schema} resolves to ${url}, which is no published schema`);
  return validator(document) ? 'valid' : ajv.errorsText(validator.errors);
}

let out: string;
let variantOut: string;
const variantTitle = `Quotes "double" & 'single' <b>tags</b> 🧪👩‍🔬`;

beforeAll(async () => {
  previousEpoch = process.env.SOURCE_DATE_EPOCH;
  process.env.SOURCE_DATE_EPOCH = epoch;
  out = await buildJson(validContent);
  // A variant: baseUrl set, 3.10 written unquoted, and a title with every character JSON or HTML escapes.
  const variant = await scratchCopy(validContent);
  cleanups.push(variant.cleanup);
  const edit = (file: string, from: string | RegExp, to: string): void => {
    const full = path.join(variant.dir, file);
    const text = readFileSync(full, 'utf8');
    expect(text).toMatch(from);
    writeFileSync(full, text.replace(from, to));
  };
  edit('course.yml', /$/, '\nbaseUrl: https://courses.example.org/distributed/\n');
  edit('03-grundlagen/10-zehnte.md', 'lesson: "3.10"', 'lesson: 3.10');
  edit('04-more/01-more.md', 'title: More', `title: ${JSON.stringify(variantTitle)}`);
  variantOut = await buildJson(variant.dir);
});

afterAll(async () => {
  if (previousEpoch === undefined) delete process.env.SOURCE_DATE_EPOCH;
  else process.env.SOURCE_DATE_EPOCH = previousEpoch;
  await Promise.all(cleanups.map((cleanup) => cleanup()));
});

describe('json writer: files and schemas', () => {
  it('publishes the catalogue, one document per section and lesson, and one schema per kind', async () => {
    const lessonIds = ['3.1', '3.10', '3.2', '3.3', '3.4', '3.5', '3.6', '3.7', '3.8', '3.9', '4.1'];
    expect(await listFiles(path.join(out, 'api'))).toEqual([
      'catalogue.json',
      ...lessonIds.map((id) => `lessons/${id}.json`),
      'openapi.json',
      'schemas/catalogue.schema.json',
      'schemas/lesson.schema.json',
      'schemas/section.schema.json',
      'sections/3.json',
      'sections/4.json',
    ]);
  });

  it('publishes draft 2020-12 schemas with an $id where they are published', () => {
    for (const kind of ['catalogue', 'section', 'lesson']) {
      const schema = readJson<Record<string, unknown>>(out, `api/schemas/${kind}.schema.json`);
      expect(Object.keys(schema).slice(0, 2)).toEqual(['$schema', '$id']);
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.$id).toBe(`${kind}.schema.json`);
      expect(schema).toMatchObject({ type: 'object', additionalProperties: false, properties: { apiVersion: { const: '1.2' } } });
    }
  });

  it('every document validates against the schema it names', async () => {
    for (const [built, base] of [
      [out, site],
      [variantOut, 'https://courses.example.org/distributed/'],
    ] as const) {
      const ajv = await publishedValidator(built, base);
      const files = await documentFiles(built);
      expect(files).toHaveLength(14);
      for (const file of files) {
        const document = readJson<{ $schema: string; apiVersion: string }>(built, file);
        expect(document.apiVersion).toBe('1.2');
        expect([file, validate(ajv, document, file, base)]).toEqual([file, 'valid']);
      }
    }
  });

  it('the schemas reject documents that break them', async () => {
    const ajv = await publishedValidator(out);
    const catalogue = readJson<CatalogueDocument>(out, 'api/catalogue.json');
    const lesson = readJson<LessonDocument>(out, 'api/lessons/3.1.json');
    const broken: { $schema: string }[] = [
      { ...catalogue, apiVersion: '2' } as unknown as CatalogueDocument,
      { ...catalogue, generated: 'yesterday' },
      { ...catalogue, extra: true } as CatalogueDocument,
      { ...lesson, lesson: { ...lesson.lesson, id: '3' } },
      { ...lesson, lesson: { ...lesson.lesson, contentHash: 'md5:abc' } },
      { ...lesson, lesson: { ...lesson.lesson, html: undefined } } as unknown as LessonDocument,
      { ...lesson, lesson: { ...lesson.lesson, minutes: { declared: 1.5, computed: 1, label: '1 min' } } },
    ];
    for (const document of broken) expect(validate(ajv, document, 'lesson' in document ? 'api/lessons/3.1.json' : 'api/catalogue.json')).not.toBe('valid');
  });

  it('writes 2-space JSON with a trailing newline and keeps escapable characters as they are', () => {
    const text = readFileSync(path.join(out, 'api', 'catalogue.json'), 'utf8');
    expect(text.startsWith('{\n  "$schema": "schemas/catalogue.schema.json",\n  "apiVersion": "1.2",\n')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('"title": "Ünïcode & <Courses> — 日本語"');
    expect(text).toContain('"title": "More & <more>"');
    expect(text).toContain('"title": "Lektion 2: Café ☕"');
  });
});

describe('json writer: the catalogue', () => {
  it('describes the course and dates it with the build date only', () => {
    const catalogue = readJson<CatalogueDocument>(out, 'api/catalogue.json');
    expect(catalogue.generated).toBe('2001-09-09T01:46:40.000Z');
    expect(catalogue.course).toEqual({
      title: 'Ünïcode & <Courses> — 日本語',
      subtitle: null,
      authors: ['Ada Lovelace', 'Grace Hopper'],
      language: 'en',
      identifier: 'urn:uuid:3588d86f-ebc3-5c09-b7a8-c6b5002695d1',
      description: null,
      url: 'index.html',
      downloads: { pdf: null, epub: null },
      totals: { lessons: 11, minutes: 11, practiceMinutes: 0 },
    });
  });

  it('lists sections, their groups and lessons in order, with 3.10 after 3.9', () => {
    const { sections } = readJson<CatalogueDocument>(out, 'api/catalogue.json');
    expect(sections.map((section) => [section.number, section.title])).toEqual([
      [3, 'Grundlagen: Überblick'],
      [4, 'More & <more>'],
    ]);
    const [third, fourth] = sections;
    expect(third!.lessons.map((lesson) => lesson.id)).toEqual(['3.1', '3.2', '3.3', '3.4', '3.5', '3.6', '3.7', '3.8', '3.9', '3.10']);
    expect(third!.groups).toEqual([
      { title: 'Anfang', lessons: ['3.1', '3.2', '3.3', '3.4', '3.5'] },
      { title: 'Vertiefung', lessons: ['3.6', '3.7', '3.8', '3.9', '3.10'] },
    ]);
    expect(fourth!.groups).toEqual([{ title: null, lessons: ['4.1'] }]);
    expect(fourth!.lessons[0]!.group).toBeNull();
  });

  it('gives each section its totals, labels and URLs', () => {
    const { sections } = readJson<CatalogueDocument>(out, 'api/catalogue.json');
    expect(sections[0]).toMatchObject({
      slug: 'grundlagen',
      summary: 'What this section covers.',
      url: '03-grundlagen/index.html',
      apiUrl: 'api/sections/3.json',
      totals: { lessons: 10, minutes: 10, readingTime: '10 min', label: '10 lessons · 10 min reading' },
      downloads: { pdf: null, epub: null },
    });
    expect(sections[1]!.totals).toEqual({ lessons: 1, minutes: 1, readingTime: '1 min', practiceMinutes: 0, label: '1 lesson · 1 min reading' });
  });

  it('gives each lesson what the model knows, its URLs and the hash of its source', async () => {
    const { course } = await check(validContent);
    const { sections } = readJson<CatalogueDocument>(out, 'api/catalogue.json');
    const published = sections.flatMap((section) => section.lessons);
    const lessons = course.sections.flatMap((section) => section.lessons);
    expect(published).toHaveLength(lessons.length);
    for (const [index, lesson] of lessons.entries()) {
      const source = readFileSync(path.join(validContent, lesson.path), 'utf8').replace(/^\uFEFF/, '');
      expect(published[index]).toMatchObject({
        id: lesson.id,
        words: lesson.words,
        minutes: { declared: lesson.minutes, computed: lesson.computedMinutes },
        contentHash: `sha256:${createHash('sha256').update(source).digest('hex')}`,
      });
    }
    expect(published[0]).toEqual({
      id: '3.1',
      slug: 'erste-lektion',
      title: 'Lektion 1: Café ☕',
      summary: 'Summary of lesson 1.',
      group: 'Anfang',
      minutes: { declared: 1, computed: 1, label: '1 min' },
      words: 26,
      practice: { minutes: 0, label: '' },
      objectives: [],
      requires: [],
      exercises: [],
      quizzes: [],
      headings: [
        { depth: 2, text: 'Überblick', id: 'überblick' },
        { depth: 3, text: 'Details', id: 'details' },
      ],
      url: '03-grundlagen/01-erste-lektion.html',
      apiUrl: 'api/lessons/3.1.json',
      contentHash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
    expect(new Set(published.map((lesson) => lesson.contentHash)).size).toBe(published.length);
  });
});

describe('json writer: section and lesson documents', () => {
  it('a section document holds the same entry as the catalogue', () => {
    const catalogue = readJson<CatalogueDocument>(out, 'api/catalogue.json');
    expect(readJson<SectionDocument>(out, 'api/sections/3.json')).toEqual({
      $schema: '../schemas/section.schema.json',
      apiVersion: '1.2',
      section: catalogue.sections[0],
      schemaOrg: expect.objectContaining({ '@context': 'https://schema.org', '@type': 'Course', name: catalogue.sections[0]!.title }),
    });
  });

  it('a lesson document carries its body with links for the API, and its plain text', () => {
    const catalogue = readJson<CatalogueDocument>(out, 'api/catalogue.json');
    const { section, lesson } = readJson<LessonDocument>(out, 'api/lessons/3.10.json');
    expect(section).toEqual({ number: 3, title: 'Grundlagen: Überblick', url: '03-grundlagen/index.html', apiUrl: 'api/sections/3.json' });
    const { html, text, ...entry } = lesson;
    expect(entry).toEqual(catalogue.sections[0]!.lessons[9]);
    expect(html).toContain('<h2 id="überblick">Überblick</h2>');
    expect(html).toContain('<a href="03-grundlagen/10-zehnte.html#details">the next part</a>');
    expect(html).toContain('<a href="04-more/01-more.html#deeper">section 4</a>');
    expect(html).toContain('<a href="04-more/index.html">section page</a>');
    expect(html).not.toMatch(/lesson: |minutes: /);
    expect(text.split('\n').slice(0, 2)).toEqual(['Lesson 10 teaches something useful about café culture and naïve résumés.', 'Überblick']);
    expect(text).not.toMatch(/<|lesson: /);
    const first = readJson<LessonDocument>(out, 'api/lessons/3.1.json').lesson;
    expect(first.html).toContain('src="images/cafe.svg"');
  });
});

describe('json writer: variants', () => {
  it('makes every URL absolute under baseUrl, schema ids included', async () => {
    const base = 'https://courses.example.org/distributed/';
    const catalogue = readJson<CatalogueDocument>(variantOut, 'api/catalogue.json');
    expect(catalogue.$schema).toBe(`${base}api/schemas/catalogue.schema.json`);
    expect(catalogue.course.url).toBe(`${base}index.html`);
    expect(catalogue.sections[0]).toMatchObject({ url: `${base}03-grundlagen/index.html`, apiUrl: `${base}api/sections/3.json` });
    expect(catalogue.sections[0]!.lessons[0]).toMatchObject({ url: `${base}03-grundlagen/01-erste-lektion.html`, apiUrl: `${base}api/lessons/3.1.json` });
    const urls = JSON.stringify(catalogue).match(/"(url|apiUrl|\$schema)":"[^"]*"/g) ?? [];
    expect(urls.length).toBeGreaterThan(20);
    for (const url of urls) expect(url).toContain(`":"${base}`);
    expect(readJson<{ $id: string }>(variantOut, 'api/schemas/lesson.schema.json').$id).toBe(`${base}api/schemas/lesson.schema.json`);
    const { lesson } = readJson<LessonDocument>(variantOut, 'api/lessons/3.10.json');
    expect(lesson.html).toContain(`<a href="${base}03-grundlagen/10-zehnte.html#details">`);
    expect(lesson.html).toContain(`<a href="${base}04-more/01-more.html#deeper">`);
  });

  it('keeps an unquoted 3.10 as "3.10"', async () => {
    const catalogue = readJson<CatalogueDocument>(variantOut, 'api/catalogue.json');
    expect(catalogue.sections[0]!.lessons.map((lesson) => lesson.id).slice(-2)).toEqual(['3.9', '3.10']);
    expect(readJson<LessonDocument>(variantOut, 'api/lessons/3.10.json').lesson.id).toBe('3.10');
    expect((await listFiles(path.join(variantOut, 'api', 'lessons'))).filter((file) => file === '3.1.json')).toHaveLength(1);
  });

  it('round-trips quotes, ampersands, angle brackets and emoji in titles exactly', () => {
    const text = readFileSync(path.join(variantOut, 'api', 'lessons', '4.1.json'), 'utf8');
    expect(text).toContain(`"title": "Quotes \\"double\\" & 'single' <b>tags</b> 🧪👩‍🔬"`);
    expect(JSON.parse(text).lesson.title).toBe(variantTitle);
    expect(readJson<CatalogueDocument>(variantOut, 'api/catalogue.json').sections[1]!.lessons[0]!.title).toBe(variantTitle);
  });
});

describe('json writer: downloads and reproducibility', () => {
  it('links PDF and EPUB downloads only when those formats are built', async () => {
    const { course } = await check(validContent);
    const { dir, cleanup } = await scratchDir();
    cleanups.push(cleanup);
    const render = await createRenderer(course);
    const date = await buildDate(course);
    const browser = browserSession();
    cleanups.push(() => browser.close());
    const cache = new OutputCache(undefined);
    const publish = async (formats: string[]): Promise<string | undefined> => {
      const publication = plan(course, await Promise.all(selectWriters(formats).map(loadWriter)), writers);
      return jsonWriter.publish({
        course,
        outDir: dir,
        plan: publication,
        artifacts: publication.of('json'),
        buildDate: date,
        sourceDate: async () => date,
        render,
        browser,
        cache,
        keys: await buildKeys(course),
        log: () => {},
        progress: () => {},
      });
    };
    expect(await publish(['json', 'pdf', 'epub'])).toBe('14 documents, 3 schemas');
    const both = readJson<CatalogueDocument>(dir, 'api/catalogue.json');
    const slug = encodeURIComponent('ünïcode--courses--日本語');
    expect(both.course.downloads).toEqual({ pdf: `downloads/${slug}.pdf`, epub: `downloads/${slug}.epub` });
    expect(both.sections[0]!.downloads).toEqual({ pdf: 'downloads/03-grundlagen.pdf', epub: 'downloads/03-grundlagen.epub' });
    await publish(['json', 'epub']);
    const epubOnly = readJson<CatalogueDocument>(dir, 'api/catalogue.json');
    expect(epubOnly.sections[1]!.downloads).toEqual({ pdf: null, epub: 'downloads/04-more.epub' });
    expect(epubOnly.course.downloads.pdf).toBeNull();
    expect(browser.started).toBe(false);
  });

  it('gives byte-identical output for the same sources', async () => {
    const again = await buildJson(validContent);
    const files = await listFiles(out);
    expect(await listFiles(again)).toEqual(files);
    for (const file of files) expect([file, readFileSync(path.join(again, file)).equals(readFileSync(path.join(out, file)))]).toEqual([file, true]);
  });
});
