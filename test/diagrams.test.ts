import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSession } from '../src/browser/chromium.js';
import { build, check } from '../src/pipeline.js';
import { fixture, scratchDir } from './helpers.js';
import { readTree } from './site.js';

let scratch: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(async () => scratch?.cleanup());

describe('diagram syntax errors', () => {
  it('are diagnostics at the line mermaid names, with its own message, never a crash', async () => {
    const { diagnostics } = await check(fixture('rules', 'diagram-syntax', 'content'), { cache: false });
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ rule: 'diagram-syntax', file: '01-basics/01-a.md', line: 13, severity: 'error' });
    expect(diagnostics[0]!.message).toMatch(/^Diagram does not parse: Parse error on line 3: .*got 'EOF'/);
  });

  it('stop the build before anything is written', async () => {
    const out = path.join(scratch.dir, 'broken-dist');
    const result = await build(fixture('rules', 'diagram-syntax', 'content'), { out, formats: ['html'], cache: false });
    expect(result.published).toBe(false);
    expect(readdirSync(scratch.dir)).not.toContain('broken-dist');
  });
});

describe('the diagram cache', () => {
  it('renders each distinct diagram once, then serves it without starting a browser', async () => {
    const out = path.join(scratch.dir, 'cached', 'dist');
    const first = browserSession();
    const cold = await check(fixture('valid', 'content'), { out, browser: first });
    expect(cold.diagrams).toMatchObject({ rendered: 1, cached: 0 });
    expect(first.started).toBe(true);
    await first.close();

    const second = browserSession();
    const warm = await check(fixture('valid', 'content'), { out, browser: second });
    expect(warm.diagrams).toMatchObject({ rendered: 0, cached: 1 });
    expect(second.started).toBe(false);
    await second.close();
  });

  it('rebuilds a corrupt entry instead of trusting it, and the output is what a cold build gives', async () => {
    const out = path.join(scratch.dir, 'corrupt', 'dist');
    process.env.SOURCE_DATE_EPOCH = '1767225600';
    try {
      await build(fixture('valid', 'content'), { out, formats: ['html'] });
      const cold = await readTree(out);
      const entries = path.join(scratch.dir, 'corrupt', '.coursebook-cache', 'diagrams');
      for (const name of readdirSync(entries)) writeFileSync(path.join(entries, name), '{"hash": "nope", "ok": true, "light": "<script>');
      const result = await build(fixture('valid', 'content'), { out, formats: ['html'] });
      expect(result.diagrams).toMatchObject({ rendered: 1, cached: 0 });
      const warm = await readTree(out);
      for (const [file, bytes] of cold) expect(warm.get(file)?.equals(bytes), file).toBe(true);
    } finally {
      delete process.env.SOURCE_DATE_EPOCH;
    }
  });
});

describe('a course without diagrams', () => {
  it('builds without ever starting a browser', async () => {
    const session = browserSession();
    const out = path.join(scratch.dir, 'plain', 'dist');
    const result = await build(fixture('markdown', 'content'), { out, formats: ['html'], browser: session, cache: false });
    expect(result.published).toBe(true);
    expect(session.started).toBe(false);
    await session.close();
  });
});

describe('diagrams in the site', () => {
  it('appear as inline SVG with text labels, an accessible name and a caption, and no mermaid source is left', async () => {
    const out = path.join(scratch.dir, 'site', 'dist');
    await build(path.resolve(import.meta.dirname, '..', 'content'), { out, formats: ['html'] });
    const files = await readTree(out);
    let figures = 0;
    for (const [file, bytes] of files) {
      if (!file.endsWith('.html')) continue;
      const html = bytes.toString('utf8');
      expect(html, file).not.toMatch(/language-mermaid|%% caption|sequenceDiagram|flowchart (LR|TD)/);
      for (const figure of html.matchAll(/<figure class="diagram"[\s\S]*?<\/figure>/g)) {
        figures++;
        const markup = figure[0];
        expect(markup).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="(diagram-[0-9a-f]{12})-title"/);
        expect(markup).toMatch(/<title id="diagram-[0-9a-f]{12}-title">[^<]+<\/title>/);
        const dark = /<svg[^>]*diagram-dark[^>]*>/.exec(markup)?.[0];
        expect(dark).toContain('aria-hidden="true"');
        expect(markup).toMatch(/<text[^>]*>/);
        expect(markup).not.toMatch(/foreignObject/);
        expect(markup).toMatch(/<figcaption>[^<]+<\/figcaption>/);
      }
    }
    expect(figures).toBeGreaterThanOrEqual(11);
  });
});

describe('diagrams in every format', () => {
  let out: string;
  beforeAll(async () => {
    out = path.join(scratch.dir, 'all', 'dist');
    const result = await build(path.resolve(import.meta.dirname, '..', 'content'), { out, formats: ['html', 'json', 'epub', 'pdf'] });
    expect(result.published).toBe(true);
  }, 180_000);

  it('leave no mermaid source anywhere in the output', async () => {
    for (const [file, bytes] of await readTree(out)) {
      if (/\.(epub|pdf)$/.test(file)) continue;
      expect(bytes.toString('utf8'), file).not.toMatch(/```mermaid|%% caption:|sequenceDiagram\n|flowchart (LR|TD)\n/);
    }
  });

  it('give every id on a page once, though mermaid reuses marker names', async () => {
    for (const [file, bytes] of await readTree(out)) {
      if (!file.endsWith('.html')) continue;
      const ids = [...bytes.toString('utf8').matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
      expect(
        ids.filter((id, index) => ids.indexOf(id) !== index),
        file,
      ).toEqual([]);
    }
  });

  it('are inline SVG with text labels in the EPUB, declared in the manifest, with no mermaid source', async () => {
    const { default: JSZip } = await import('jszip');
    const zip = await JSZip.loadAsync(readFileSync(path.join(out, 'downloads', '04-distributed-systems.epub')));
    const opf = await zip.file(/content\.opf$/)[0]!.async('string');
    const chapter = await zip.file(/lesson-4\.5\.xhtml$/)[0]!.async('string');
    expect(chapter).toMatch(/<figure class="diagram"[\s\S]*?<svg[\s\S]*?<text[\s\S]*?RequestVote\(term 2\)/);
    expect(chapter).toContain('<figcaption>Raft leader election after the leader crashes, the new leader&apos;s no-op, then one replicated write in a three-node cluster</figcaption>');
    expect(chapter).not.toMatch(/diagram-dark|sequenceDiagram|%% caption/);
    expect(opf).toMatch(/href="lesson-4\.5\.xhtml"[^>]*properties="svg"/);
  });

  it('are vectors with selectable text in the PDF', () => {
    const pdf = path.join(out, 'downloads', '04-distributed-systems.pdf');
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('RequestVote(term 2) gets no reply');
    expect(text).not.toMatch(/sequenceDiagram|%% caption/);
    const images = execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(images).toEqual([]);
  });
});
