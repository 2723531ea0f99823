import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fromHtml } from 'hast-util-from-html';
import { toString as hastToString } from 'hast-util-to-string';
import JSZip from 'jszip';
import { PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSession } from '../src/browser/chromium.js';
import { listFiles } from '../src/outputs/files.js';
import { build } from '../src/pipeline.js';
import { fixture, scratchCopy, scratchDir } from './helpers.js';

// The strictest checkers of record, on every site and book the tests build: Ace by DAISY on the
// EPUBs (one book per course: about ten seconds to a minute each), the W3C Nu checker on every page.

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const vnuJar = path.join(root, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
const aceCli = path.join(root, 'node_modules', '@daisy', 'ace-cli', 'bin', 'ace.js');
const aceVersion = (JSON.parse(readFileSync(path.join(root, 'node_modules', '@daisy', 'ace-cli', 'package.json'), 'utf8')) as { version: string }).version;
/** Ace's findings by the EPUB's bytes: a book built again from the same sources is not checked again. */
const aceCache = path.join(root, 'node_modules', '.cache', 'coursebook-ace');
const session = browserSession();
const cleanups: (() => Promise<void>)[] = [];
let previousEpoch: string | undefined;

/** The courses checked, and the one book of each that Ace reads. */
const courses = [
  { name: 'content', dir: path.join(root, 'content'), aceBook: 'downloads/04-distributed-systems.epub' },
  { name: 'books', dir: fixture('books', 'content'), aceBook: 'downloads/bücher--books-quoted-single--本.epub' },
  { name: 'valid', dir: fixture('valid', 'content'), aceBook: 'downloads/ünïcode--courses--日本語.epub' },
  { name: 'constructs', dir: fixture('constructs', 'content'), aceBook: 'downloads/quorums-in-practice.epub' },
  { name: 'zh', dir: fixture('i18n', 'zh', 'content'), aceBook: 'downloads/javascript-核心概念.epub' },
  // Nu only: Ace takes about a minute a book, and these books' markup is covered by the ones above.
  { name: 'he', dir: fixture('i18n', 'he', 'content'), aceBook: undefined },
  { name: 'authoring', dir: fixture('authoring', 'content'), aceBook: undefined },
  { name: 'plugins', dir: fixture('plugins', 'content'), aceBook: undefined },
] as const;
const built = new Map<string, string>();

/** Builds a course into a fresh folder and returns that folder. */
async function buildCourse(contentDir: string, formats: string[]): Promise<string> {
  const { dir, cleanup } = await scratchDir();
  cleanups.push(cleanup);
  const out = path.join(dir, 'dist');
  const result = await build(contentDir, { out, formats, cache: false, browser: session });
  if (!result.published) throw new Error(`build of ${contentDir} failed: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
  return out;
}

/** Ace by DAISY's violations on one EPUB, as `rule file: html`, cached by the book's hash and Ace's version. */
async function aceViolations(epub: string): Promise<string[]> {
  const bytes = await readFile(epub);
  const cached = path.join(aceCache, `${aceVersion}-${createHash('sha256').update(bytes).digest('hex')}.json`);
  try {
    return JSON.parse(await readFile(cached, 'utf8')) as string[];
  } catch {
    // Not checked yet.
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'coursebook-ace-'));
  try {
    const book = path.join(dir, 'book.epub');
    await writeFile(book, bytes);
    await run(process.execPath, [aceCli, '--force', '--silent', '--outdir', path.join(dir, 'report'), book], {
      env: { ...process.env, PUPPETEER_EXECUTABLE_PATH: '/usr/bin/chromium' },
      maxBuffer: 64 * 1024 * 1024,
    }).catch(() => undefined);
    const report = JSON.parse(await readFile(path.join(dir, 'report', 'report.json'), 'utf8')) as {
      assertions: { 'earl:testSubject': { url: string }; assertions: { 'earl:test': { 'dct:title': string }; 'earl:result': { html?: string } }[] }[];
    };
    const violations = report.assertions.flatMap((subject) =>
      subject.assertions.map((finding) => `${finding['earl:test']['dct:title']} ${subject['earl:testSubject'].url}: ${finding['earl:result'].html ?? ''}`),
    );
    await mkdir(aceCache, { recursive: true });
    await writeFile(cached, JSON.stringify(violations));
    return violations;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The W3C Nu checker's errors on some HTML pages, as `file:line: message`. */
async function nuErrors(pages: string[]): Promise<string[]> {
  const { stderr } = await run('java', ['-Xss2m', '-jar', vnuJar, '--errors-only', '--format', 'json', ...pages], { maxBuffer: 64 * 1024 * 1024 }).catch((failure: { stderr: string }) => failure);
  const { messages } = JSON.parse(stderr) as { messages: { type: string; url: string; lastLine?: number; message: string }[] };
  return messages.map((message) => `${message.url.replace(/^.*\/dist\//, '')}:${message.lastLine ?? 0}: ${message.message}`);
}

/** The text of every `<meta property="…">` of a package document with that property. */
const meta = (opf: string, property: string): string[] => [...opf.matchAll(new RegExp(`<meta property="${property}"[^>]*>([^<]*)<`, 'g'))].map((match) => match[1]!);
const packageOf = async (epub: string): Promise<string> => (await JSZip.loadAsync(await readFile(epub))).file('OEBPS/content.opf')!.async('string');

beforeAll(async () => {
  previousEpoch = process.env.SOURCE_DATE_EPOCH;
  process.env.SOURCE_DATE_EPOCH = '1767225600';
  for (const course of courses) built.set(course.name, await buildCourse(course.dir, course.name === 'content' ? ['html', 'epub', 'pdf'] : ['html', 'epub']));
}, 600_000);

afterAll(async () => {
  if (previousEpoch === undefined) delete process.env.SOURCE_DATE_EPOCH;
  else process.env.SOURCE_DATE_EPOCH = previousEpoch;
  await session.close();
  await Promise.all(cleanups.map((cleanup) => cleanup()));
});

describe('the W3C Nu HTML checker', () => {
  it('finds no errors on any page of the sites', { timeout: 300_000 }, async () => {
    const pages = (
      await Promise.all(courses.map(async (course) => (await listFiles(built.get(course.name)!)).filter((file) => file.endsWith('.html')).map((file) => path.join(built.get(course.name)!, file))))
    ).flat();
    expect(pages.length).toBeGreaterThan(30);
    expect(await nuErrors(pages)).toEqual([]);
  });
});

describe('Ace by DAISY', () => {
  it.each(courses.flatMap((course) => (course.aceBook ? [[course.name, course.aceBook] as const] : [])))('finds no violations in a book of %s', { timeout: 300_000 }, async (name, book) => {
    expect(await aceViolations(path.join(built.get(name)!, book))).toEqual([]);
  });
});

describe('EPUB Accessibility 1.1 metadata', () => {
  it('claims conformance, alt text and text sufficiency for a book that meets them', async () => {
    const opf = await packageOf(path.join(built.get('content')!, 'downloads', '04-distributed-systems.epub'));
    expect(meta(opf, 'dcterms:conformsTo')).toEqual(['EPUB Accessibility 1.1 - WCAG 2.2 Level AA']);
    expect(meta(opf, 'a11y:certifiedBy')).toEqual(['Coursebook']);
    expect(meta(opf, 'schema:accessMode')).toEqual(['textual', 'visual']);
    expect(meta(opf, 'schema:accessModeSufficient')).toEqual(['textual', 'textual,visual']);
    expect(meta(opf, 'schema:accessibilityFeature')).toEqual(expect.arrayContaining(['alternativeText', 'displayTransformability', 'readingOrder', 'structuralNavigation', 'tableOfContents']));
    expect(meta(opf, 'schema:accessibilityFeature')).not.toContain('MathML');
    expect(meta(opf, 'schema:accessibilityHazard')).toEqual(['none']);
    expect(meta(opf, 'schema:accessibilitySummary')[0]).toContain('It meets EPUB Accessibility 1.1 - WCAG 2.2 Level AA.');
  });

  it('claims neither conformance nor alt text for a book with an image that has no alt text', { timeout: 300_000 }, async () => {
    const copy = await scratchCopy(fixture('books', 'content'));
    cleanups.push(copy.cleanup);
    appendFileSync(path.join(copy.dir, '02-weiter', '01-vertiefung.md'), '\n\n![](../images/client-server.png)\n');
    const out = await buildCourse(copy.dir, ['epub']);
    const without = await packageOf(path.join(out, 'downloads', '02-weiter.epub'));
    expect(meta(without, 'dcterms:conformsTo')).toEqual([]);
    expect(meta(without, 'a11y:certifiedBy')).toEqual([]);
    expect(meta(without, 'schema:accessibilityFeature')).not.toContain('alternativeText');
    expect(meta(without, 'schema:accessModeSufficient')).toEqual(['textual,visual']);
    // The summary is in the book's language (this course is German).
    expect(meta(without, 'schema:accessibilitySummary')[0]).toContain('Einige Bilder oder Diagramme haben keine Textalternative.');
    expect(meta(without, 'schema:accessibilitySummary')[0]).toContain('Es beansprucht keine Konformität mit EPUB Accessibility 1.1.');
    // The section book without that lesson still meets the claim.
    const other = await packageOf(path.join(out, 'downloads', '01-erste-schritte.epub'));
    expect(meta(other, 'dcterms:conformsTo')).toEqual(['EPUB Accessibility 1.1 - WCAG 2.2 Level AA']);
  });
});

/** Text as the tests compare it: no spaces, soft hyphens or line-break hyphens (PDF lines break words). */
const squeeze = (text: string): string => text.replace(/[\s\u00ad]+/g, '').replace(/[\u2010-]/g, '');

/** The text at a page-list target of an EPUB: its first 30 characters after the marker. */
async function textAtTarget(zip: JSZip, href: string): Promise<string> {
  const [file, id] = href.split('#') as [string, string];
  const xhtml = await zip.file(`OEBPS/${file}`)!.async('string');
  const after = xhtml.slice(xhtml.indexOf(`id="${id}"`)).replace(/^[^>]*>/, '');
  return squeeze(hastToString(fromHtml(after.slice(0, 4000), { fragment: true }))).slice(0, 30);
}

/** One page of a PDF as pdftotext reads it in content order. */
// The PDF's Solutions headings add "· quiz on page 14", which the EPUB (whose readers have no such page) leaves out.
const pdfPage = async (pdf: string, page: number): Promise<string> =>
  squeeze((await run('pdftotext', ['-raw', '-f', String(page), '-l', String(page), pdf, '-'])).stdout).replace(/·(?:exercise|quiz)onpage\d+/g, '');

describe('the page list', () => {
  const epub = (): string => path.join(built.get('content')!, 'downloads', '04-distributed-systems.epub');
  const pdf = (): string => path.join(built.get('content')!, 'downloads', '04-distributed-systems.pdf');

  it('lists every page of the PDF edition after its contents, with page-break markers and their source', async () => {
    const zip = await JSZip.loadAsync(await readFile(epub()));
    const nav = await zip.file('OEBPS/toc.xhtml')!.async('string');
    expect(nav).toMatch(/<nav epub:type="page-list" role="doc-pagelist" id="page-list"/);
    const labels = [...nav.matchAll(/<li><a href="[^"]+#coursebook-page-(\d+)">(\d+)<\/a><\/li>/g)].map((match) => Number(match[2]));
    const { stdout } = await run('pdfinfo', [pdf()]);
    const pages = Number(/Pages:\s+(\d+)/.exec(stdout)?.[1]);
    expect(labels.at(-1)).toBe(pages);
    expect(labels).toEqual(Array.from({ length: labels.length }, (_, index) => pages - labels.length + 1 + index));
    expect(await zip.file('OEBPS/lesson-4.1.xhtml')!.async('string')).toMatch(/<span epub:type="pagebreak" role="doc-pagebreak" id="coursebook-page-\d+" aria-label="\d+"\/>/);
    const opf = await packageOf(epub());
    expect(opf).toContain('<dc:source id="page-source">04-distributed-systems.pdf</dc:source>');
    expect(opf).toContain('<meta refines="#page-source" property="source-of">pagination</meta>');
    expect(meta(opf, 'schema:accessibilityFeature')).toEqual(expect.arrayContaining(['pageNavigation', 'pageBreakMarkers']));
  });

  it('points at the text that begins the same page in the PDF, for three random entries and nearly all', { timeout: 120_000 }, async () => {
    const zip = await JSZip.loadAsync(await readFile(epub()));
    const nav = await zip.file('OEBPS/toc.xhtml')!.async('string');
    const entries = [...nav.matchAll(/<li><a href="([^"]+)">(\d+)<\/a><\/li>/g)].map((match) => ({ href: match[1]!, page: Number(match[2]) }));
    const agrees = async (entry: { href: string; page: number }): Promise<boolean> => (await pdfPage(pdf(), entry.page)).includes(await textAtTarget(zip, entry.href));
    // Three entries drawn with a fixed seed, so a failure repeats; fast-check's generator is the random source.
    const picked = fc.sample(fc.constantFrom(...entries), { numRuns: 3, seed: 20261130 });
    for (const entry of picked) expect({ ...entry, agrees: await agrees(entry) }).toEqual({ ...entry, agrees: true });
    // A page on which no block begins (inside one long block) is marked where that block begins.
    const all = await Promise.all(entries.map(agrees));
    expect(all.filter(Boolean).length / all.length).toBeGreaterThan(0.95);
  });
});

describe('PDF metadata', () => {
  it('has an XMP stream agreeing with the Info dictionary, and shows the title', async () => {
    const file = path.join(built.get('content')!, 'downloads', '04-distributed-systems.pdf');
    const info = (await run('pdfinfo', [file])).stdout;
    expect(info).toMatch(/Metadata Stream: yes/);
    const xmp = (await run('pdfinfo', ['-meta', file])).stdout;
    const field = (name: string): string => /^(\S[^:]*):\s+(.*)$/m.exec(info.split('\n').find((line) => line.startsWith(`${name}:`)) ?? '')?.[2] ?? '';
    expect(xmp).toContain(`<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${field('Title')}</rdf:li></rdf:Alt></dc:title>`);
    expect(xmp).toContain(`<dc:creator><rdf:Seq><rdf:li>${field('Author')}</rdf:li></rdf:Seq></dc:creator>`);
    expect(xmp).toContain(`<pdf:Producer>${field('Producer')}</pdf:Producer>`);
    expect(xmp).toContain('<dc:language><rdf:Bag><rdf:li>en</rdf:li></rdf:Bag></dc:language>');
    expect(xmp).toContain('<xmp:CreateDate>2026-01-01T00:00:00Z</xmp:CreateDate>');
    expect(xmp).toContain('<xmp:ModifyDate>2026-01-01T00:00:00Z</xmp:ModifyDate>');
    expect(field('CreationDate')).toMatch(/Jan +1 00:00:00 2026 UTC/);
    const doc = await PDFDocument.load(await readFile(file), { updateMetadata: false });
    expect(String(doc.catalog.lookup(PDFName.of('ViewerPreferences'), PDFDict).get(PDFName.of('DisplayDocTitle')))).toBe('true');
  });
});
