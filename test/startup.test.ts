import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writers } from '../src/outputs/index.js';
import type { Writer } from '../src/outputs/writer.js';
import { scratchDir } from './helpers.js';

const projectRoot = path.resolve(import.meta.dirname, '..');
const bin = path.join(projectRoot, 'bin', 'coursebook.js');
const moduleLog = path.join(import.meta.dirname, 'fixtures', 'startup', 'module-log.mjs');

/** The packages only publishing needs: none may load before a command publishes something. */
const publishingOnly = ['puppeteer', 'mermaid', 'shiki', 'nunjucks', 'epub-gen-memory', 'pdf-lib', 'svgo', 'minisearch', 'jszip', 'hast-util-from-html', 'hast-util-raw'];

/** Runs the installed CLI in `cwd` and returns its exit code and the packages it loaded. */
function run(args: string[], cwd: string, log: string): { code: number | null; stdout: string; packages: Set<string> } {
  const result = spawnSync(process.execPath, ['--import', moduleLog, bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, COURSEBOOK_MODULE_LOG: log, NO_COLOR: '1' } });
  const urls = readFileSync(log, 'utf8').trim().split('\n');
  const packages = new Set(urls.map((url) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1]).filter((name): name is string => name !== undefined));
  return { code: result.status, stdout: result.stdout, packages };
}

describe('start-up', () => {
  it('--version loads no pipeline, parser or writer module', async () => {
    const { dir, cleanup } = await scratchDir();
    try {
      const log = path.join(dir, 'modules.log');
      const result = run(['--version'], dir, log);
      expect(result.code).toBe(0);
      const { version } = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string };
      expect(result.stdout).toBe(`${version}\n`);
      const ours = readFileSync(log, 'utf8')
        .split('\n')
        .filter((url) => url.includes('/lib/'));
      expect(ours.some((url) => url.endsWith('/lib/pipeline.js'))).toBe(false);
      expect([...result.packages].filter((name) => name !== 'commander' && name !== 'picocolors')).toEqual([]);
    } finally {
      await cleanup();
    }
  });

  it('check on a cached course loads neither a browser, mermaid nor any writer library', async () => {
    const { dir, cleanup } = await scratchDir();
    try {
      cpSync(path.join(projectRoot, 'content'), path.join(dir, 'content'), { recursive: true });
      const first = run(['check', 'content'], dir, path.join(dir, 'first.log'));
      expect(first.code).toBe(0);
      // The embedded course has diagrams: the first check draws them in Chromium, the second reads the cache.
      expect(first.packages.has('puppeteer')).toBe(true);
      const warm = run(['check', 'content'], dir, path.join(dir, 'warm.log'));
      expect(warm.code).toBe(0);
      expect(warm.stdout).toMatch(/No problems/);
      expect(publishingOnly.filter((name) => warm.packages.has(name))).toEqual([]);
    } finally {
      await cleanup();
    }
  });

  it('each row of the writer table names and describes its format as the writer module does', async () => {
    const modules: Record<string, () => Promise<Writer>> = {
      html: async () => (await import('../src/outputs/html.js')).htmlWriter,
      json: async () => (await import('../src/outputs/json.js')).jsonWriter,
      pdf: async () => (await import('../src/outputs/pdf.js')).pdfWriter,
      epub: async () => (await import('../src/outputs/epub.js')).epubWriter,
      opds: async () => (await import('../src/outputs/opds.js')).opdsWriter,
      scorm12: async () => (await import('../src/outputs/scorm.js')).scorm12Writer,
      scorm2004: async () => (await import('../src/outputs/scorm.js')).scorm2004Writer,
      cc: async () => (await import('../src/outputs/cc.js')).ccWriter,
    };
    expect(writers.map((writer) => writer.name)).toEqual(Object.keys(modules));
    for (const row of writers) {
      const writer = await modules[row.name]!();
      const offers = (entry: { offersDownloads?: boolean }): boolean => entry.offersDownloads === true;
      expect({ name: row.name, description: row.description, offersDownloads: offers(row) }).toEqual({ name: writer.name, description: writer.description, offersDownloads: offers(writer) });
    }
  });
});
