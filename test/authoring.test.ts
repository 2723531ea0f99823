import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../src/pipeline.js';
import { fixture, scratchCopy } from './helpers.js';

describe('code-fence', () => {
  it('gives no reading-time or broken-link advice that follows only from a swallowing fence, and the fixed lesson reads whole', async () => {
    const broken = await check(fixture('rules', 'code-fence', 'content'));
    expect(broken.diagnostics.filter((d) => d.rule === 'reading-time')).toEqual([]);
    expect(broken.diagnostics.filter((d) => d.rule === 'broken-link').map((d) => d.message)).toEqual([expect.stringContaining('#nope')]);
    const { dir, cleanup } = await scratchCopy(fixture('rules', 'code-fence', 'content'));
    try {
      const lesson = path.join(dir, '01-basics', '01-a.md');
      await writeFile(
        lesson,
        (await readFile(lesson, 'utf8')).replace('````note header="Use `let`"', '~~~~note header="Use `let`"').replace('Prose inside the note.\n````', 'Prose inside the note.\n~~~~'),
      );
      const fixed = await check(dir);
      const a = fixed.course.sections[0]!.lessons[0]!;
      expect(a.headings.map((h) => h.id)).toEqual(['later', 'after']);
      expect(fixed.diagnostics.filter((d) => d.file === '01-basics/01-a.md').map((d) => d.rule)).toEqual(['reading-time']);
    } finally {
      await cleanup();
    }
  });
});
