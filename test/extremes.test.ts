import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maxSourceBytes } from '../src/load/source.js';
import { check } from '../src/pipeline.js';
import { cli, scratchDir } from './helpers.js';

const frontmatter = (id: string, minutes = 1): string => `---\nlesson: "${id}"\ntitle: Lesson ${id}\nsummary: A lesson.\nminutes: ${minutes}\n---\n\n`;
const lesson = (id: string, body = 'Some text to read.'): string => `${frontmatter(id)}${body}\n`;
const section = (number: number, intro = ''): string => `---\nsection: ${number}\ntitle: Section ${number}\nsummary: A section.\ngroups: []\n---\n${intro}`;
const prose = 'Consensus lets a cluster agree on one value even when some of its machines fail or go quiet. ';

/** Writes files (path → text) under a folder, creating folders as needed. */
async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
}

/** Checks a course and says how long it took. */
async function timedCheck(dir: string): Promise<{ diagnostics: Awaited<ReturnType<typeof check>>['diagnostics']; ms: number }> {
  const started = performance.now();
  const { diagnostics } = await check(dir, { cache: false });
  return { diagnostics, ms: performance.now() - started };
}

const located = (diagnostics: { file: string; line: number; rule: string; message: string }[]) => diagnostics.map(({ file, line, rule, message }) => ({ file, line, rule, message }));

let scratch: { dir: string; cleanup: () => Promise<void> };

beforeEach(async () => {
  scratch = await scratchDir();
  await writeFiles(scratch.dir, { 'course.yml': 'title: Extremes\n', '01-basics/section.md': section(1) });
});

afterEach(() => scratch.cleanup());

/** Writes one lesson, 01-basics/01-a.md, with this body. */
const writeLesson = (body: string, minutes = 1): Promise<void> => writeFile(path.join(scratch.dir, '01-basics', '01-a.md'), `${frontmatter('1.1', minutes)}${body}\n`);

describe('big files', () => {
  it('a 5 MB lesson is refused unread, at once, with the size in the message', async () => {
    await writeLesson(prose.repeat(Math.ceil((5 * 1024 * 1024) / prose.length)));
    const { diagnostics, ms } = await timedCheck(scratch.dir);
    expect(located(diagnostics)).toEqual([
      { file: '01-basics/01-a.md', line: 1, rule: 'file-unreadable', message: expect.stringMatching(/^This file is 5121 KB; Coursebook reads source files up to 256 KB/) },
    ]);
    expect(ms).toBeLessThan(2_000);
  });

  it('a lesson just under the size limit is read and checked in a second or two', async () => {
    const body = prose.repeat(Math.floor((maxSourceBytes - 200) / prose.length));
    await writeLesson(body);
    const { diagnostics, ms } = await timedCheck(scratch.dir);
    expect(located(diagnostics)).toEqual([{ file: '01-basics/01-a.md', line: 5, rule: 'reading-time', message: expect.stringMatching(/^Lesson 1\.1 declares 1 min, but its [\d,]+ words/) }]);
    expect(ms).toBeLessThan(10_000);
  }, 30_000);

  it('a 100,000-character line is one paragraph like any other', async () => {
    const line = prose.repeat(Math.ceil(100_000 / prose.length)).slice(0, 100_000);
    await writeLesson(line, 71);
    const { diagnostics, ms } = await timedCheck(scratch.dir);
    expect(diagnostics).toEqual([]);
    expect(ms).toBeLessThan(5_000);
  });
});

describe('deep nesting is refused before the parser hangs or overflows the stack', () => {
  const refusedAt = (line: number) => [
    {
      file: '01-basics/01-a.md',
      line,
      rule: 'file-unreadable',
      message: expect.stringMatching(/^This file nests lists, block quotes, emphasis or links about \d+ levels deep; Coursebook reads at most 100/),
    },
  ];

  it.each([
    ['10,000 nested list items on one line', `Intro.\n\n${'- '.repeat(10_000)}deep`, 10],
    ['400 list items nested by indentation (160 KB)', Array.from({ length: 400 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n'), 108],
    ['10,000 nested block quotes', `${'>'.repeat(10_000)} deep`, 8],
    ['10,000 spaced block quotes and lists mixed', `${'> - '.repeat(5000)}deep`, 8],
    ['10,000 nested footnote definitions', `${'[^a]: '.repeat(10_000)}deep`, 8],
    ['10,000 nested emphases', `${'*a '.repeat(10_000)}deep${'*'.repeat(10_000)}`, 8],
    ['10,000 nested links and images', `${'!['.repeat(10_000)}deep${'](x.png)'.repeat(10_000)}`, 8],
  ])(
    '%s',
    async (_name, body, line) => {
      await writeLesson(body);
      const { diagnostics, ms } = await timedCheck(scratch.dir);
      // The refused body still counts as words, so a reading-time warning may come too.
      expect(located(diagnostics.filter((d) => d.rule !== 'reading-time'))).toEqual(refusedAt(line));
      expect(ms).toBeLessThan(5_000);
    },
    20_000,
  );

  it('in a section introduction too, whose frontmatter is still read', async () => {
    await writeFiles(scratch.dir, { '01-basics/section.md': section(1, `${'>'.repeat(10_000)} deep\n`), '01-basics/01-a.md': lesson('1.1') });
    const { diagnostics } = await timedCheck(scratch.dir);
    expect(located(diagnostics)).toEqual([{ file: '01-basics/section.md', line: 7, rule: 'file-unreadable', message: expect.stringContaining('10000 levels deep') }]);
  });

  it('100,000 stray closing brackets on one line are refused instead of parsed for minutes', async () => {
    await writeLesson(']'.repeat(100_000));
    const { diagnostics, ms } = await timedCheck(scratch.dir);
    expect(located(diagnostics)).toEqual([
      { file: '01-basics/01-a.md', line: 8, rule: 'file-unreadable', message: expect.stringMatching(/^This file has 100000 `\*`, `_`, `~` or `\]` that close nothing/) },
    ]);
    expect(ms).toBeLessThan(5_000);
  }, 20_000);

  it('a refused lesson keeps its frontmatter checks and its word count', async () => {
    await writeFile(path.join(scratch.dir, '01-basics', '01-a.md'), `---\nlesson: "1.1"\ntitle: Deep\nminutes: 1\n---\n\n${'>'.repeat(500)} deep words here\n`);
    const { diagnostics } = await timedCheck(scratch.dir);
    expect(diagnostics.map((d) => d.rule)).toEqual(['frontmatter-schema', 'file-unreadable']);
    expect(diagnostics[0]!.message).toContain('Missing required field `summary`');
  });

  it('nesting real courses use (a dozen levels) is read as usual', async () => {
    await writeLesson(`## Top\n\n${Array.from({ length: 12 }, (_, i) => `${'  '.repeat(i)}- level ${i} with *emphasis **and** [a link](#top)*`).join('\n')}\n\n${'> '.repeat(12)}quoted`);
    const { diagnostics } = await timedCheck(scratch.dir);
    expect(diagnostics).toEqual([]);
  });
});

describe('many files', () => {
  it('5,000 lessons in 5 sections load and check cleanly', async () => {
    const many = path.join(scratch.dir, 'many');
    const files: Record<string, string> = { 'course.yml': 'title: Many\n' };
    for (let s = 1; s <= 5; s++) {
      files[`0${s}-part/section.md`] = section(s);
      for (let l = 1; l <= 1000; l++) files[`0${s}-part/${String(l).padStart(4, '0')}-lesson.md`] = lesson(`${s}.${l}`);
    }
    await writeFiles(many, files);
    const { diagnostics, ms } = await timedCheck(many);
    expect(diagnostics).toEqual([]);
    expect(ms).toBeLessThan(60_000);
  }, 120_000);
});

describe('course.yml', () => {
  it('alone is an empty course: no sections and nothing to report, exit 0', async () => {
    const empty = path.join(scratch.dir, 'empty');
    await writeFiles(empty, { 'course.yml': 'title: Empty\n' });
    const { diagnostics, course } = await check(empty, { cache: false });
    expect(diagnostics).toEqual([]);
    expect(course.sections).toEqual([]);
    const result = await cli(['check', empty, '--no-cache']);
    expect(result).toEqual({ code: 0, stdout: '✔ No problems in 1 file.\n', stderr: '' });
  });

  it('as a list instead of a map stops the run with exit 2 and a one-line reason', async () => {
    await writeFile(path.join(scratch.dir, 'course.yml'), '- title: Extremes\n- author: Me\n');
    const result = await cli(['check', scratch.dir, '--no-cache']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^coursebook: Could not parse course\.yml:1:1 in .*: Expected a map of `key: value` fields, found a list or a single value\.\n$/);
  });
});

describe('YAML bombs are refused quickly', () => {
  const laughs = [
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ...'bcdefghi'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
  ].join('\n');

  it('a billion laughs in a lesson frontmatter or a section.md is a frontmatter-syntax diagnostic', async () => {
    await writeFiles(scratch.dir, {
      '01-basics/01-a.md': `---\nlesson: "1.1"\ntitle: A\nsummary: S\nminutes: 1\n${laughs}\n---\n\nText.\n`,
      '01-basics/section.md': `---\nsection: 1\ntitle: T\nsummary: S\n${laughs}\n---\n`,
    });
    const { diagnostics, ms } = await timedCheck(scratch.dir);
    const bombs = diagnostics.filter((d) => d.rule === 'frontmatter-syntax');
    expect(bombs.map((d) => d.file)).toEqual(['01-basics/01-a.md', '01-basics/section.md']);
    expect(bombs[0]!.message).toMatch(/^YAML was refused: Excessive alias count/);
    expect(ms).toBeLessThan(2_000);
  });

  it('a billion laughs in course.yml stops the run with exit 2 and a one-line reason', async () => {
    await writeFile(path.join(scratch.dir, 'course.yml'), `title: Bomb\n${laughs}\n`);
    const started = performance.now();
    const result = await cli(['check', scratch.dir, '--no-cache']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^coursebook: Could not parse course\.yml:1:1 in .*: YAML was refused: Excessive alias count[^\n]*\n$/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('YAML nested 10,000 deep is a syntax diagnostic, not a stack overflow', async () => {
    await writeFile(path.join(scratch.dir, '01-basics', '01-a.md'), `---\nlesson: "1.1"\ntitle: ${'['.repeat(10_000)}${']'.repeat(10_000)}\nsummary: S\nminutes: 1\n---\n\nText.\n`);
    const { diagnostics } = await timedCheck(scratch.dir);
    expect(located(diagnostics)).toEqual([{ file: '01-basics/01-a.md', line: 3, rule: 'frontmatter-syntax', message: expect.stringContaining('YAML does not parse') }]);
  });
});

describe('raw HTML nested thousands deep', () => {
  it('stops the build with exit 2 and a reason naming the lesson, not a stack trace', async () => {
    await writeLesson(`Text.\n\n${'<div>'.repeat(10_000)}deep${'</div>'.repeat(10_000)}\n`);
    const result = await cli(['build', scratch.dir, '--out', path.join(scratch.dir, '..', `${path.basename(scratch.dir)}-dist`), '--format', 'html', '--no-cache']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^coursebook: 01-basics\/01-a\.md: its raw HTML is nested too deeply to render .*Flatten the nested HTML elements\.$/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
