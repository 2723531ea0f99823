import { execFile, execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Element, Nodes } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import JSZip from 'jszip';
import MiniSearch from 'minisearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelKeys, loadLabels, plainLabelKeys } from '../src/labels/catalogue.js';
import { check } from '../src/pipeline.js';
import { fixture, scratchCopy } from './helpers.js';
import { buildInto, readTree } from './site.js';
import { epubcheck } from './epubcheck.js';

const _run = promisify(execFile);
const formats = ['html', 'json', 'epub', 'pdf'];
const chinese = fixture('i18n', 'zh', 'content');
const hebrew = fixture('i18n', 'he', 'content');

/** The words of callouts, exercises, solutions, quizzes and the EPUB accessibility summary. */
const constructLabelKeys = labelKeys.slice(labelKeys.indexOf('calloutNote'));

/** English words a page may show only in an English course: every plain label and the fixed words of the others. */
const english = (() => {
  const en = loadLabels('en');
  const constructs = constructLabelKeys.filter((key) => !key.startsWith('a11y')).map((key) => en.format(key, { number: '', page: '', time: '', count: 1, letters: '' }).trim());
  return [
    ...plainLabelKeys.map((key) => en.format(key)),
    en.format('section', { number: 1 }),
    'lessons',
    'min read',
    'reading',
    'Start with',
    'Cover:',
    ...constructs,
    'Exercise',
    'Quiz',
    'Solution',
    'Answer',
    'practice',
    'on page',
  ];
})();

/** What a reader sees of an HTML or XHTML page: text outside code, and the attributes read out or shown. */
function visibleText(html: string): string {
  const parts: string[] = [];
  const walk = (node: Nodes): void => {
    if (node.type === 'text') parts.push(node.value);
    if (node.type !== 'element' && node.type !== 'root') return;
    if (node.type === 'element') {
      const element = node as Element;
      if (['script', 'style', 'pre', 'code'].includes(element.tagName)) return;
      for (const name of ['ariaLabel', 'placeholder', 'alt', 'title', 'dataNoResults']) {
        const value = element.properties[name];
        if (typeof value === 'string') parts.push(value);
      }
    }
    for (const child of node.children) walk(child as Nodes);
  };
  walk(fromHtml(html));
  return parts.join('\n');
}

/** The English labels found in a text. */
const englishIn = (text: string): string[] => english.filter((word) => text.includes(word));

/** Every file of every EPUB in a build, as text. */
async function epubTexts(files: Map<string, Buffer>): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const [file, bytes] of files) {
    if (!file.endsWith('.epub')) continue;
    const zip = await JSZip.loadAsync(bytes);
    for (const name of Object.keys(zip.files)) if (/\.(xhtml|ncx|opf)$/.test(name)) texts.set(`${file}/${name}`, await zip.file(name)!.async('string'));
  }
  return texts;
}

let zh: { out: string; files: Map<string, Buffer>; cleanup: () => Promise<void> };
let he: { out: string; files: Map<string, Buffer>; cleanup: () => Promise<void> };

beforeAll(async () => {
  const built = await buildInto(chinese, formats);
  zh = { ...built, files: await readTree(built.out) };
  const builtHebrew = await buildInto(hebrew, formats);
  he = { ...builtHebrew, files: await readTree(builtHebrew.out) };
}, 300_000);

afterAll(async () => {
  await zh?.cleanup();
  await he?.cleanup();
});

describe('a Chinese course', () => {
  it('checks clean: no diagnostics, every printed character has a font', async () => {
    const { diagnostics } = await check(chinese);
    expect(diagnostics).toEqual([]);
  });

  it('counts its lessons by characters, within 25% of the research rate', async () => {
    const { course } = await check(chinese);
    for (const lesson of course.sections.flatMap((section) => section.lessons)) {
      expect(lesson.characters).toBeGreaterThan(300);
      const research = lesson.characters / 255 + lesson.words / 238;
      expect(Math.abs(lesson.computedMinutes - research) / research).toBeLessThanOrEqual(0.25);
    }
  });

  it('says "characters" when a declared time is off from the characters counted', async () => {
    const copy = await scratchCopy(chinese);
    try {
      const lesson = path.join(copy.dir, '01-bianliang-yu-zuoyongyu', '03-bibao.md');
      await writeFile(lesson, (await readFile(lesson, 'utf8')).replace('minutes: 2', 'minutes: 9'));
      const { diagnostics } = await check(copy.dir, { cache: false });
      const warning = diagnostics.find((d) => d.rule === 'reading-time');
      expect(warning?.message).toMatch(/^Lesson 1\.3 declares 9 min, but its 5\d\d Chinese characters and \d+ words read in about 2 min at 255 characters and 238 words per minute\./);
    } finally {
      await copy.cleanup();
    }
  });

  it('shows no English label on any page, in the site and in the books', async () => {
    for (const [file, bytes] of zh.files) {
      if (file.endsWith('.html')) expect({ file, english: englishIn(visibleText(bytes.toString('utf8'))) }).toEqual({ file, english: [] });
    }
    for (const [file, text] of await epubTexts(zh.files)) {
      if (file.endsWith('.opf')) continue;
      expect({ file, english: englishIn(file.endsWith('.xhtml') ? visibleText(text) : text) }).toEqual({ file, english: [] });
    }
    const home = zh.files.get('index.html')!.toString('utf8');
    expect(home).toContain('8 课 · 阅读 16 分钟');
    expect(home).toContain('placeholder="搜索课程内容…"');
    expect(zh.files.get('01-bianliang-yu-zuoyongyu/index.html')!.toString('utf8')).toContain('从第 1.1 课开始');
    // The constructs speak Chinese too: a callout, an exercise with its solution, a quiz and its script's words.
    const scope = visibleText(zh.files.get('01-bianliang-yu-zuoyongyu/02-zuoyongyu.html')!.toString('utf8'));
    expect(scope).toContain('提示');
    const closures = zh.files.get('01-bianliang-yu-zuoyongyu/03-bibao.html')!.toString('utf8');
    for (const words of ['练习 1.3.1', '简单', '查看解答', '测验 1.3.1', '查看答案', '正确答案：B', '练习 6 分钟']) expect(visibleText(closures)).toContain(words);
    expect(closures).toContain('data-check-label="检查答案"');
    expect(closures).toContain('data-wrong-label="不太对。再试一次，或查看答案。"');
    const epubs = await epubTexts(zh.files);
    const decode = (xml: string): string => xml.replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)));
    const solutions = decode([...epubs].find(([file]) => file.endsWith('solutions.xhtml'))?.[1] ?? '');
    expect(solutions).toContain('<h1 id="solutions-title">答案与解答</h1>');
    expect(solutions).toContain('练习 1.3.1 解答');
    const opf = decode([...epubs].find(([file]) => file.endsWith('.opf'))![1]);
    expect(opf).toMatch(/<meta property="schema:accessibilitySummary">本书为可重排版式，[^<]*<\/meta>/);
  });

  it('prints PDFs with Chinese glyphs embedded and Chinese labels', () => {
    const pdfs = [...zh.files.keys()].filter((file) => file.endsWith('.pdf'));
    expect(pdfs).toHaveLength(3);
    for (const file of pdfs) {
      const absolute = path.join(zh.out, file);
      const fonts = execFileSync('pdffonts', [absolute], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
      // Every font is embedded (column "emb"); Chromium embeds the CFF-based Noto CJK glyphs as Type 3 fonts.
      expect(fonts.length).toBeGreaterThan(0);
      for (const row of fonts) expect(row).toMatch(/\byes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/);
      expect(fonts.some((row) => row.includes('Type 3'))).toBe(true);
      const text = execFileSync('pdftotext', [absolute, '-'], { encoding: 'utf8' });
      expect(text).toContain('目录');
      expect(englishIn(text.replace(/```[\s\S]*?```/g, ''))).toEqual([]);
    }
    const course = execFileSync('pdftotext', [path.join(zh.out, pdfs.find((file) => file.includes('javascript'))!), '-'], { encoding: 'utf8' });
    expect(course).toContain('闭包是函数与其被创建时所处词法环境的组合');
  });

  it('finds the closures lesson when searching 闭包, with the tokeniser the page uses', async () => {
    const scope: { window: Record<string, unknown> } = { window: {} };
    new Function('window', 'globalThis', zh.files.get('assets/search-tokenize.js')!.toString('utf8'))(scope.window, scope.window);
    new Function('window', zh.files.get('assets/search-index.js')!.toString('utf8'))(scope.window);
    const data = scope.window.COURSEBOOK_SEARCH as { options: object; shards: unknown[] };
    const tokenize = scope.window.coursebookTokenize as (text: string) => string[];
    const hits = data.shards.flatMap((shard) =>
      MiniSearch.loadJS(shard as never, { ...data.options, tokenize } as never).search('闭包', { prefix: true, fuzzy: 0.15, boost: { title: 3, headings: 2 } }),
    );
    hits.sort((a, b) => b.score - a.score);
    expect(hits[0]?.id).toBe('1.3');
    expect(tokenize('闭包让函数记住作用域').length).toBeGreaterThan(1);
  });

  it('passes epubcheck with no errors and no warnings', { timeout: 180_000 }, async () => {
    for (const [file, bytes] of zh.files) if (file.endsWith('.epub')) expect({ file, findings: await epubcheck(bytes) }).toEqual({ file, findings: [] });
  });
});

describe('a Hebrew course', () => {
  it('is right to left in the site, with code left to right', () => {
    const page = he.files.get('01-yesodot/01-maagar.html')!.toString('utf8');
    expect(page).toMatch(/<html lang="he" dir="rtl"/);
    expect(page).toContain('זמן קריאה: דקה אחת');
    expect(page).toMatch(/<pre [^>]*dir="ltr"/);
    expect(page).toMatch(/<pre [^>]*dir="ltr"/);
    expect(he.files.get('assets/site.css')!.toString('utf8')).toMatch(/pre, code, kbd, samp \{ direction: ltr; unicode-bidi: isolate; \}/);
  });

  it('is right to left in the EPUB: every page, and the spine', async () => {
    const texts = await epubTexts(he.files);
    const opf = [...texts].filter(([file]) => file.endsWith('.opf'));
    expect(opf.length).toBe(2);
    for (const [, text] of opf) expect(text).toContain('<spine toc="ncx" page-progression-direction="rtl">');
    for (const [file, text] of texts) if (file.endsWith('.xhtml')) expect({ file, rtl: /<html[^>]* dir="rtl"/.test(text) }).toEqual({ file, rtl: true });
    expect([...texts.values()].some((text) => /<pre [^>]*dir="ltr"/.test(text))).toBe(true);
    for (const [file, text] of texts) if (!file.endsWith('.opf')) expect({ file, english: englishIn(file.endsWith('.xhtml') ? visibleText(text) : text) }).toEqual({ file, english: [] });
  });

  it('prints a mirrored PDF in Hebrew', () => {
    const file = [...he.files.keys()].find((name) => name.endsWith('.pdf'))!;
    const text = execFileSync('pdftotext', [path.join(he.out, file), '-'], { encoding: 'utf8' });
    expect(text).toContain('תוכן העניינים');
    expect(englishIn(text)).toEqual([]);
  });

  it('passes epubcheck with no errors and no warnings', { timeout: 120_000 }, async () => {
    for (const [file, bytes] of he.files) if (file.endsWith('.epub')) expect({ file, findings: await epubcheck(bytes) }).toEqual({ file, findings: [] });
  });
});
