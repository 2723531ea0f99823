import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Element } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toString as hastToString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles } from '../src/outputs/files.js';
import { build } from '../src/pipeline.js';
import { jsonLdText } from '../src/render/structured-data.js';
import { fixture, scratchDir } from './helpers.js';

const site = 'http://site.test/';
const folders: (() => Promise<void>)[] = [];
type Json = Record<string, any>;

async function buildSite(contentDir: string): Promise<string> {
  const { dir, cleanup } = await scratchDir();
  folders.push(cleanup);
  const out = path.join(dir, 'dist');
  const result = await build(contentDir, { out, formats: ['html', 'json'], cache: false });
  if (!result.published) throw new Error(`build failed: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
  return out;
}

/** Every JSON-LD block of a page, parsed. */
function jsonLdOf(html: string): Json[] {
  const blocks: Json[] = [];
  visit(fromHtml(html), 'element', (node: Element) => {
    if (node.tagName === 'script' && node.properties.type === 'application/ld+json') blocks.push(JSON.parse(hastToString(node)) as Json);
  });
  return blocks;
}

/** Resolves every URL-valued property (`@id`, `url`) against a base, so page and API data compare. */
function absolutise(value: unknown, base: string): unknown {
  if (Array.isArray(value)) return value.map((item) => absolutise(item, base));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, key === '@id' || key === 'url' ? new URL(item as string, base).href : absolutise(item, base)]));
  }
  return value;
}

const outs: Record<string, string> = {};

beforeAll(async () => {
  outs['content/'] = await buildSite(path.resolve(import.meta.dirname, '..', 'content'));
  outs['the constructs fixture'] = await buildSite(fixture('constructs', 'content'));
}, 240_000);

afterAll(async () => {
  for (const cleanup of folders) await cleanup();
});

describe('schema.org JSON-LD', () => {
  for (const name of ['content/', 'the constructs fixture']) {
    it(`is on every page with the required properties, and matches the catalogue (${name})`, async () => {
      const out = outs[name]!;
      const catalogue = JSON.parse(readFileSync(path.join(out, 'api', 'catalogue.json'), 'utf8')) as Json;
      const pages = (await listFiles(out)).filter((file) => file.endsWith('.html'));
      let lessons = 0;
      for (const page of pages) {
        const blocks = jsonLdOf(readFileSync(path.join(out, page), 'utf8'));
        expect(blocks, page).toHaveLength(1);
        const data = blocks[0]!;
        expect(data['@context']).toBe('https://schema.org');
        expect(data.inLanguage).toBe(catalogue.course.language);
        // Every page named resolves, from this page, to a published page.
        const base = new URL(page, site).href;
        for (const [, url] of JSON.stringify(data).matchAll(/"(?:@id|url)":"([^"]+)"/g)) {
          const target = new URL(url!, base).pathname.slice(1);
          expect(existsSync(path.join(out, target)), `${page}: ${url}`).toBe(true);
        }
        if (page === 'index.html') {
          expect(data['@type']).toBe('Course');
          expect(data.name).toBe(catalogue.course.title);
          expect(data.hasPart.map((part: Json) => part.name)).toEqual(catalogue.sections.map((section: Json) => section.title));
          expect(absolutise(data, base)).toEqual(absolutise(catalogue.schemaOrg, site));
        } else if (page.endsWith('/index.html')) {
          const section = catalogue.sections.find((candidate: Json) => candidate.url === page);
          expect(data['@type']).toBe('Course');
          expect(data.name).toBe(section.title);
          expect(data.position).toBe(section.number);
          expect(data.isPartOf).toMatchObject({ '@type': 'Course', name: catalogue.course.title });
          const document = JSON.parse(readFileSync(path.join(out, 'api', 'sections', `${section.number}.json`), 'utf8')) as Json;
          expect(absolutise(data, base)).toEqual(absolutise(document.schemaOrg, site));
        } else {
          lessons++;
          const section = catalogue.sections.find((candidate: Json) => candidate.lessons.some((lesson: Json) => lesson.url === page));
          const lesson = section.lessons.find((candidate: Json) => candidate.url === page);
          expect(data['@type']).toBe('LearningResource');
          expect(data.name).toBe(lesson.title);
          expect(data.timeRequired).toBe(`PT${lesson.minutes.declared}M`);
          expect(data.position).toBe(Number(lesson.id.split('.')[1]));
          expect(data.isPartOf).toMatchObject({ '@type': 'Course', name: section.title, position: section.number });
          if (lesson.objectives.length) expect(data.teaches).toEqual(lesson.objectives);
          else expect(data.teaches).toBeUndefined();
          const document = JSON.parse(readFileSync(path.join(out, 'api', 'lessons', `${lesson.id}.json`), 'utf8')) as Json;
          expect(absolutise(data, base)).toEqual(absolutise(document.schemaOrg, site));
        }
      }
      expect(lessons).toBe(catalogue.sections.reduce((sum: number, section: Json) => sum + section.lessons.length, 0));
      if (name === 'the constructs fixture') {
        const lesson = jsonLdOf(readFileSync(path.join(out, '01-quorums', '02-quorums.html'), 'utf8'))[0]!;
        expect(lesson.teaches).toEqual(['State the quorum condition for reading the latest write', 'Choose quorum sizes for a given failure budget']);
        expect(lesson.timeRequired).toBe('PT1M');
      }
    }, 60_000);
  }

  it('cannot close its script element, whatever a title says', () => {
    const text = jsonLdText({ name: '</script><script>alert(1)</script> <!-- x' });
    expect(text).not.toContain('<');
    expect(JSON.parse(text)).toEqual({ name: '</script><script>alert(1)</script> <!-- x' });
  });
});
