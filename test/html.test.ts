import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HtmlValidate } from 'html-validate';
import type { Browser } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSession } from '../src/browser/chromium.js';
import { fixture, scratchCopy } from './helpers.js';
import { buildInto, readTree } from './site.js';
import { axeViolations } from './axe.js';

const content = path.resolve(import.meta.dirname, '..', 'content');
let site: { out: string; cleanup: () => Promise<void> };
let features: { out: string; cleanup: () => Promise<void> };
let unicode: { out: string; cleanup: () => Promise<void> };
const session = browserSession();
let browser: Browser;

beforeAll(async () => {
  [site, features, unicode] = await Promise.all([buildInto(content, ['html']), buildInto(fixture('markdown', 'content'), ['html']), buildInto(fixture('valid', 'content'), ['html'])]);
  browser = await session.get();
});

afterAll(async () => {
  await session.close();
  await Promise.all([site?.cleanup(), features?.cleanup(), unicode?.cleanup()]);
});

const page = (out: string, file: string): string => readFileSync(path.join(out, file), 'utf8');
const text = (html: string): string => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the section page', () => {
  it('shows what the seed outline shows, from the model', () => {
    const html = page(site.out, '04-distributed-systems/index.html');
    const visible = text(html);
    expect(visible).toContain('Section 4');
    expect(visible).toContain('Distributed Systems');
    expect(visible).toContain('Sharding, replication, CAP, consensus, distributed coordination, and how Kubernetes orchestrates the lot.');
    expect(visible).toContain('11 lessons · ~1.7 h reading');
    expect(visible).toMatch(/Core Concepts .*Coordination &amp; Infrastructure .*Kubernetes &amp; Orchestration/);
    expect(visible).toMatch(/4\.1 Distributed Systems Overview 7 min → How simple systems become distributed systems/);
    expect(visible).toMatch(/4\.11 Kubernetes Networking 10 min →/);
    expect(visible).toContain('Start with 4.1 →');
  });

  it('computes its totals rather than repeating the declared ones', () => {
    const visible = text(page(features.out, '01-features/index.html'));
    expect(visible).toContain('2 lessons · 2 min reading');
  });
});

describe('lesson pages', () => {
  it('carry number, title, group, reading time, a table of contents, breadcrumb and pager across lessons', () => {
    const html = page(site.out, '04-distributed-systems/05-distributed-consensus.html');
    expect(html).toContain('<span class="lesson-number">4.5</span>');
    expect(html).toContain('<h1 class="lesson-heading">Distributed Consensus</h1>');
    expect(html).toContain('<span class="lesson-group-name">Coordination &amp; Infrastructure</span>');
    expect(html).toContain('9 min read');
    expect(html).toMatch(/<li><a href="#raft">Raft<\/a><\/li>/);
    expect(html).toMatch(/<h2 id="raft">Raft<\/h2>/);
    expect(html).toContain('href="../04-distributed-systems/04-partitioning-and-replication-strategies.html" rel="prev"');
    expect(html).toContain('href="../04-distributed-systems/06-distributed-coordination-and-locking.html" rel="next"');
    expect(html).toContain('<a href="../index.html">Systems Engineering in Practice</a>');
  });

  it('rewrite lesson links to page links with their anchors', () => {
    const html = page(site.out, '04-distributed-systems/06-distributed-coordination-and-locking.html');
    expect(html).toContain('href="05-distributed-consensus.html#raft"');
    expect(html).not.toMatch(/href="[^"]*\.md(#[^"]*)?"/);
  });

  it('highlight code at build time with inline colours', () => {
    const html = page(features.out, '01-features/01-gfm.html');
    expect(html).toMatch(/<pre class="shiki shiki-themes github-light github-dark"[^>]*data-language="ts"/);
    expect(html).toMatch(/<span style="color:#D73A49;--shiki-dark:#F97583">const<\/span>/);
  });

  it('render everything GitHub-flavoured Markdown allows', () => {
    const html = page(features.out, '01-features/01-gfm.html');
    expect(html).toContain('<del>strikethrough</del>');
    expect(html).toContain('<a href="http://www.example.com" rel="noopener">www.example.com</a>');
    expect(html).toMatch(/<td class="align-center">b<\/td>/);
    expect(html).toMatch(/<td class="align-right">c<\/td>/);
    expect(html).toMatch(/<input type="checkbox" checked disabled>/);
    expect(html).toContain('<section data-footnotes="" class="footnotes">');
    expect(html).toContain('href="#user-content-fn-source" id="user-content-fnref-source"');
    expect(html).toContain('href="02-hostile.html#raw-html"');
  });

  it('keep raw HTML but strip scripts, handlers and javascript: and data: URLs', () => {
    const html = page(features.out, '01-features/02-hostile.html');
    const body = html.slice(html.indexOf('<div class="lesson-body">'));
    expect(body).toContain('<div class="note">A note with a handler.</div>');
    expect(body).toContain('<details><summary>Kept</summary>Details stay.</details>');
    expect(body).not.toMatch(/<script|onclick|onerror|javascript:|data:text/i);
    expect(body).toContain('a javascript link');
  });

  it('publish SVG images without their scripts, handlers or javascript: links', () => {
    const html = page(features.out, '01-features/02-hostile.html');
    expect(html).toContain('<img src="../images/hostile.svg" alt="A blue rectangle drawn by a hostile SVG">');
    const svg = page(features.out, 'images/hostile.svg');
    expect(svg).toContain('<rect width="40" height="20" fill="#2f54c7"/>');
    expect(svg).not.toMatch(/script|onload|onclick|javascript:/i);
  });
});

describe('escaping', () => {
  it('shows titles with &, <, quotes and emoji correctly, escaped in the markup', async () => {
    const html = page(features.out, 'index.html');
    expect(html).toContain('<title>Markdown &amp; &lt;Features&gt; &quot;Course&quot; 🚀</title>');
    const tab = await browser.newPage();
    await tab.goto(pathToFileURL(path.join(features.out, '01-features', 'index.html')).href);
    expect(await tab.title()).toBe('Section 1 · Features & <Edge> Cases · Markdown & <Features> "Course" 🚀');
    expect(await tab.$eval('.section-summary', (el) => el.textContent)).toBe('Everything GitHub-flavoured Markdown allows, & raw HTML <b>not bold</b>.');
    await tab.close();
  });
});

describe('the site as a whole', () => {
  it.each([
    ['the embedded course', () => site.out],
    ['the unicode fixture', () => unicode.out],
  ])('%s has only relative links, and every one resolves to a file and anchor in the site', async (_name, root) => {
    const out = root();
    const files = await readTree(out);
    for (const [file, bytes] of files) {
      if (!file.endsWith('.html')) continue;
      const html = bytes.toString('utf8');
      for (const match of html.matchAll(/(?:href|src)="([^"]+)"/g)) {
        const url = match[1]!.replace(/&amp;/g, '&');
        if (/^(https?:|mailto:)/.test(url)) continue;
        expect(url.startsWith('/'), `${file}: ${url} is absolute`).toBe(false);
        const [target, fragment] = url.split('#');
        const resolved = target ? path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURIComponent(target))) : file;
        expect(existsSync(path.join(out, resolved)), `${file}: ${url}`).toBe(true);
        if (fragment && resolved.endsWith('.html')) {
          const targetHtml = files.get(resolved)!.toString('utf8');
          expect(targetHtml.includes(`id="${decodeURIComponent(fragment)}"`), `${file}: #${fragment} in ${resolved}`).toBe(true);
        }
      }
    }
  });

  it('is byte-identical across two builds', async () => {
    const again = await buildInto(content, ['html']);
    try {
      const [first, second] = await Promise.all([readTree(site.out), readTree(again.out)]);
      expect([...second.keys()]).toEqual([...first.keys()]);
      for (const [file, bytes] of first) expect(second.get(file)!.equals(bytes), file).toBe(true);
    } finally {
      await again.cleanup();
    }
  });

  it('passes html-validate with no errors', async () => {
    const validator = new HtmlValidate({
      extends: ['html-validate:recommended'],
      rules: {
        // Shiki colours tokens with inline styles (light colour plus a --shiki-dark variable).
        'no-inline-style': 'off',
        // Authors write straight quotes and em dashes as they like.
        'unrecognized-char-ref': 'off',
        'no-trailing-whitespace': 'off',
        'long-title': 'off',
      },
    });
    const files = [...(await readTree(site.out)).keys(), ...[...(await readTree(features.out)).keys()].map((f) => `features:${f}`)].filter((f) => f.endsWith('.html'));
    for (const file of files) {
      const [root, relative] = file.startsWith('features:') ? [features.out, file.slice(9)] : [site.out, file];
      const report = await validator.validateString(page(root, relative), relative);
      const messages = report.results.flatMap((result) => result.messages.map((m) => `${relative}:${m.line}:${m.column} ${m.ruleId} ${m.message}`));
      expect(messages, relative).toEqual([]);
    }
  });

  it.each([
    ['home', 'index.html'],
    ['section', '04-distributed-systems/index.html'],
    ['lesson', '04-distributed-systems/05-distributed-consensus.html'],
  ])('the %s page has no axe-core violations, in light and dark mode', async (_kind, file) => {
    for (const scheme of ['light', 'dark'] as const) {
      const tab = await browser.newPage();
      await tab.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      await tab.goto(pathToFileURL(path.join(site.out, file)).href, { waitUntil: 'load' });
      const violations = await axeViolations(tab);
      await tab.close();
      expect(violations, `${file} (${scheme})`).toEqual([]);
    }
  });

  it('is readable without JavaScript; search appears only when its script runs', async () => {
    const html = page(site.out, 'index.html');
    expect(html).toMatch(/<form class="search" role="search" action="#" data-no-results="[^"]*" hidden>/);
    const tab = await browser.newPage();
    await tab.goto(pathToFileURL(path.join(site.out, '04-distributed-systems', 'index.html')).href, { waitUntil: 'load' });
    expect(await tab.$eval('form.search', (el) => (el as HTMLFormElement).hidden)).toBe(false);
    await tab.type('#search-input', 'fencing token');
    const hits = await tab.$$eval('.search-results a', (links) => links.map((a) => a.textContent));
    expect(hits[0]).toMatch(/^4\.6/);
    await tab.close();
  });
});

describe('course options', () => {
  it('keep scripts and handlers in raw HTML only when course.yml sets allowScripts', async () => {
    const course = await scratchCopy(fixture('markdown', 'content'));
    try {
      writeFileSync(path.join(course.dir, 'course.yml'), `${readFileSync(path.join(course.dir, 'course.yml'), 'utf8')}allowScripts: true\n`);
      const built = await buildInto(course.dir, ['html']);
      try {
        const body = page(built.out, '01-features/02-hostile.html');
        expect(body).toContain("<script>alert('script')</script>");
        expect(body).toContain('<div class="note" onclick="alert(&#x27;div&#x27;)">');
      } finally {
        await built.cleanup();
      }
    } finally {
      await course.cleanup();
    }
  });

  it('use a course templates folder that overrides single files and falls back to the built-in ones', async () => {
    const course = await scratchCopy(fixture('valid', 'content'));
    try {
      mkdirSync(path.join(course.dir, 'theme', 'partials'), { recursive: true });
      writeFileSync(path.join(course.dir, 'theme', 'partials', 'lesson-header.njk'), '<header class="custom-header"><h1>{{ lesson.id }} — {{ lesson.title }}</h1></header>\n');
      writeFileSync(path.join(course.dir, 'course.yml'), `${readFileSync(path.join(course.dir, 'course.yml'), 'utf8')}templates: theme\n`);
      const built = await buildInto(course.dir, ['html']);
      try {
        const lesson = page(built.out, '03-grundlagen/01-erste-lektion.html');
        expect(lesson).toContain('<header class="custom-header"><h1>3.1 — Lektion 1: Café ☕</h1></header>');
        expect(lesson).toContain('<div class="lesson-body">');
        expect(page(built.out, 'index.html')).toContain('class="section-cards"');
      } finally {
        await built.cleanup();
      }
    } finally {
      await course.cleanup();
    }
  });
});
