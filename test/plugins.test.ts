import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, check } from '../src/pipeline.js';
import { cli, fixture, scratchCopy, scratchDir } from './helpers.js';

const course = fixture('plugins', 'content');
const cleanups: (() => Promise<void>)[] = [];
let out = '';

async function scratch(): Promise<string> {
  const made = await scratchDir();
  cleanups.push(made.cleanup);
  return made.dir;
}

/** Every file under a folder, relative path → bytes. */
function filesOf(folder: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(folder, file), readFileSync(file));
  }
  return files;
}

/** Copies the fixture with course.yml edited. */
async function editedCourse(edit: (yml: string) => string): Promise<string> {
  const copy = await scratchCopy(course);
  cleanups.push(copy.cleanup);
  const yml = path.join(copy.dir, 'course.yml');
  writeFileSync(yml, edit(readFileSync(yml, 'utf8')));
  return copy.dir;
}

beforeAll(async () => {
  out = await scratch();
  const result = await build(course, { out, cache: false });
  expect(result.diagnostics).toEqual([]);
}, 240_000);

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe('course.yml plugins (remark-emoji, rehype-external-links)', () => {
  it('run in the site', () => {
    const page = readFileSync(path.join(out, '01-basics', '01-a.html'), 'utf8');
    expect(page).toContain('few plain words 🎉');
    expect(page).toMatch(/<a [^>]*href="https:\/\/unifiedjs\.com\/"[^>]*>the unified site<span> ↗<\/span><\/a>/);
  });

  it('run in the EPUB', async () => {
    const epubs = [...filesOf(out).keys()].filter((file) => file.endsWith('.epub'));
    expect(epubs.length).toBeGreaterThan(0);
    for (const epub of epubs) {
      const zip = await JSZip.loadAsync(readFileSync(path.join(out, epub)));
      const chapters = await Promise.all(
        Object.keys(zip.files)
          .filter((name) => name.endsWith('.xhtml'))
          .map((name) => zip.file(name)!.async('string')),
      );
      // The EPUB's XHTML writes characters beyond ASCII as numeric references.
      const text = chapters.join('\n').replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)));
      expect(text).toContain('few plain words 🎉');
      expect(text).toMatch(/the unified site<span> ↗<\/span><\/a>/);
    }
  });

  it('run in the PDF', () => {
    const pdfs = [...filesOf(out).keys()].filter((file) => file.endsWith('.pdf'));
    expect(pdfs.length).toBeGreaterThan(0);
    for (const pdf of pdfs) {
      // pdftotext puts the emoji and arrow glyphs (other fonts) on lines of their own.
      const text = execFileSync('pdftotext', [path.join(out, pdf), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(text).toContain('🎉');
      expect(text).toContain('the unified site ↗ for more');
    }
  });

  it('give the same site from a warm cache as without a cache', async () => {
    const cold = await scratch();
    const cachedOut = await scratch();
    const date = new Date('2024-05-01T00:00:00Z');
    await build(course, { out: cold, formats: ['html', 'json'], cache: false, date });
    const copy = await scratchCopy(course);
    cleanups.push(copy.cleanup);
    await build(copy.dir, { out: cachedOut, formats: ['html', 'json'], date });
    await build(copy.dir, { out: cachedOut, formats: ['html', 'json'], date });
    expect(filesOf(cachedOut)).toEqual(filesOf(cold));
  }, 120_000);

  it('key the cache by plugin options: changed options change the output', async () => {
    const dir = await editedCourse((yml) => yml.replace('" ↗"', '" (external)"'));
    const target = await scratch();
    await build(dir, { out: target, formats: ['html'] });
    const page = readFileSync(path.join(target, '01-basics', '01-a.html'), 'utf8');
    expect(page).toContain('the unified site<span> (external)</span>');
    // The same folder, options back: the cached page must not be reused.
    writeFileSync(path.join(dir, 'course.yml'), readFileSync(path.join(course, 'course.yml')));
    await build(dir, { out: target, formats: ['html'] });
    expect(readFileSync(path.join(target, '01-basics', '01-a.html'), 'utf8')).toContain('the unified site<span> ↗</span>');
  }, 120_000);

  it('report a plugin that is not installed as a course-config error naming it', async () => {
    const dir = await editedCourse((yml) => yml.replace('remark-emoji', 'remark-no-such-plugin'));
    const { diagnostics } = await check(dir);
    expect(diagnostics).toContainEqual(
      expect.objectContaining({ rule: 'course-config', severity: 'error', file: 'course.yml', message: expect.stringContaining('`remark-no-such-plugin` cannot be found') }),
    );
  });

  it('stop the build cleanly when a plugin throws, naming the plugin and the lesson', async () => {
    const dir = await editedCourse((yml) => `${yml}\n`.replace('    - ["rehype-external-links"', '    - ./throws.js\n    - ["rehype-external-links"'));
    writeFileSync(path.join(dir, 'throws.js'), "export default function () {\n  return () => {\n    throw new Error('no way');\n  };\n}\n");
    const target = await scratch();
    const result = await cli(['build', dir, '--out', target, '--format', 'html']);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toContain('The plugin `./throws.js` failed on lesson 1.1: no way.');
    expect(result.stdout + result.stderr).toContain('plugin-error');
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(target)).toEqual([]);
  });
});
