import { execFile, execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Element } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toString as hastToString } from 'hast-util-to-string';
import JSZip from 'jszip';
import { visit } from 'unist-util-visit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSession } from '../src/browser/chromium.js';
import { listFiles } from '../src/outputs/files.js';
import { build } from '../src/pipeline.js';
import { fixture, scratchDir } from './helpers.js';
import { epubcheck } from './epubcheck.js';

const _run = promisify(execFile);
const session = browserSession();
const content = fixture('authoring', 'content');
let out: string;
let cleanup: () => Promise<void>;
let files: string[];

beforeAll(async () => {
  ({ dir: out, cleanup } = await scratchDir());
  out = path.join(out, 'dist');
  const result = await build(content, { out, formats: ['html', 'json', 'epub', 'pdf'], cache: false, browser: session });
  if (!result.published) throw new Error(`build failed: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
  files = await listFiles(out);
}, 240_000);

afterAll(async () => {
  await session.close();
  await cleanup();
});

/** Every `<a>` of an HTML or XHTML document. */
function anchors(html: string): Element[] {
  const found: Element[] = [];
  visit(fromHtml(html), 'element', (node) => {
    if (node.tagName === 'a') found.push(node);
  });
  return found;
}

/** Each EPUB's XHTML documents and SVG images, by name. */
async function bookFiles(): Promise<Map<string, Map<string, string>>> {
  const books = new Map<string, Map<string, string>>();
  for (const file of files.filter((name) => name.endsWith('.epub'))) {
    const zip = await JSZip.loadAsync(await readFile(path.join(out, file)));
    const entries = Object.values(zip.files).filter((entry) => /\.(xhtml|svg)$/.test(entry.name));
    books.set(file, new Map(await Promise.all(entries.map(async (entry) => [entry.name, await entry.async('string')] as const))));
  }
  return books;
}

describe('a course with hostile SVGs, custom heading ids, link schemes and no section summary', () => {
  it('builds EPUBs that epubcheck passes with 0 errors and 0 warnings', async () => {
    const books = files.filter((name) => name.endsWith('.epub'));
    expect(books.length).toBe(2);
    for (const book of books) expect(await epubcheck(path.join(out, book))).toEqual([]);
  }, 120_000);

  it('publishes every SVG with valid ids that occur once, references rewritten, in the site and the EPUB', async () => {
    const svgs = new Map<string, string>();
    for (const file of files.filter((name) => name.endsWith('.svg'))) svgs.set(file, await readFile(path.join(out, file), 'utf8'));
    for (const [book, entries] of await bookFiles()) for (const [name, text] of entries) if (name.endsWith('.svg')) svgs.set(`${book}/${name}`, text);
    expect(svgs.size).toBeGreaterThanOrEqual(9);
    for (const [name, svg] of svgs) {
      const ids = [...svg.matchAll(/\sid="([^"]*)"/g)].map((match) => match[1]!);
      expect(
        ids.every((id) => /^[A-Za-z_][\w.-]*$/.test(id)),
        `${name}: ${ids.join(' ')}`,
      ).toBe(true);
      expect(new Set(ids).size, name).toBe(ids.length);
      const references = [...svg.matchAll(/url\(#([^)]*)\)|href="#([^"]*)"/g)].map((match) => match[1] ?? match[2]!);
      for (const reference of references) expect(ids, `${name} refers to #${reference}`).toContain(reference);
    }
    // Two drawings never share an id, so one document may hold both.
    const site = ['images/chart.svg', 'images/duplicate-ids.svg', 'images/url-ids.svg'].map((file) => svgs.get(file)!);
    const all = site.flatMap((svg) => [...svg.matchAll(/\sid="([^"]*)"/g)].map((match) => match[1]!));
    expect(new Set(all).size).toBe(all.length);
    expect(svgs.get('images/url-ids.svg')).toContain('clip-path="url(#');
  });

  it('leaves no <a> without an href, and shows unmapped schemes as text, in the site and the EPUB', async () => {
    const documents = new Map<string, string>();
    for (const file of files.filter((name) => name.endsWith('.html'))) documents.set(file, await readFile(path.join(out, file), 'utf8'));
    for (const [book, entries] of await bookFiles()) for (const [name, text] of entries) if (name.endsWith('.xhtml')) documents.set(`${book}/${name}`, text);
    for (const [name, html] of documents) {
      for (const a of anchors(html)) expect(typeof a.properties.href, `${name}: <a> "${hastToString(a)}"`).toBe('string');
    }
    const page = documents.get('01-basics/01-ids.html')!;
    const links = anchors(page).map((a) => [hastToString(a), a.properties.href]);
    expect(links).toContainEqual(['Object.assign', 'https://developer.mozilla.org/docs/Web/js/Object/assign']);
    expect(links).toContainEqual(['semicolons', '#semicolon']);
    expect(links).toContainEqual(['the SVG lesson', '02-svg.html#hostile-drawings']);
    expect(page).toContain('<span class="unlinked">info:closure</span>');
    expect(page).toContain('<span class="unlinked">raw link</span>');
    const chapter = [...documents].find(([name, html]) => name.includes('authoring-fixture.epub') && html.includes('Object.assign'))![1];
    expect(anchors(chapter).map((a) => a.properties.href)).toContain('https://developer.mozilla.org/docs/Web/js/Object/assign');
  });

  it('resolves root-relative images against the content root in the site', async () => {
    const page = await readFile(path.join(out, '01-basics', '01-ids.html'), 'utf8');
    const src = /<img src="([^"]+)" alt="A chart from the content root"/.exec(page)?.[1];
    expect(src).toBe('../images/chart.svg');
    expect(existsSync(path.join(out, '01-basics', src!))).toBe(true);
  });

  it('gives headings their {#id} and never shows the braces: site, on-page contents, EPUB, PDF, catalogue, search', async () => {
    const page = await readFile(path.join(out, '01-basics', '01-ids.html'), 'utf8');
    expect(page).toContain('<h2 id="semicolon">Semicolons</h2>');
    expect(page).toContain('<h2 id="use-let">Use <code>let</code></h2>');
    const texts: [string, string][] = [];
    for (const file of files.filter((name) => /\.(html|json|js)$/.test(name))) texts.push([file, await readFile(path.join(out, file), 'utf8')]);
    for (const [book, entries] of await bookFiles()) for (const [name, text] of entries) texts.push([`${book}/${name}`, text]);
    for (const file of files.filter((name) => name.endsWith('.pdf'))) texts.push([file, execFileSync('pdftotext', [path.join(out, file), '-'], { encoding: 'utf8' })]);
    expect(texts.some(([name]) => name.endsWith('.pdf'))).toBe(true);
    for (const [name, text] of texts) expect(text.includes('{#'), name).toBe(false);
    const lesson = JSON.parse(await readFile(path.join(out, 'api', 'lessons', '1.1.json'), 'utf8')) as { lesson: { headings: { id: string; text: string }[] } };
    expect(lesson.lesson.headings).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'semicolon', text: 'Semicolons' }), expect.objectContaining({ id: 'use-let', text: 'Use let' })]));
  });

  it('shows nothing in place of a missing section summary', async () => {
    const home = await readFile(path.join(out, 'index.html'), 'utf8');
    expect(home).not.toContain('card-summary');
    // Once on the page; the schema.org JSON-LD (not shown) names the section too.
    const shown = home.replace(/<script type="application\/ld\+json">[\s\S]*?<\/script>/g, '');
    expect(shown.match(/Basics Without Summary/g)?.length).toBe(1);
    const section = await readFile(path.join(out, '01-basics', 'index.html'), 'utf8');
    expect(section).not.toContain('section-summary');
  });
});

describe('SVG publishing is deterministic', () => {
  it('gives the same bytes for the same SVG', async () => {
    const { safeAssetBytes } = await import('../src/outputs/assets.js');
    const file = path.join(content, 'images', 'url-ids.svg');
    const { dir, cleanup: done } = await scratchDir();
    try {
      const copy = path.join(dir, 'copy.svg');
      await writeFile(copy, await readFile(file));
      expect(Buffer.from(await safeAssetBytes(copy)).equals(Buffer.from(await safeAssetBytes(file)))).toBe(true);
    } finally {
      await done();
    }
  });
});
