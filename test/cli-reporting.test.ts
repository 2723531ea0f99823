import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ruleIds } from '../src/diagnostics/catalogue.js';
import { cli, fixture, scratchCopy } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
});

describe('check --list-rules', () => {
  it('prints every rule with its id and default severity, as text and as JSON', async () => {
    const text = await cli(['check', '--list-rules']);
    expect(text.code).toBe(0);
    for (const id of ruleIds) expect(text.stdout).toMatch(new RegExp(`^${id} +(error|warning|off) +\\S`, 'm'));
    const json = await cli(['check', '--list-rules', '--reporter', 'json']);
    expect(JSON.parse(json.stdout).map((entry: { id: string }) => entry.id)).toEqual(ruleIds);
  });
});

describe('related locations', () => {
  it('a duplicate lesson number names the first lesson’s `lesson` line in every reporter', async () => {
    const copy = await scratchCopy(fixture('valid', 'content'));
    cleanups.push(copy.cleanup);
    writeFileSync(path.join(copy.dir, '04-more', '02-again.md'), `---\nlesson: "4.1"\ntitle: Again\nsummary: A second 4.1.\nminutes: 1\n---\n\nSome words here.\n`);
    const json = JSON.parse((await cli(['check', copy.dir, '--reporter', 'json'])).stdout) as { rule: string; file: string; related?: { file: string; line: number; column: number } }[];
    const duplicate = json.find((d) => d.rule === 'lesson-number' && d.file === '04-more/02-again.md' && d.related);
    expect(duplicate?.related).toEqual({ file: '04-more/01-more.md', line: 2, column: 9 });
    const text = (await cli(['check', copy.dir])).stdout;
    expect(text).toContain('related: 04-more/01-more.md:2:9');
    const github = (await cli(['check', copy.dir, '--reporter', 'github'], copy.dir)).stdout;
    expect(github).toContain('(related: 04-more/01-more.md:2:9)');
  });
});

describe('COURSEBOOK_DEBUG', () => {
  it('prints the cause chain of an error that stops the run', async () => {
    const before = process.env.COURSEBOOK_DEBUG;
    process.env.COURSEBOOK_DEBUG = '1';
    try {
      const result = await cli(['check', path.join(fixture('valid'), 'no-such-folder')]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^coursebook: .+\n/);
      expect(result.stderr).toMatch(/\n\s+at /);
    } finally {
      if (before === undefined) delete process.env.COURSEBOOK_DEBUG;
      else process.env.COURSEBOOK_DEBUG = before;
    }
  });
});
