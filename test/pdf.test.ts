import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, type PDFRef, PDFString } from 'pdf-lib';
import { SKIP, visit } from 'unist-util-visit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHtml } from 'hast-util-from-html';
import type { Course } from '../src/model/course.js';
import { codeBackground } from '../src/outputs/pdf/body.js';
import { addPrintFilters, layOutPart } from '../src/outputs/pdf/book-html.js';
import { booksOf } from '../src/outputs/books.js';
import { contrastRatio, readableOn } from '../src/render/contrast.js';
import { cssString } from '../src/outputs/pdf/page-styles.js';
import { build, check } from '../src/pipeline.js';
import { createRenderer } from '../src/render/renderer.js';
import { createTemplateEnvironment } from '../src/render/templates.js';
import { fixture, scratchCopy, scratchDir } from './helpers.js';

const content = path.resolve(import.meta.dirname, '..', 'content');
const epoch = '1767225600'; // 2026-01-01T00:00:00Z
const sectionPdf = 'downloads/04-distributed-systems.pdf';
const coursePdf = 'downloads/systems-engineering-in-practice.pdf';
const cleanups: (() => Promise<void>)[] = [];

/** Builds PDFs of a course into `out` with a fixed SOURCE_DATE_EPOCH; returns the checked course. */
async function buildPdf(contentDir: string, out: string): Promise<Course> {
  const previous = process.env.SOURCE_DATE_EPOCH;
  process.env.SOURCE_DATE_EPOCH = epoch;
  try {
    const result = await build(contentDir, { out, formats: ['pdf'] });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.published).toBe(true);
    return result.course;
  } finally {
    if (previous === undefined) delete process.env.SOURCE_DATE_EPOCH;
    else process.env.SOURCE_DATE_EPOCH = previous;
  }
}

const tool = (command: string, args: string[]): string => execFileSync(command, args, { encoding: 'utf8' });
const info = (file: string): Record<string, string> =>
  Object.fromEntries(
    tool('pdfinfo', ['-isodates', file])
      .split('\n')
      .map((line) => /^([^:]+):\s*(.*)$/.exec(line))
      .filter((match) => match !== null)
      .map((match) => [match[1]!, match[2]!]),
  );
/** The text of each page, as pdftotext lays it out; index 0 is page 1. */
const pageTexts = (file: string): string[] => tool('pdftotext', ['-layout', file, '-']).split('\f').slice(0, -1);
const squash = (text: string): string => text.replace(/\s+/g, ' ').trim();
/** The running head of a page: its first line of text, spaces squashed. */
const headOf = (page: string): string => squash(page.split('\n').find((line) => line.trim()) ?? '');

/** Reads a PDF's named destinations (anchor → page), bookmarks and links with pdf-lib. */
async function readPdf(file: string): Promise<{
  doc: PDFDocument;
  destinations: Map<string, number>;
  outline: Bookmark[];
  links: { page: number; anchor?: string; uri?: string }[];
}> {
  const doc = await PDFDocument.load(readFileSync(file), { updateMetadata: false });
  const pageOf = new Map(doc.getPages().map((page, index) => [page.ref.toString(), index + 1]));
  const pageOfDest = (dest: unknown): number => {
    const array = doc.context.lookup(dest as PDFRef, PDFArray);
    return pageOf.get(String(array.get(0)))!;
  };
  const destinations = new Map<string, number>();
  for (const [name, dest] of doc.catalog.lookup(PDFName.of('Dests'), PDFDict).entries()) destinations.set(decodeURIComponent(name.decodeText()), pageOfDest(dest));
  const walk = (first: unknown): Bookmark[] => {
    const items: Bookmark[] = [];
    for (let ref = first; ref; ) {
      const item = doc.context.lookup(ref as PDFRef, PDFDict);
      items.push({ title: item.lookup(PDFName.of('Title'), PDFHexString, PDFString).decodeText(), page: pageOfDest(item.get(PDFName.of('Dest'))), children: walk(item.get(PDFName.of('First'))) });
      ref = item.get(PDFName.of('Next'));
    }
    return items;
  };
  const outline = walk(doc.catalog.lookup(PDFName.of('Outlines'), PDFDict).get(PDFName.of('First')));
  const links: { page: number; anchor?: string; uri?: string }[] = [];
  doc.getPages().forEach((page, index) => {
    const annotations = page.node.Annots();
    for (let i = 0; i < (annotations?.size() ?? 0); i++) {
      const annotation = annotations!.lookup(i, PDFDict);
      const dest = annotation.get(PDFName.of('Dest'));
      const uri = annotation.lookupMaybe(PDFName.of('A'), PDFDict)?.lookupMaybe(PDFName.of('URI'), PDFString, PDFHexString)?.decodeText();
      links.push({ page: index + 1, ...(dest instanceof PDFName ? { anchor: decodeURIComponent(dest.decodeText()) } : {}), ...(uri ? { uri } : {}) });
    }
  });
  return { doc, destinations, outline, links };
}

interface Bookmark {
  title: string;
  page: number;
  children: Bookmark[];
}

/** The entries of a printed table of contents, as pdftotext shows them. */
function contentsEntries(pages: string[]): { kind: 'section' | 'lesson' | 'heading' | 'appendix'; label: string; title: string; page: number; lesson?: string }[] {
  const entries: ReturnType<typeof contentsEntries> = [];
  let lesson = '';
  for (const text of pages) {
    for (const line of text.split('\n')) {
      const section = /^Section (\d+)\s+(.+?)\s{2,}(\d+)$/.exec(line);
      const lessonLine = /^(\d+\.\d+)\s+(.+?)\s{2,}(\d+)$/.exec(line);
      const heading = /^\s+(\S.*?)\s{2,}(\d+)$/.exec(line);
      const appendix = /^\s*(Solutions)\s{2,}(\d+)$/.exec(line);
      if (appendix) {
        lesson = '';
        entries.push({ kind: 'appendix', label: '', title: appendix[1]!, page: Number(appendix[2]) });
      } else if (section) entries.push({ kind: 'section', label: section[1]!, title: section[2]!, page: Number(section[3]) });
      else if (lessonLine) {
        lesson = `${lessonLine[1]} ${lessonLine[2]}`;
        entries.push({ kind: 'lesson', label: lessonLine[1]!, title: lessonLine[2]!, page: Number(lessonLine[3]) });
      } else if (heading && lesson) entries.push({ kind: 'heading', label: '', title: heading[1]!, page: Number(heading[2]), lesson });
    }
  }
  return entries;
}

let out: string;
let course: Course;
let texts: string[];

beforeAll(async () => {
  const { dir, cleanup } = await scratchDir();
  cleanups.push(cleanup);
  out = path.join(dir, 'first');
  course = await buildPdf(content, out);
  texts = pageTexts(path.join(out, sectionPdf));
});

afterAll(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
});

describe('the section PDF of the real course', () => {
  it('is an A4 book with its metadata, tagged and dated by SOURCE_DATE_EPOCH', async () => {
    const meta = info(path.join(out, sectionPdf));
    expect(Number(meta.Pages)).toBeGreaterThan(40);
    expect(Number(meta.Pages)).toBeLessThan(300);
    expect(meta['Page size']).toContain('(A4)');
    expect(meta.Title).toBe('Section 4 · Distributed Systems · Systems Engineering in Practice');
    expect(meta.Author).toBe('Coursebook Authors');
    expect(meta.Subject).toContain('Sharding, replication, CAP, consensus');
    expect(meta.Keywords).toContain('Distributed Systems; Core Concepts');
    expect(meta.Tagged).toBe('yes');
    expect(meta.CreationDate).toBe('2026-01-01T00:00:00Z');
    expect(meta.ModDate).toBe('2026-01-01T00:00:00Z');
    const { doc } = await readPdf(path.join(out, sectionPdf));
    expect(doc.catalog.lookup(PDFName.of('Lang'), PDFString, PDFHexString).decodeText()).toBe('en');
    expect(doc.catalog.get(PDFName.of('StructTreeRoot'))).toBeDefined();
  });

  it('passes qpdf --check and embeds every font', () => {
    const checked = spawnSync('qpdf', ['--check', path.join(out, sectionPdf)], { encoding: 'utf8' });
    expect(checked.status).toBe(0);
    expect(checked.stdout).toContain('No syntax or stream encoding errors');
    const fonts = tool('pdffonts', [path.join(out, sectionPdf)])
      .split('\n')
      .slice(2)
      .filter(Boolean);
    expect(fonts.length).toBeGreaterThan(2);
    for (const font of fonts) expect(font.split(/\s+/).at(-5), font).toBe('yes');
  });

  it('has searchable text', () => {
    const all = squash(texts.join(' '));
    expect(all).toContain('Almost nobody sets out to build a distributed system.');
    expect(all).toContain('Whenever a cluster needs one answer');
  });

  it('opens with a cover without running heads or page number, then the contents', () => {
    expect(texts[0]).toContain('Distributed Systems');
    expect(texts[0]).toContain('SYSTEMS ENGINEERING IN PRACTICE');
    expect(texts[0]).toContain('Coursebook Authors');
    expect(texts[0]).not.toMatch(/^\s*\d+\s*$/m);
    expect(texts[1]).toContain('Contents');
    expect(texts[1]).toMatch(/^\s*2\s*$/m);
  });

  it('prints a table of contents whose every page number is the page the entry is on', () => {
    const section = course.sections[0]!;
    const entries = contentsEntries(texts.slice(1, 5));
    // The section, its lessons and their h2 headings, then the Solutions appendix (Section 4 has exercises).
    const expected = 1 + section.lessons.length + section.lessons.reduce((sum, lesson) => sum + lesson.headings.filter((h) => h.depth === 2).length, 0) + 1;
    expect(entries).toHaveLength(expected);
    expect(entries.at(-1)).toMatchObject({ kind: 'appendix', title: 'Solutions' });
    for (const entry of entries) {
      const page = texts[entry.page - 1]!;
      if (entry.kind === 'appendix') {
        expect(squash(page)).toContain('Solutions');
      } else if (entry.kind === 'section') {
        expect(squash(page)).toContain(`SECTION ${entry.label} ${entry.title}`);
      } else if (entry.kind === 'lesson') {
        expect(page, `${entry.label} ${entry.title} on page ${entry.page}`).toMatch(new RegExp(`^\\s*${entry.label.replace('.', '\\.')} · `, 'm'));
        expect(headOf(page)).toContain(`${entry.label} ${entry.title}`);
        expect(headOf(texts[entry.page - 2]!), 'the lesson starts on that page').not.toContain(`${entry.label} ${entry.title}`);
      } else {
        expect(headOf(page), `${entry.title} on page ${entry.page}`).toContain(entry.lesson);
        expect(squash(page), `${entry.title} on page ${entry.page}`).toContain(entry.title);
      }
    }
  });

  it('starts every lesson on a new page, with the section and lesson in the running heads', () => {
    const entries = contentsEntries(texts.slice(1, 5)).filter((entry) => entry.kind === 'lesson');
    for (const entry of entries) {
      expect(headOf(texts[entry.page - 1]!)).toBe(`SECTION 4 · DISTRIBUTED SYSTEMS ${entry.label} ${entry.title}`);
      expect(
        texts[entry.page - 1]!.split('\n')
          .filter((line) => line.trim())[1]
          ?.trim(),
        'the lesson opening',
      ).toMatch(new RegExp(`^${entry.label.replace('.', '\\.')} · `));
    }
  });

  it('leaves no heading alone at the bottom of a page', () => {
    const headings = new Set(course.sections[0]!.lessons.flatMap((lesson) => lesson.headings.map((heading) => heading.text)));
    texts.forEach((page, index) => {
      const lines = page
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
      // The last line is the page number; the one above it is the last line of the page's text.
      expect(headings.has(lines.at(-2) ?? ''), `"${lines.at(-2)}" at the bottom of page ${index + 1}`).toBe(false);
    });
  });

  it('prints every line of every code block: long lines wrap, nothing is cut off', () => {
    // -raw keeps the order the text was drawn in (the default reflows aligned columns of code). The
    // running head and page number, drawn first or last on a page, go, so lines broken across pages join.
    const printed = tool('pdftotext', ['-raw', path.join(out, sectionPdf), '-'])
      .split('\f')
      .map((page, index) => {
        const lines = page.trimEnd().split('\n');
        const margin = (line: string, at: number): boolean => (at < 2 || at >= lines.length - 2) && (/^SECTION \d+ · /.test(line) || line === String(index + 1));
        return lines.filter((line, at) => !margin(line, at)).join('\n');
      })
      .join('')
      .replace(/\s+/g, '');
    let lines = 0;
    for (const lesson of course.sections[0]!.lessons) {
      visit(lesson.tree, 'code', (node) => {
        if (node.lang === 'mermaid') return;
        for (const line of node.value.split('\n')) {
          const compact = line.replace(/\s+/g, '');
          if (!compact) continue;
          lines++;
          expect(printed.includes(compact), `${lesson.id}: ${line}`).toBe(true);
        }
      });
    }
    expect(lines).toBeGreaterThan(50);
  });

  it('nests its bookmarks section → lesson → h2, each pointing at the page the contents names', async () => {
    const { outline } = await readPdf(path.join(out, sectionPdf));
    const section = course.sections[0]!;
    const entries = contentsEntries(texts.slice(1, 5));
    // The Solutions appendix follows the section, at the top level.
    expect(outline.map((item) => item.title)).toEqual(['Section 4 · Distributed Systems', 'Solutions']);
    expect(outline[0]!.children.map((item) => item.title)).toEqual(section.lessons.map((lesson) => `${lesson.id} ${lesson.title}`));
    for (const [index, lesson] of section.lessons.entries()) {
      expect(outline[0]!.children[index]!.children.map((item) => item.title)).toEqual(lesson.headings.filter((h) => h.depth === 2).map((h) => h.text));
    }
    const bookmarkPages = [outline[0]!, ...outline[0]!.children.flatMap((lesson) => [lesson, ...lesson.children]), outline[1]!].map((item) => item.page);
    expect(bookmarkPages).toEqual(entries.map((entry) => entry.page));
  });

  it('links lessons inside the book to the page of their target, and keeps external links external', async () => {
    const { destinations, links } = await readPdf(path.join(out, sectionPdf));
    const raft = contentsEntries(texts.slice(1, 5)).find((entry) => entry.title === 'Raft')!;
    expect(destinations.get('lesson-4-5--raft')).toBe(raft.page);
    const fromLocking = links.filter((link) => link.anchor === 'lesson-4-5--raft' && link.page > 4);
    expect(fromLocking.length).toBeGreaterThan(0);
    for (const link of links) {
      if (link.anchor !== undefined) expect(destinations.has(link.anchor), `link to #${link.anchor} on page ${link.page}`).toBe(true);
      else expect(link.uri).toMatch(/^https?:\/\//);
    }
    expect(links.filter((link) => link.uri).length).toBeGreaterThan(0);
  });
});

describe('the print HTML of a part of a book', () => {
  it('gives every id once, resolves every in-document link, drops dark diagrams and darkens code colours', async () => {
    // Beside the first build's output, so the diagrams come from its cache.
    const checked = await check(content, { out: path.join(path.dirname(out), 'layout') });
    const render = await createRenderer(checked.course, checked.diagrams.results);
    const env = addPrintFilters(createTemplateEnvironment(checked.course));
    const book = booksOf(checked.course, 'pdf')[0]!;
    const { html } = layOutPart(env, checked.course, render, book, book.sections[0]!, 5);
    const tree = fromHtml(html);
    const ids: string[] = [];
    const diagramIds: string[] = [];
    const hrefs: string[] = [];
    let diagrams = 0;
    visit(tree, 'element', (node) => {
      const classes = (node.properties.className as string[] | undefined) ?? [];
      if (node.tagName === 'svg') {
        expect(classes).not.toContain('diagram-dark');
        if (classes.includes('diagram-light')) diagrams++;
        visit(node, 'element', (inner) => {
          if (typeof inner.properties.id === 'string') diagramIds.push(inner.properties.id);
        });
        return SKIP;
      }
      if (typeof node.properties.id === 'string') ids.push(node.properties.id);
      if (typeof node.properties.href === 'string' && node.properties.href.startsWith('#')) hrefs.push(decodeURIComponent(node.properties.href.slice(1)));
      if (node.tagName === 'pre') {
        visit(node, 'element', (span) => {
          const colour = /(?:^|;)color:(#[0-9a-f]{6})/i.exec(String(span.properties.style ?? ''))?.[1];
          if (colour) expect(contrastRatio(colour, codeBackground), colour).toBeGreaterThanOrEqual(4.5);
        });
      }
      return undefined;
    });
    expect(diagrams).toBeGreaterThan(5);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
    // mermaid repeats some ids from diagram to diagram (sequence actors); none a diagram refers to may repeat.
    const all = [...ids, ...diagramIds];
    for (const [, id] of html.matchAll(/url\(#([^)"']+)\)/g)) expect(all.filter((candidate) => candidate === id).length, id).toBeLessThanOrEqual(1);
    const known = new Set(ids);
    expect(hrefs.length).toBeGreaterThan(100);
    expect(hrefs.filter((href) => !known.has(href))).toEqual([]);
    // The section's title and its Solutions appendix; the cover and contents are printed apart.
    expect(html.match(/<h1[\s>]/g)).toHaveLength(2);
  });

  it('quotes running heads so no title can end the style sheet', () => {
    expect(cssString('a "b" \\ c\n</style>')).toBe('"a \\"b\\" \\\\ c \\3c /style>"');
  });

  it('darkens colours only as much as paper needs', () => {
    expect(readableOn('#24292e', codeBackground)).toBe('#24292e');
    const orange = readableOn('#e36209', codeBackground);
    expect(orange).not.toBe('#e36209');
    expect(contrastRatio(orange, codeBackground)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(orange, codeBackground)).toBeLessThan(5);
  });
});

describe('the course PDF', () => {
  it('has the course on its cover and as its title', () => {
    const meta = info(path.join(out, coursePdf));
    expect(meta.Title).toBe('Systems Engineering in Practice');
    expect(meta['Page size']).toContain('(A4)');
    const cover = pageTexts(path.join(out, coursePdf))[0]!;
    expect(cover).toContain('How modern software systems are built, scaled and run');
  });
});

describe('reproducibility', () => {
  it('gives byte-identical PDFs from two builds with the same SOURCE_DATE_EPOCH', async () => {
    const second = path.join(path.dirname(out), 'second');
    await buildPdf(content, second);
    for (const file of [sectionPdf, coursePdf]) expect(readFileSync(path.join(second, file)).equals(readFileSync(path.join(out, file))), file).toBe(true);
  });

  it('numbers structure elements from 1, not by DOM nodes, which depend on what else the renderer printed', () => {
    const ids = [...readFileSync(path.join(out, sectionPdf), 'latin1').matchAll(/\/ID \(node(\d+)\)/g)].map((match) => Number(match[1]));
    expect(ids.length).toBeGreaterThan(10);
    expect(Math.min(...ids)).toBe(1);
    expect(Math.max(...ids)).toBe(new Set(ids).size);
  });
});

describe('a course on Letter paper with two sections and Unicode anchors', () => {
  it('prints Letter pages, bookmarks both sections and resolves Unicode anchors', async () => {
    const { dir, cleanup } = await scratchCopy(fixture('valid', 'content'));
    cleanups.push(cleanup);
    writeFileSync(path.join(dir, 'course.yml'), `${readFileSync(path.join(dir, 'course.yml'), 'utf8')}paper: letter\n`);
    const { dir: scratch, cleanup: removeOut } = await scratchDir();
    cleanups.push(removeOut);
    const letterOut = path.join(scratch, 'out');
    await buildPdf(dir, letterOut);
    const files = ['downloads/03-grundlagen.pdf', 'downloads/04-more.pdf', 'downloads/ünïcode--courses--日本語.pdf'];
    for (const file of files) expect(info(path.join(letterOut, file))['Page size']).toContain('(letter)');
    const whole = await readPdf(path.join(letterOut, files[2]!));
    expect(whole.outline.map((item) => item.title)).toEqual(['Section 3 · Grundlagen: Überblick', 'Section 4 · More & <more>']);
    const target = whole.destinations.get('lesson-3-1--überblick');
    expect(target).toBe(whole.outline[0]!.children[0]!.children[0]!.page);
    expect(whole.links.some((link) => link.anchor === 'lesson-3-1--überblick')).toBe(true);
  });
});

describe('the print page', () => {
  let server: Server;
  const requests: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests.push(request.url ?? '');
      response.end('');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('runs no script, loads nothing from the network or outside the content, and escapes running heads', async () => {
    const { dir, cleanup } = await scratchCopy(fixture('print', 'content'));
    cleanups.push(cleanup);
    const { dir: outside, cleanup: removeOutside } = await scratchDir();
    cleanups.push(removeOutside);
    // A real 64×64 image outside the content folder: if it loaded, pdfimages would list it.
    const image = path.join(outside, 'outside.png');
    execFileSync('pdftoppm', ['-png', '-r', '10', '-f', '1', '-l', '1', '-singlefile', path.join(out, sectionPdf), image.replace(/\.png$/, '')]);
    const lesson = path.join(dir, '01-safety', '01-hostile.md');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    writeFileSync(lesson, readFileSync(lesson, 'utf8').replaceAll('__SERVER__', base).replaceAll('__OUTSIDE__', pathToFileURL(image).href));
    const safeOut = path.join(outside, 'out');
    await buildPdf(dir, safeOut);
    const file = path.join(safeOut, 'downloads', '01-safety.pdf');
    const pages = pageTexts(file);
    const text = squash(pages.join(' '));
    expect(text).toContain('The lesson text is printed without scripts.');
    expect(text).not.toContain('SCRIPT RAN');
    expect(requests).toEqual([]);
    const images = tool('pdfimages', ['-list', file]).split('\n').slice(2).filter(Boolean);
    for (const row of images) expect(Number(row.split(/\s+/)[4]), row).toBeLessThan(20);
    const hostile = pages.find((page) => page.includes('The lesson text is printed'))!;
    expect(headOf(hostile)).toBe('SECTION 1 · SAFETY 1.1 Quotes " backslash \\ and </style><b>bold</b>');
    const { destinations, links } = await readPdf(file);
    expect(links.some((link) => link.anchor === 'lesson-1-1--landing')).toBe(true);
    expect(destinations.get('lesson-1-1--landing')).toBe(pages.indexOf(hostile) + 1);
    expect(links.some((link) => link.anchor?.startsWith('lesson-1-1--user-content-fn-'))).toBe(true);
    expect(links.some((link) => link.uri === 'https://example.com/')).toBe(true);
  });
});

describe('a course PDF merged from per-section parts', () => {
  const courseFile = 'downloads/ünïcode--courses--日本語.pdf';
  let dir: string;
  let scratch: string;
  let summaries: string[];

  /** Builds the two-section course's PDFs into `scratch/<name>`, recording the step summaries. */
  async function buildInto(name: string, cache: boolean): Promise<string> {
    const previous = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = epoch;
    summaries = [];
    try {
      const target = path.join(scratch, name);
      const result = await build(dir, { out: target, formats: ['pdf'], cache, onEvent: (event) => event.type === 'step-end' && summaries.push(`${event.step}: ${event.summary}`) });
      expect(result.published).toBe(true);
      return target;
    } finally {
      if (previous === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = previous;
    }
  }

  beforeAll(async () => {
    const copy = await scratchCopy(fixture('valid', 'content'));
    cleanups.push(copy.cleanup);
    dir = copy.dir;
    const target = await scratchDir();
    cleanups.push(target.cleanup);
    scratch = target.dir;
  }, 240_000);

  it('numbers its pages on from part to part, and its contents and bookmarks name the pages where sections, lessons and headings are', async () => {
    const out = await buildInto('cached', true);
    const file = path.join(out, courseFile);
    const pages = pageTexts(file);
    // Every page after the cover carries its own number at the bottom: continuous across the parts.
    pages.slice(1).forEach((text, index) => {
      const lines = text
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
      expect(lines.at(-1), `page ${index + 2}`).toBe(String(index + 2));
    });
    const entries = contentsEntries(pages.slice(1, 3));
    const sections = entries.filter((entry) => entry.kind === 'section');
    expect(sections.map((entry) => entry.label)).toEqual(['3', '4']);
    for (const entry of entries) {
      const page = squash(pages[entry.page - 1]!);
      if (entry.kind === 'section') expect(page, `Section ${entry.label} on page ${entry.page}`).toContain(`SECTION ${entry.label}`);
      // Spaces compared away: pdftotext puts one before the emoji of "Café☕".
      else if (entry.kind === 'lesson') expect(headOf(pages[entry.page - 1]!).replace(/\s/g, ''), `${entry.label} on page ${entry.page}`).toContain(`${entry.label}${entry.title}`.replace(/\s/g, ''));
      else if (entry.kind === 'heading') expect(page, `${entry.title} on page ${entry.page}`).toContain(entry.title);
    }
    // Section 4's part starts on the page after Section 3's last: its running heads name it.
    const section4 = sections[1]!.page;
    expect(headOf(pages[section4 - 2]!)).toMatch(/^SECTION 3 · /);
    expect(headOf(pages[section4]!)).toMatch(/^SECTION 4 · /);
    const { outline, destinations, links } = await readPdf(file);
    expect(outline.map((item) => item.page)).toEqual(sections.map((entry) => entry.page));
    expect(outline[1]!.children[0]!.children[0]!.page).toBe(entries.find((entry) => entry.title === 'Deeper')!.page);
    // Lesson 3.10 links to a heading of lesson 4.1, in the other part: the link lands on that page.
    expect(links.some((link) => link.anchor === 'lesson-4-1--deeper' && link.page < section4)).toBe(true);
    expect(destinations.get('lesson-4-1--deeper')).toBe(entries.find((entry) => entry.title === 'Deeper')!.page);
    for (const link of links) {
      if (link.anchor !== undefined) expect(destinations.has(link.anchor), `link to #${link.anchor} on page ${link.page}`).toBe(true);
      else expect(link.uri).toMatch(/^https?:\/\//);
    }
    const checked = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
    expect(checked.status).toBe(0);
    expect(checked.stdout).toContain('No syntax or stream encoding errors');
  }, 240_000);

  it('keeps the structure tree of every part: one Document whose elements point at the merged pages', async () => {
    const file = path.join(scratch, 'cached', courseFile);
    expect(info(file).Tagged).toBe('yes');
    const { doc } = await readPdf(file);
    const root = doc.catalog.lookup(PDFName.of('StructTreeRoot'), PDFDict);
    const document = root.lookup(PDFName.of('K'), PDFDict);
    expect(document.lookup(PDFName.of('S'), PDFName)).toBe(PDFName.of('Document'));
    const pageRefs = new Set(doc.getPages().map((page) => page.ref.toString()));
    const headings = new Set<string>();
    const pagesWithContent = new Set<string>();
    const walk = (element: PDFDict): void => {
      const role = element.lookupMaybe(PDFName.of('S'), PDFName)?.decodeText();
      const page = element.get(PDFName.of('Pg'));
      if (page) {
        expect(pageRefs.has(page.toString()), `${role} on a page of the book`).toBe(true);
        pagesWithContent.add(page.toString());
      }
      if (role && /^H\d$/.test(role)) headings.add(role);
      const kids = element.get(PDFName.of('K'));
      for (const kid of kids instanceof PDFArray ? kids.asArray() : kids ? [kids] : []) {
        const resolved = doc.context.lookup(kid);
        if (resolved instanceof PDFDict && resolved.has(PDFName.of('S'))) walk(resolved);
      }
    };
    walk(document);
    expect([...headings].sort()).toEqual(expect.arrayContaining(['H1', 'H2']));
    // Structure reaches the pages of both parts and of the contents.
    expect(pagesWithContent.size).toBeGreaterThan(doc.getPageCount() / 2);
    // The parent tree has one entry per key the pages and links use.
    const nums = root.lookup(PDFName.of('ParentTree'), PDFDict).lookup(PDFName.of('Nums'), PDFArray);
    const keys = new Set<number>();
    for (let index = 0; index < nums.size(); index += 2) keys.add(Number(nums.get(index).toString()));
    for (const page of doc.getPages()) {
      const key = page.node.get(PDFName.of('StructParents'));
      if (key) expect(keys.has(Number(key.toString()))).toBe(true);
    }
  });

  it('gives the same bytes without the cache, and one edited lesson prints only its own parts again', async () => {
    const cached = path.join(scratch, 'cached');
    const fresh = await buildInto('fresh', false);
    for (const file of ['downloads/03-grundlagen.pdf', 'downloads/04-more.pdf', courseFile])
      expect(readFileSync(path.join(fresh, file)).equals(readFileSync(path.join(cached, file))), file).toBe(true);
    // A build that reuses every book keeps their parts in the cache for the next edit.
    await buildInto('cached', true);
    expect(summaries).toContain('pdf: 3 PDFs (all cached)');
    const lesson = path.join(dir, '04-more', '01-more.md');
    writeFileSync(lesson, readFileSync(lesson, 'utf8').replace('Words in a paragraph.', 'Words in an edited paragraph.'));
    const edited = await buildInto('cached', true);
    // Section 4's own book and its part of the course are printed again; Section 3's book and part are not.
    expect(summaries.find((summary) => summary.startsWith('pdf: '))).toMatch(/^pdf: 3 PDFs \(2 built, \d+ pages, 2 parts printed, 1 reused; 1 cached\)$/);
    expect(squash(pageTexts(path.join(edited, courseFile)).join(' '))).toContain('Words in an edited paragraph.');
  }, 240_000);
});
