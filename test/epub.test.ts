import { execFile } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toString as hastToString } from 'hast-util-to-string';
import JSZip from 'jszip';
import pLimit from 'p-limit';
import { visit } from 'unist-util-visit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSession } from '../src/browser/chromium.js';
import { build } from '../src/pipeline.js';
import { listFiles } from '../src/outputs/files.js';
import { fixture, scratchCopy, scratchDir } from './helpers.js';
import { epubcheck } from './epubcheck.js';

const _run = promisify(execFile);
const epoch = '1767225600';
const modified = '2026-01-01T00:00:00Z';
const content = path.resolve(import.meta.dirname, '..', 'content');
const books = fixture('books', 'content');
const session = browserSession();
const folders: (() => Promise<void>)[] = [];
let previousEpoch: string | undefined;

/** Builds EPUBs only, into a fresh folder; `cache: false` makes every byte come from this build. */
async function buildBooks(contentDir: string, cache = true): Promise<Map<string, Buffer>> {
  const { dir, cleanup } = await scratchDir();
  folders.push(cleanup);
  const out = path.join(dir, 'dist');
  const result = await build(contentDir, { out, formats: ['epub'], cache, browser: session });
  if (!result.published) throw new Error(`build failed: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
  const files = (await listFiles(out)).filter((file) => file.endsWith('.epub'));
  return new Map(await Promise.all(files.map(async (file) => [file, await readFile(path.join(out, file))] as const)));
}

/** An opened EPUB: its files as text. */
async function open(bytes: Buffer | undefined): Promise<{ zip: JSZip; text: (name: string) => Promise<string> }> {
  if (!bytes) throw new Error('no such book');
  const zip = await JSZip.loadAsync(bytes);
  return {
    zip,
    text: async (name) => {
      const entry = zip.file(`OEBPS/${name}`);
      if (!entry) throw new Error(`no OEBPS/${name} in the book`);
      return entry.async('string');
    },
  };
}

const decode = (xml: string): string => hastToString(fromHtml(xml, { fragment: true }));
/** The decoded text of every `<tag …>text</tag>` in an XML document (OPF, NCX), in order. */
const texts = (xml: string, opening: RegExp): string[] => [...xml.matchAll(new RegExp(`${opening.source}([^<]*)<`, 'g'))].map((match) => decode(match[1]!));
const meta = (opf: string, property: string): string[] => texts(opf, new RegExp(`<meta property="${property}"[^>]*>`));

/** An entry of the navigation document, as a reader lists it. */
interface Entry {
  label: string;
  href?: string;
  children: Entry[];
}

/** The table of contents of a navigation document, as nested entries. */
function tableOfContents(xhtml: string): { title: string; entries: Entry[] } {
  const tree: Root = fromHtml(xhtml);
  let toc: Element | undefined;
  visit(tree, 'element', (node) => {
    if (node.tagName === 'nav' && node.properties['epub:type'] === 'toc') toc = node;
  });
  const elements = (node: Element, tag: string): Element[] => node.children.filter((child): child is Element => child.type === 'element' && child.tagName === tag);
  const list = (ol: Element): Entry[] =>
    elements(ol, 'li').map((li) => {
      const head = li.children.find((child): child is Element => child.type === 'element' && (child.tagName === 'a' || child.tagName === 'span'))!;
      const nested = elements(li, 'ol')[0];
      return { label: hastToString(head), ...(head.tagName === 'a' ? { href: String(head.properties.href) } : {}), children: nested ? list(nested) : [] };
    });
  return { title: hastToString(elements(toc!, 'h1')[0]!), entries: list(elements(toc!, 'ol')[0]!) };
}

/** Manifest hrefs in spine order. */
function readingOrder(opf: string): string[] {
  const hrefs = new Map([...opf.matchAll(/<item id="([^"]+)" href="([^"]+)"/g)].map((match) => [match[1]!, match[2]!]));
  return [...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((match) => hrefs.get(match[1]!)!);
}

let course: Map<string, Buffer>;
let fixtureBooks: Map<string, Buffer>;
let fixtureAgain: Map<string, Buffer>;
let webBooks: Map<string, Buffer>;
let hostileBooks: Map<string, Buffer>;
const courseBook = 'downloads/systems-engineering-in-practice.epub';
const fixtureCourseBook = 'downloads/bücher--books-quoted-single--本.epub';

beforeAll(async () => {
  previousEpoch = process.env.SOURCE_DATE_EPOCH;
  process.env.SOURCE_DATE_EPOCH = epoch;
  const web = await scratchCopy(books);
  folders.push(web.cleanup);
  appendFileSync(path.join(web.dir, 'course.yml'), 'baseUrl: https://example.com/kurs/\ncover: images/cover.png\n');
  [course, fixtureBooks, fixtureAgain, webBooks, hostileBooks] = await Promise.all([
    buildBooks(content),
    buildBooks(books, false),
    buildBooks(books, false),
    buildBooks(web.dir),
    buildBooks(fixture('markdown', 'content')),
  ]);
});

afterAll(async () => {
  if (previousEpoch === undefined) delete process.env.SOURCE_DATE_EPOCH;
  else process.env.SOURCE_DATE_EPOCH = previousEpoch;
  await session.close();
  await Promise.all(folders.map((cleanup) => cleanup()));
});

describe('EPUB books', () => {
  it('are written once per section and once for the course', () => {
    expect([...course.keys()]).toEqual(['downloads/04-distributed-systems.epub', courseBook]);
    expect([...fixtureBooks.keys()].sort()).toEqual(['downloads/01-erste-schritte.epub', 'downloads/02-weiter.epub', fixtureCourseBook].sort());
  });

  it('pass epubcheck with no errors and no warnings', { timeout: 240_000 }, async () => {
    const all = [...course, ...fixtureBooks, ...hostileBooks, ...[...webBooks].map(([file, bytes]) => [`web ${file}`, bytes] as const)];
    const limit = pLimit(Math.max(1, os.availableParallelism()));
    const findings = await Promise.all(all.map(([file, bytes]) => limit(async () => (await epubcheck(bytes)).map((finding) => `${file}: ${finding}`))));
    expect(findings.flat()).toEqual([]);
  });

  it('are byte-identical across builds of the same sources', async () => {
    const differing: string[] = [];
    for (const [file, bytes] of fixtureBooks) {
      if (fixtureAgain.get(file)?.equals(bytes)) continue;
      const [first, second] = await Promise.all([JSZip.loadAsync(bytes), JSZip.loadAsync(fixtureAgain.get(file)!)]);
      for (const entry of Object.values(first.files)) {
        const other = second.file(entry.name);
        if (!other || !(await entry.async('nodebuffer')).equals(await other.async('nodebuffer'))) differing.push(`${file}: ${entry.name}`);
      }
      if (!differing.some((line) => line.startsWith(file))) differing.push(`${file}: zip structure`);
    }
    expect(differing).toEqual([]);
    const { zip } = await open(fixtureBooks.get(fixtureCourseBook));
    const entries = Object.values(zip.files);
    expect(entries[0]?.name).toBe('mimetype');
    expect(entries.filter((entry) => entry.dir)).toEqual([]);
    expect([...new Set(entries.map((entry) => entry.date.getTime()))]).toEqual([Number(epoch) * 1000]);
    expect(entries.some((entry) => /images\/[0-9a-f]{8}-/.test(entry.name))).toBe(false);
  });
});

describe('reading order and navigation', () => {
  it('read cover, contents, then each section page and its lessons in order', async () => {
    const opf = await (await open(fixtureBooks.get(fixtureCourseBook))).text('content.opf');
    expect(readingOrder(opf)).toEqual(['cover.xhtml', 'toc.xhtml', 'section-1.xhtml', 'lesson-1.1.xhtml', 'lesson-1.2.xhtml', 'section-2.xhtml', 'lesson-2.1.xhtml']);
    const sectionOpf = await (await open(course.get('downloads/04-distributed-systems.epub'))).text('content.opf');
    // Section 4 has exercises and quizzes: their solutions close the book.
    expect(readingOrder(sectionOpf)).toEqual(['cover.xhtml', 'toc.xhtml', 'section-4.xhtml', ...Array.from({ length: 11 }, (_, i) => `lesson-4.${i + 1}.xhtml`), 'solutions.xhtml']);
  });

  it('nest course, sections, groups, numbered lessons and their h2 headings in the table of contents', async () => {
    const toc = tableOfContents(await (await open(fixtureBooks.get(fixtureCourseBook))).text('toc.xhtml'));
    const heading = (file: string, id: string, label: string): Entry => ({ label, href: `${file}#${id}`, children: [] });
    expect(toc).toEqual({
      title: 'Bücher & <Books> "Quoted" \'Single\' — 本',
      entries: [
        {
          label: 'Abschnitt 1 · Erste Schritte & <Grundlagen>',
          href: 'section-1.xhtml',
          children: [
            {
              label: 'Anfang & <Mitte>',
              children: [
                {
                  label: '1.1 Einleitung: Café & "Crème" <1>',
                  href: 'lesson-1.1.xhtml',
                  children: [
                    heading('lesson-1.1.xhtml', '%C3%BCberblick', 'Überblick'),
                    heading('lesson-1.1.xhtml', 'tabelle', 'Tabelle'),
                    heading('lesson-1.1.xhtml', 'code', 'Code'),
                    heading('lesson-1.1.xhtml', 'links', 'Links'),
                  ],
                },
              ],
            },
            { label: "Ende 'Schluss'", children: [{ label: "1.2 Aufgaben 'zwei'", href: 'lesson-1.2.xhtml', children: [heading('lesson-1.2.xhtml', 'aufgaben', 'Aufgaben')] }] },
          ],
        },
        {
          label: 'Abschnitt 2 · Weiter — 日本語',
          href: 'section-2.xhtml',
          children: [{ label: '2.1 Vertiefung', href: 'lesson-2.1.xhtml', children: [heading('lesson-2.1.xhtml', 'tiefer', 'Tiefer')] }],
        },
      ],
    });
    const real = tableOfContents(await (await open(course.get(courseBook))).text('toc.xhtml'));
    expect(real.entries[0]!.children.map((group) => group.label)).toEqual(['Core Concepts', 'Coordination & Infrastructure', 'Kubernetes & Orchestration']);
    const consensus = real.entries[0]!.children[1]!.children[0]!;
    expect(consensus.label).toBe('4.5 Distributed Consensus');
    expect(consensus.children).toContainEqual({ label: 'Raft', href: 'lesson-4.5.xhtml#raft', children: [] });
  });

  it('have landmarks and an NCX for older readers', async () => {
    const book = await open(course.get(courseBook));
    const nav = await book.text('toc.xhtml');
    expect(nav).toMatch(/<nav epub:type="landmarks"[^>]*>/);
    expect(nav).toContain('<a epub:type="cover" href="cover.xhtml">');
    expect(nav).toContain('<a epub:type="toc" href="toc.xhtml#toc">');
    expect(nav).toContain('<a epub:type="bodymatter" href="section-4.xhtml">');
    const opf = await book.text('content.opf');
    expect(opf).toContain('<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>');
    expect(opf).toContain('<spine toc="ncx">');
    const ncx = await book.text('toc.ncx');
    expect(ncx).toContain('<meta name="dtb:uid" content="urn:coursebook:systems-engineering-in-practice"/>');
    expect(texts(ncx, /<text>/)).toEqual(expect.arrayContaining(['Section 4 · Distributed Systems', 'Core Concepts', '4.5 Distributed Consensus', 'Raft']));
    expect(ncx).toMatch(/<navPoint id="nav-\d+" playOrder="\d+">\s*<navLabel><text>4\.5 Distributed Consensus<\/text><\/navLabel>\s*<content src="lesson-4\.5\.xhtml"\/>\s*<navPoint/);
  });

  it('open each section with its title, summary, totals and lessons by group', async () => {
    const page = decode(await (await open(course.get('downloads/04-distributed-systems.epub'))).text('section-4.xhtml')).replace(/\s+/g, ' ');
    expect(page).toContain('Section 4 Distributed Systems Sharding, replication, CAP, consensus, distributed coordination, and how Kubernetes orchestrates the lot. 11 lessons · ~1.7 h reading');
    expect(page).toMatch(/Core Concepts 4\.1 Distributed Systems Overview 7 min → .*Coordination & Infrastructure 4\.5 Distributed Consensus 9 min →/);
  });
});

describe('package metadata', () => {
  it('names the course: identifier, titles, authors, language, description, modification date', async () => {
    const opf = await (await open(course.get(courseBook))).text('content.opf');
    expect(texts(opf, /<dc:identifier id="pub-id">/)).toEqual(['urn:coursebook:systems-engineering-in-practice']);
    expect(texts(opf, /<dc:title id="[a-z]+">/)).toEqual(['Systems Engineering in Practice', 'How modern software systems are built, scaled and run']);
    expect(texts(opf, /<dc:creator id="creator-1">/)).toEqual(['Coursebook Authors']);
    expect(texts(opf, /<dc:language>/)).toEqual(['en']);
    expect(opf).toContain('xml:lang="en"');
    expect(texts(opf, /<dc:description>/)[0]).toMatch(/^A working engineer's course on how real systems are built and run\./);
    expect(meta(opf, 'dcterms:modified')).toEqual([modified]);
  });

  it('declares accessibility and the cover image', async () => {
    const opf = await (await open(course.get(courseBook))).text('content.opf');
    expect(meta(opf, 'schema:accessMode')).toEqual(['textual', 'visual']);
    expect(meta(opf, 'schema:accessModeSufficient')).toEqual(['textual', 'textual,visual']);
    expect(meta(opf, 'schema:accessibilityFeature')).toEqual(expect.arrayContaining(['structuralNavigation', 'tableOfContents', 'readingOrder', 'alternativeText']));
    expect(meta(opf, 'schema:accessibilityHazard')).toEqual(['none']);
    expect(meta(opf, 'schema:accessibilitySummary')[0]).toMatch(/table of contents/);
    expect(opf).toContain('<item id="cover-image" href="cover.png" media-type="image/png" properties="cover-image"/>');
  });

  it('gives each section book a stable identifier of its own and places it in the course', async () => {
    const one = await (await open(fixtureBooks.get('downloads/01-erste-schritte.epub'))).text('content.opf');
    const two = await (await open(fixtureBooks.get('downloads/02-weiter.epub'))).text('content.opf');
    const [first] = texts(one, /<dc:identifier id="pub-id">/);
    const [second] = texts(two, /<dc:identifier id="pub-id">/);
    expect(first).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second).not.toBe(first);
    const web = await (await open(webBooks.get('downloads/01-erste-schritte.epub'))).text('content.opf');
    expect(texts(web, /<dc:identifier id="pub-id">/)).toEqual([first]);
    expect(texts(one, /<dc:title id="title">/)).toEqual(['Abschnitt 1 · Erste Schritte & <Grundlagen>']);
    expect(texts(one, /<meta property="belongs-to-collection" id="collection">/)).toEqual(['Bücher & <Books> "Quoted" \'Single\' — 本']);
    expect(meta(one, 'dcterms:modified')).toEqual([modified]);
  });

  it('escapes markup characters and keeps unicode in every document', async () => {
    const book = await open(fixtureBooks.get(fixtureCourseBook));
    const opf = await book.text('content.opf');
    const title = 'Bücher & <Books> "Quoted" \'Single\' — 本';
    expect(texts(opf, /<dc:title id="title">/)).toEqual([title]);
    expect(texts(opf, /<dc:identifier id="pub-id">/)).toEqual(['tag:example.com,2026:books&more']);
    expect(texts(opf, /<dc:creator id="creator-\d">/)).toEqual(["Zoë O'Brien", 'Ana & Bo <Team>']);
    expect(texts(opf, /<dc:description>/)).toEqual(['Tests escaping: & < > " \' and ünïcode — 日本語.']);
    expect(opf).toContain('xml:lang="de"');
    expect(texts(await book.text('toc.ncx'), /<docTitle><text>/)).toEqual([title]);
    const lesson = await book.text('lesson-1.1.xhtml');
    expect(lesson).toContain('xml:lang="de" lang="de"');
    expect(decode(lesson)).toContain('Einleitung: Café & "Crème" <1>');
    expect(decode(lesson)).toContain('Anfang & <Mitte>');
  });
});

describe('links', () => {
  it('resolve between lessons and to headings inside the book', async () => {
    const book = await open(fixtureBooks.get(fixtureCourseBook));
    const lesson = await book.text('lesson-1.1.xhtml');
    expect(lesson).toContain('<a href="lesson-1.2.xhtml#aufgaben">the tasks</a>');
    expect(lesson).toContain('<a href="lesson-2.1.xhtml#tiefer">the next section&apos;s lesson</a>');
    expect(lesson).toContain('<a href="section-2.xhtml">section two</a>');
    expect(lesson).toContain('<a href="#%C3%BCberblick">link back</a>');
    expect(await book.text('lesson-2.1.xhtml')).toContain('<a href="lesson-1.1.xhtml#tabelle">');
    expect(await book.text('section-1.xhtml')).toContain('<a href="section-2.xhtml">the next section</a>');
  });

  it('never dangle: a link to a missing anchor becomes text, a remote image its alt text', async () => {
    const lesson = await (await open(fixtureBooks.get(fixtureCourseBook))).text('lesson-2.1.xhtml');
    expect(lesson).toContain('<span class="unlinked">A raw link to nowhere</span>');
    expect(lesson).toContain('<span class="image-alt">A remote picture</span>');
    expect(lesson).not.toContain('example.com/picture.png');
  });

  it('become plain text when they leave a section book and there is no baseUrl', async () => {
    const lesson = await (await open(fixtureBooks.get('downloads/01-erste-schritte.epub'))).text('lesson-1.1.xhtml');
    expect(lesson).toContain('<span class="unlinked">the next section&apos;s lesson</span>');
    expect(lesson).toContain('<span class="unlinked">section two</span>');
    expect(lesson).toContain('<a href="lesson-1.2.xhtml#aufgaben">the tasks</a>');
    expect(lesson).not.toMatch(/href="[^"#]*\.(md|html)/);
    const back = await (await open(fixtureBooks.get('downloads/02-weiter.epub'))).text('lesson-2.1.xhtml');
    expect(back).toContain('<span class="unlinked">the introduction&apos;s table</span>');
  });

  it('go to the lesson’s web page when they leave a section book and baseUrl is set', async () => {
    const lesson = await (await open(webBooks.get('downloads/01-erste-schritte.epub'))).text('lesson-1.1.xhtml');
    expect(lesson).toContain('<a href="https://example.com/kurs/02-weiter/01-vertiefung.html#tiefer">the next section&apos;s lesson</a>');
    expect(lesson).toContain('<a href="https://example.com/kurs/02-weiter/index.html">section two</a>');
    expect(lesson).toContain('<a href="lesson-1.2.xhtml#aufgaben">the tasks</a>');
  });
});

describe('content', () => {
  it('embeds images under stable names with their alt text', async () => {
    const book = await open(fixtureBooks.get(fixtureCourseBook));
    const lesson = await book.text('lesson-1.1.xhtml');
    expect(lesson).toContain('<img src="images/01-client-server.png" alt="A client talks to a server"/>');
    expect(lesson).toContain('<img src="images/02-stack.svg" alt="Three stacked layers"/>');
    const opf = await book.text('content.opf');
    expect(opf).toContain('<item id="image-1" href="images/01-client-server.png" media-type="image/png"/>');
    expect(opf).toContain('<item id="image-2" href="images/02-stack.svg" media-type="image/svg+xml"/>');
    expect(await book.zip.file('OEBPS/images/01-client-server.png')!.async('nodebuffer')).toEqual(readFileSync(path.join(books, 'images', 'client-server.png')));
  });

  it('keeps table alignment, footnotes, raw HTML and highlighted code', async () => {
    const book = await open(fixtureBooks.get(fixtureCourseBook));
    const lesson = await book.text('lesson-1.1.xhtml');
    expect(lesson).toContain('<th class="align-right">Right</th>');
    expect(lesson).toContain('<td class="align-center"><code>&lt;c&gt;</code></td>');
    expect(await book.text('style.css')).toMatch(/\.align-right \{ text-align: right; \}/);
    expect(lesson).toMatch(/<a href="#user-content-fn-note" id="user-content-fnref-note"[^>]*epub:type="noteref" role="doc-noteref">1<\/a>/);
    expect(lesson).toMatch(/<li id="user-content-fn-note" epub:type="endnote">/);
    expect(lesson).toContain('<kbd>Ctrl</kbd>');
    expect(lesson).toMatch(/<span style="color:#D73A49;--shiki-dark:#F97583">const<\/span>/);
    const tasks = await book.text('lesson-1.2.xhtml');
    expect(tasks).toContain('<span class="task-box" role="img" aria-label="done">&#x2611;</span>');
    expect(tasks).toContain('<span class="task-box" role="img" aria-label="not done">&#x2610;</span>');
  });

  it('carries no scripts from hostile raw HTML, and leaves out an SVG image that has some', async () => {
    const book = await open(hostileBooks.get('downloads/01-features.epub'));
    const lesson = await book.text('lesson-1.2.xhtml');
    expect(lesson).not.toMatch(/<script|javascript:|\son[a-z]+=/i);
    expect(lesson).toContain('<span class="image-alt">A blue rectangle drawn by a hostile SVG</span>');
    expect(Object.keys(book.zip.files).filter((name) => name.endsWith('.svg'))).toEqual([]);
  });

  it('keeps diagrams as inline SVG, declared in the manifest, light variant only', async () => {
    const book = await open(course.get(courseBook));
    const lesson = await book.text('lesson-4.5.xhtml');
    expect(lesson).toMatch(/<figure class="diagram"><svg (?=[^>]*viewBox="[-\d. ]+")(?=[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg")/);
    expect(lesson).not.toContain('diagram-dark');
    expect(await book.text('content.opf')).toContain('<item id="lesson-4-5" href="lesson-4.5.xhtml" media-type="application/xhtml+xml" properties="svg"/>');
  });
});

describe('covers', () => {
  it('are generated at 1600×2400 with a cover page', async () => {
    const book = await open(course.get(courseBook));
    const png = await book.zip.file('OEBPS/cover.png')!.async('nodebuffer');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1600, 2400]);
    expect(await book.text('cover.xhtml')).toContain(
      '<img class="cover-image" epub:type="cover" role="doc-cover" src="cover.png" alt="Cover: Systems Engineering in Practice, How modern software systems are built, scaled and run, by Coursebook Authors"/>',
    );
  });

  it('come from course.yml when it names one', async () => {
    const book = await open(webBooks.get('downloads/02-weiter.epub'));
    expect(await book.zip.file('OEBPS/cover.png')!.async('nodebuffer')).toEqual(readFileSync(path.join(books, 'images', 'cover.png')));
  });
});
