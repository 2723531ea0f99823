import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, fixture } from './helpers.js';

const projectRoot = path.resolve(import.meta.dirname, '..');

describe('coursebook check', () => {
  it('exits 0 and prints a summary on a valid course', async () => {
    const result = await cli(['check', fixture('valid', 'content')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/No problems in 14 files/);
  });

  it('prints compiler-style lines and exits 1 on errors', async () => {
    const result = await cli(['check', fixture('rules', 'lesson-count', 'content')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^01-basics\/section\.md:6:10 {2}error {2}Section 1 declares 3 lessons but has 2\..* {2}lesson-count$/m);
    expect(result.stdout).toMatch(/1 error, 0 warnings in 1 file/);
  });

  it('exits 0 with warnings only, and 1 with --strict', async () => {
    const dir = fixture('rules', 'heading-structure', 'content');
    expect((await cli(['check', dir])).code).toBe(0);
    expect((await cli(['check', dir, '--strict'])).code).toBe(1);
  });

  it('--reporter json prints only a JSON array on stdout', async () => {
    const result = await cli(['check', fixture('rules', 'broken-link', 'content'), '--reporter', 'json']);
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(parsed).toHaveLength(5);
    expect(Object.keys(parsed[0]!)).toEqual(['file', 'line', 'column', 'severity', 'rule', 'message']);
    expect(parsed[0]).toMatchObject({ file: '01-basics/01-a.md', line: 12, column: 5, severity: 'error', rule: 'broken-link' });
  });

  it('--reporter github prints workflow annotations with paths relative to the working folder', async () => {
    const result = await cli(['check', fixture('rules', 'unknown-group', 'content'), '--reporter', 'github'], projectRoot);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^::error file=test\/fixtures\/rules\/unknown-group\/content\/01-basics\/02-b\.md,line=5,col=8,title=unknown-group::Group "Middle" is not declared/),
      expect.stringMatching(/^::warning file=.*04-d\.md,line=5,col=8,title=unknown-group::Lesson 1\.4 returns/),
    ]);
  });

  it('exits 2 with a one-line reason when the folder does not exist', async () => {
    const result = await cli(['check', '/no/such/folder']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('coursebook: No such folder: /no/such/folder. Pass the folder that holds course.yml.\n');
    expect(result.stdout).toBe('');
  });

  it('exits 2 on a bad flag and on an unknown reporter', async () => {
    expect((await cli(['check', '--bogus'])).code).toBe(2);
    const bad = await cli(['check', fixture('valid', 'content'), '--reporter', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Allowed choices are text, json, github/);
  });

  it('exits 2 when the folder has no course.yml', async () => {
    const result = await cli(['check', fixture('rules')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/has no course\.yml: is this a course folder\?/);
  });
});

describe('the installed binary', () => {
  it('runs through bin/coursebook.js with real exit codes and no stack trace', () => {
    const bin = path.join(projectRoot, 'bin', 'coursebook.js');
    const ok = spawnSync(process.execPath, [bin, 'check', fixture('valid', 'content')], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(ok.status).toBe(0);
    const missing = spawnSync(process.execPath, [bin, 'check', 'nowhere'], { encoding: 'utf8' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });
});
