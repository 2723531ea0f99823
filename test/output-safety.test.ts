import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wantsColor } from '../src/cli/main.js';
import { acquireOutputLock, lockPath } from '../src/outputs/lock.js';
import { findWriter } from '../src/outputs/index.js';
import { build } from '../src/pipeline.js';
import { cli, fixture, scratchCopy, scratchDir } from './helpers.js';
import { readTree } from './site.js';
import { generateCourse } from '../bench/generate.js';

const projectRoot = path.resolve(import.meta.dirname, '..');
const bin = path.join(projectRoot, 'bin', 'coursebook.js');
const content = path.join(projectRoot, 'content');
let scratch: { dir: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(async () => scratch?.cleanup());

/** Leftovers of a build beside an output folder: staging or retired folders, locks. */
const leftovers = (parent: string): string[] => readdirSync(parent).filter((name) => /\.coursebook-(staging|retired|lock)/.test(name));
const chromiumCount = (): number => {
  try {
    return execFileSync('pgrep', ['-f', 'coursebook-chromium'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
};
const waitFor = async (condition: () => boolean, ms: number): Promise<boolean> => {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
};

describe('refused output folders', () => {
  it.each([
    ['the content folder', () => fixture('valid', 'content')],
    ['a folder containing it', () => fixture('valid')],
    ['the filesystem root', () => '/'],
    ['the home folder', () => os.homedir()],
    ['a folder inside the content folder', () => fixture('valid', 'content', 'dist')],
  ])('refuses %s with exit 2 and writes nothing', async (_name, target) => {
    const before = readdirSync(fixture('valid', 'content')).sort();
    const result = await cli(['build', fixture('valid', 'content'), '--out', target(), '--format', 'html']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^coursebook: Refusing to write/m);
    expect(readdirSync(fixture('valid', 'content')).sort()).toEqual(before);
  });

  it('refuses a non-empty folder it did not create, unless --force', async () => {
    const out = path.join(scratch.dir, 'theirs');
    mkdirSync(out);
    writeFileSync(path.join(out, 'notes.txt'), 'mine');
    const refused = await cli(['build', fixture('valid', 'content'), '--out', out, '--format', 'html']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/not empty and Coursebook did not create it\. Pass --force/);
    expect(readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe('mine');
    const forced = await cli(['build', fixture('valid', 'content'), '--out', out, '--format', 'html', '--force']);
    expect(forced.code).toBe(0);
    expect(existsSync(path.join(out, 'index.html'))).toBe(true);
    expect((await cli(['build', fixture('valid', 'content'), '--out', out, '--format', 'html'])).code).toBe(0);
  });
});

describe('atomic builds', () => {
  it('a failed build leaves the previous output exactly as it was, with nothing left behind', async () => {
    const course = await scratchCopy(fixture('valid', 'content'));
    try {
      const out = path.join(scratch.dir, 'atomic', 'dist');
      expect((await cli(['build', course.dir, '--out', out, '--format', 'html'])).code).toBe(0);
      const before = await readTree(out);
      mkdirSync(path.join(course.dir, 'theme', 'site'), { recursive: true });
      writeFileSync(path.join(course.dir, 'theme', 'site', 'lesson.njk'), '{% extends "layouts/site.njk" %}{% block main %}{{ lesson.title | nosuchfilter }}{% endblock %}');
      writeFileSync(path.join(course.dir, 'course.yml'), `${readFileSync(path.join(course.dir, 'course.yml'), 'utf8')}templates: theme\n`);
      const failed = await cli(['build', course.dir, '--out', out, '--format', 'html']);
      expect(failed.code).toBe(2);
      expect(failed.stderr).toMatch(/Template site\/lesson\.njk failed: .*nosuchfilter/);
      const after = await readTree(out);
      expect([...after.keys()]).toEqual([...before.keys()]);
      for (const [file, bytes] of before) expect(after.get(file)!.equals(bytes), file).toBe(true);
      expect(leftovers(path.dirname(out))).toEqual([]);
    } finally {
      await course.cleanup();
    }
  });

  // The PDF step is slow by nature; without it, a generated 220-lesson course keeps the html step busy long enough.
  const slowStep = findWriter('pdf') ? 'pdf' : 'html';
  it.each(['SIGINT', 'SIGTERM'] as const)(`%s during the ${slowStep} step leaves the old output, no temporary folders and no Chromium`, async (signal) => {
    const out = path.join(scratch.dir, `signal-${signal}`, 'dist');
    const big = path.join(scratch.dir, `signal-${signal}-course`);
    await generateCourse(big, 220);
    expect((await cli(['build', fixture('valid', 'content'), '--out', out, '--format', 'html'])).code).toBe(0);
    const before = await readTree(out);
    const source = slowStep === 'pdf' ? content : big;
    const child = spawn(process.execPath, [bin, 'build', source, '--out', out, '--format', slowStep === 'pdf' ? 'html,pdf' : 'html', '--verbose', '--no-cache'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    expect(await waitFor(() => stderr.includes(`… ${slowStep}`), 60_000), stderr).toBe(true);
    child.kill(signal);
    expect(await exited).toBe(signal === 'SIGINT' ? 130 : 143);
    expect(stderr).toMatch(/cleaning up/);
    expect(stderr).not.toMatch(/\n\s+at /);
    const after = await readTree(out);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [file, bytes] of before) expect(after.get(file)!.equals(bytes), file).toBe(true);
    expect(leftovers(path.dirname(out))).toEqual([]);
    expect(await waitFor(() => chromiumCount() === 0, 10_000)).toBe(true);
  });

  it('after kill -9 the old output is still usable, and the next build cleans up', async () => {
    const out = path.join(scratch.dir, 'kill9', 'dist');
    expect((await cli(['build', fixture('valid', 'content'), '--out', out, '--format', 'html'])).code).toBe(0);
    const before = await readTree(out);
    const child = spawn(process.execPath, [bin, 'build', content, '--out', out, '--format', 'html', '--no-cache'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    expect(await waitFor(() => leftovers(path.dirname(out)).some((name) => name.includes('staging')), 60_000)).toBe(true);
    child.kill('SIGKILL');
    await exited;
    expect(leftovers(path.dirname(out)).length).toBeGreaterThan(0);
    const after = await readTree(out);
    for (const [file, bytes] of before) expect(after.get(file)!.equals(bytes), file).toBe(true);
    const next = await cli(['build', content, '--out', out, '--format', 'html']);
    expect(next.code).toBe(0);
    expect(leftovers(path.dirname(out))).toEqual([]);
    expect(existsSync(path.join(out, '04-distributed-systems', 'index.html'))).toBe(true);
    expect(await waitFor(() => chromiumCount() === 0, 10_000)).toBe(true);
    const killed = child.pid!;
    expect(readdirSync(os.tmpdir()).filter((name) => name.startsWith(`coursebook-chromium-${killed}-`))).toEqual([]);
  });
});

describe('concurrent builds', () => {
  it('a second build waits for the lock, then refuses with a clear message', async () => {
    const out = path.join(scratch.dir, 'locked', 'dist');
    const release = await acquireOutputLock(out);
    try {
      await expect(build(fixture('valid', 'content'), { out, formats: ['html'], lockWaitMs: 300 })).rejects.toThrow(/Another build \(process \d+\) is writing .*Wait for it to finish/);
      expect(existsSync(out)).toBe(false);
    } finally {
      await release();
    }
  });

  it('two builds started together both succeed, one after the other, and never interleave', async () => {
    const out = path.join(scratch.dir, 'together', 'dist');
    const [a, b] = await Promise.all([build(fixture('valid', 'content'), { out, formats: ['html'] }), build(fixture('valid', 'content'), { out, formats: ['html'] })]);
    expect(a.published && b.published).toBe(true);
    expect(leftovers(path.dirname(out))).toEqual([]);
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const out = path.join(scratch.dir, 'stale', 'dist');
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(lockPath(out), `999999\n${os.hostname()}\n`);
    const result = await build(fixture('valid', 'content'), { out, formats: ['html'], lockWaitMs: 300 });
    expect(result.published).toBe(true);
    expect(existsSync(lockPath(out))).toBe(false);
  });
});

describe('progress and output', () => {
  it('prints one plain line per step with timings when not on a terminal, and a summary with sizes', async () => {
    const out = path.join(scratch.dir, 'progress', 'dist');
    const result = await cli(['build', fixture('valid', 'content'), '--out', out, '--format', 'html']);
    expect(result.stderr).toMatch(/^✓ check +\d+\.\d\d s {2}14 files/m);
    expect(result.stderr).toMatch(/^✓ html +\d+\.\d\d s {2}14 pages \(\d+ rendered, \d+ cached\)$/m);
    expect(result.stderr).toMatch(new RegExp(`^Wrote \\d+ files \\(\\d+\\.\\d kB\\) to ${out.replace(/[/.]/g, '\\$&')}: html \\d+ files \\d+\\.\\d kB$`, 'm'));
    expect(result.stderr).not.toMatch(/\x1b\[/);
  });

  it('--quiet prints nothing on a clean build; --verbose prints each step as it starts', async () => {
    const out = path.join(scratch.dir, 'quiet', 'dist');
    const quiet = await cli(['build', fixture('valid', 'content'), '--out', out, '--format', 'html', '--quiet']);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout + quiet.stderr).toBe('');
    const verbose = await cli(['build', fixture('valid', 'content'), '--out', out, '--format', 'html', '--verbose']);
    expect(verbose.stderr).toMatch(/^… check\n✓ check/m);
    expect(verbose.stderr).toMatch(/^… html\n/m);
  });

  it('respects NO_COLOR and FORCE_COLOR', () => {
    expect(wantsColor({ isTTY: true }, {})).toBe(true);
    expect(wantsColor({ isTTY: false }, {})).toBe(false);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColor({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
  });
});
