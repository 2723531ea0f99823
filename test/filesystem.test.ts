import { execFileSync } from 'node:child_process';
import { mkdir, open, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maxSourceBytes } from '../src/load/source.js';
import { check } from '../src/pipeline.js';
import { cli, scratchDir } from './helpers.js';

const lesson = (id: string, body = 'Some text to read.'): string => `---\nlesson: "${id}"\ntitle: Lesson ${id}\nsummary: A lesson.\nminutes: 1\n---\n\n${body}\n`;
const section = (number: number): string => `---\nsection: ${number}\ntitle: Section ${number}\nsummary: A section.\ngroups: []\n---\n`;

/** Writes files (path → text) under a folder, creating folders as needed. */
async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
}

const located = (diagnostics: { file: string; line: number; rule: string; message: string }[]) => diagnostics.map(({ file, line, rule, message }) => ({ file, line, rule, message }));

let scratch: { dir: string; cleanup: () => Promise<void> };
let content: string;
let outside: string;

beforeEach(async () => {
  scratch = await scratchDir();
  content = path.join(scratch.dir, 'content');
  outside = path.join(scratch.dir, 'outside');
  await writeFiles(content, { 'course.yml': 'title: Files\n', '01-basics/section.md': section(1), '01-basics/01-a.md': lesson('1.1') });
  await writeFiles(outside, { 'secret.md': lesson('1.2', 'A secret.'), 'pic.png': 'not an image', 'folder/section.md': section(2), 'folder/01-x.md': lesson('2.1') });
});

afterEach(() => scratch.cleanup());

describe('symlinks that leave the content root count as outside', () => {
  it('a lesson file symlink is reported and never read', async () => {
    await symlink(path.join(outside, 'secret.md'), path.join(content, '01-basics', '02-b.md'));
    const { diagnostics, course } = await check(content, { cache: false });
    expect(located(diagnostics)).toEqual([{ file: '01-basics/02-b.md', line: 1, rule: 'asset-outside-content', message: expect.stringContaining('points outside the content root') }]);
    expect(course.sections[0]!.lessons.map((l) => l.path)).toEqual(['01-basics/01-a.md']);
  });

  it('a section folder symlink is reported and never listed', async () => {
    await symlink(path.join(outside, 'folder'), path.join(content, '02-linked'));
    const { diagnostics, course } = await check(content, { cache: false });
    expect(located(diagnostics)).toEqual([{ file: '02-linked', line: 1, rule: 'asset-outside-content', message: expect.stringContaining('points outside the content root') }]);
    expect(course.sections).toHaveLength(1);
  });

  it('an image symlink is reported at the reference', async () => {
    await symlink(path.join(outside, 'pic.png'), path.join(content, '01-basics', 'pic.png'));
    await writeFile(path.join(content, '01-basics', '01-a.md'), lesson('1.1', 'Look.\n\n![A picture](./pic.png)'));
    const { diagnostics } = await check(content, { cache: false });
    expect(located(diagnostics)).toEqual([{ file: '01-basics/01-a.md', line: 10, rule: 'asset-outside-content', message: expect.stringContaining('`./pic.png` resolves outside') }]);
  });
});

describe('symlink loops end', () => {
  it('a lesson, a section folder and an image that loop are reported, without hanging', async () => {
    await symlink('03-c.md', path.join(content, '01-basics', '02-b.md'));
    await symlink('02-b.md', path.join(content, '01-basics', '03-c.md'));
    await symlink('02-self', path.join(content, '02-self'));
    await symlink('..', path.join(content, '01-basics', 'up'));
    await symlink('loop.png', path.join(content, '01-basics', 'loop.png'));
    await writeFile(path.join(content, '01-basics', '01-a.md'), lesson('1.1', 'Look.\n\n![A loop](./loop.png)\n\n![Up and back](./up/01-basics/up/01-basics/up/course.yml)'));
    const { diagnostics } = await check(content, { cache: false });
    expect(located(diagnostics)).toEqual([
      { file: '01-basics/01-a.md', line: 10, rule: 'missing-asset', message: expect.stringContaining('`./loop.png` does not exist') },
      { file: '01-basics/02-b.md', line: 1, rule: 'file-unreadable', message: expect.stringContaining('ELOOP') },
      { file: '01-basics/03-c.md', line: 1, rule: 'file-unreadable', message: expect.stringContaining('ELOOP') },
      { file: '02-self', line: 1, rule: 'file-unreadable', message: expect.stringContaining('ELOOP') },
    ]);
  }, 10_000);
});

describe('what cannot be read is a diagnostic, not a crash or a hang', () => {
  // Tests run as root, where chmod 000 does not stop reads: these make the read itself fail.
  it('a FIFO named like a lesson is reported and never opened for a blocking read', async () => {
    execFileSync('mkfifo', [path.join(content, '01-basics', '02-b.md')]);
    const { diagnostics } = await check(content, { cache: false });
    expect(located(diagnostics)).toEqual([{ file: '01-basics/02-b.md', line: 1, rule: 'file-unreadable', message: expect.stringContaining('not a regular file') }]);
  }, 10_000);

  it('a folder named like a lesson, or named section.md, is reported', async () => {
    await mkdir(path.join(content, '01-basics', '02-b.md'));
    await mkdir(path.join(content, '02-more', 'section.md'), { recursive: true });
    const { diagnostics } = await check(content, { cache: false });
    expect(located(diagnostics)).toEqual([
      { file: '01-basics/02-b.md', line: 1, rule: 'file-unreadable', message: expect.stringContaining('This is a folder, not a file') },
      { file: '02-more/section.md', line: 1, rule: 'file-unreadable', message: expect.stringContaining('This is a folder, not a file') },
    ]);
  });

  it('a lesson bigger than the limit is refused unread (here a sparse 3 GB file, which Node cannot even read whole)', async () => {
    const handle = await open(path.join(content, '01-basics', '02-b.md'), 'w');
    await handle.truncate(3 * 1024 ** 3);
    await handle.close();
    const started = performance.now();
    const { diagnostics } = await check(content, { cache: false });
    expect(located(diagnostics)).toEqual([
      {
        file: '01-basics/02-b.md',
        line: 1,
        rule: 'file-unreadable',
        message: `This file is 3145728 KB; Coursebook reads source files up to ${maxSourceBytes / 1024} KB, so it is not read. Split it into smaller lessons, and keep images in files.`,
      },
    ]);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('a course.yml that is a FIFO stops the run with exit 2 instead of waiting for a writer', async () => {
    const fifoCourse = path.join(scratch.dir, 'fifo-course');
    await mkdir(fifoCourse);
    execFileSync('mkfifo', [path.join(fifoCourse, 'course.yml')]);
    const result = await cli(['check', fifoCourse, '--no-cache']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`coursebook: ${path.join(fifoCourse, 'course.yml')} is not a regular file. Make course.yml a file with at least \`title: …\`.\n`);
  }, 10_000);
});

describe('file names', () => {
  it('with spaces and unicode load, and links to them with %20 and raw unicode resolve', async () => {
    await writeFiles(content, {
      '01-basics/02-hello world.md': lesson('1.2', '## Grüße aus Köln\n\nText.'),
      '01-basics/03-café ☕.md': lesson('1.3'),
      '01-basics/my picture.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
      '01-basics/bild-ü.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
      '01-basics/01-a.md': lesson(
        '1.1',
        [
          'See [hello](./02-hello%20world.md#grüße-aus-köln), [café](./03-café%20☕.md) and [café again](<./03-café ☕.md>).',
          '',
          '![A picture](./my%20picture.svg)',
          '',
          '![Ein Bild](./bild-ü.svg)',
        ].join('\n'),
      ),
    });
    const { diagnostics, course } = await check(content, { cache: false });
    expect(diagnostics).toEqual([]);
    expect(course.sections[0]!.lessons.map((l) => l.slug)).toEqual(['a', 'hello world', 'café ☕']);
    const targets = course.sections[0]!.lessons[0]!.references.map((r) => r.target.kind);
    expect(targets).toEqual(['lesson', 'lesson', 'lesson', 'asset', 'asset']);
  });

  it('that differ only in case are reported by file-name-case: lessons, section folders, and images beside a referenced one', async () => {
    await writeFiles(content, {
      '01-basics/02-Intro.md': lesson('1.2'),
      '01-basics/02-intro.md': lesson('1.3'),
      '01-Basics/section.md': section(1),
      'images/icons/Logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
      'images/icons/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
      '01-basics/01-a.md': lesson('1.1', '![The logo](../images/icons/Logo.svg)'),
    });
    const { diagnostics } = await check(content, { cache: false });
    const nameCase = diagnostics.filter((d) => d.rule === 'file-name-case');
    expect(nameCase.map(({ file, related, severity }) => ({ file, related: related?.file, severity }))).toEqual([
      { file: '01-basics', related: '01-Basics', severity: 'error' },
      { file: '01-basics/02-intro.md', related: '01-basics/02-Intro.md', severity: 'error' },
      { file: 'images/icons/logo.svg', related: 'images/icons/Logo.svg', severity: 'error' },
    ]);
    expect(nameCase[1]!.message).toBe(
      '`01-basics/02-intro.md` and `01-basics/02-Intro.md` differ only in letter case: macOS and Windows see one name, so a checkout there keeps only one of them. Rename one.',
    );
  });

  it('that differ only in how an accent is encoded are reported too', async () => {
    await writeFiles(content, { '01-basics/caf\u00e9.svg': '<svg/>', '01-basics/cafe\u0301.svg': '<svg/>' });
    const { diagnostics } = await check(content, { cache: false });
    expect(located(diagnostics)).toEqual([{ file: '01-basics/caf\u00e9.svg', line: 1, rule: 'file-name-case', message: expect.stringContaining('how an accent is encoded') }]);
  });
});
