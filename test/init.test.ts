import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, scratchDir } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
});

describe('coursebook init', () => {
  it('writes a starter course that passes check --strict and builds in every format', async () => {
    const { dir, cleanup } = await scratchDir();
    cleanups.push(cleanup);
    const course = path.join(dir, 'my-course');
    const init = await cli(['init', course]);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('Wrote a starter course');
    for (const file of [
      'course.yml',
      '01-getting-started/section.md',
      '01-getting-started/01-welcome.md',
      '01-getting-started/02-writing-a-lesson.md',
      '01-getting-started/images/course-layout.svg',
    ]) {
      expect(existsSync(path.join(course, file)), file).toBe(true);
    }
    const checked = await cli(['check', course, '--strict']);
    expect(checked.stdout).toContain('No problems');
    expect(checked.code).toBe(0);
    const built = await cli(['build', course, '--out', path.join(dir, 'dist'), '--strict', '--quiet']);
    expect(built.code, built.stdout + built.stderr).toBe(0);
    for (const file of [
      'index.html',
      '01-getting-started/01-welcome.html',
      'api/catalogue.json',
      'downloads/01-getting-started.pdf',
      'downloads/01-getting-started.epub',
      'downloads/my-first-course.pdf',
    ]) {
      expect(existsSync(path.join(dir, 'dist', file)), file).toBe(true);
    }
    const page = readFileSync(path.join(dir, 'dist', '01-getting-started', '01-welcome.html'), 'utf8');
    expect(page).toContain('<svg');
    expect(page).toContain('href="02-writing-a-lesson.html"');
  }, 240_000);

  it('refuses a folder that has anything in it, and changes nothing there', async () => {
    const { dir, cleanup } = await scratchDir();
    cleanups.push(cleanup);
    const course = path.join(dir, 'notes');
    mkdirSync(course);
    writeFileSync(path.join(course, 'mine.md'), 'my notes\n');
    const result = await cli(['init', course]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is not empty; coursebook init writes only into a new or empty folder/);
    expect(readFileSync(path.join(course, 'mine.md'), 'utf8')).toBe('my notes\n');
    expect(existsSync(path.join(course, 'course.yml'))).toBe(false);
  });
});
