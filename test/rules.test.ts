import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleIds } from '../src/diagnostics/catalogue.js';
import { check } from '../src/pipeline.js';
import { expectMatchesFile, fixture } from './helpers.js';

const ruleFixtures = readdirSync(fixture('rules'));

describe('every rule has a fixture that triggers it', () => {
  const covered = new Set(ruleFixtures);
  // file-unreadable needs a file the test makes unreadable at run time (see robustness tests).
  it.each(ruleIds.filter((id) => id !== 'file-unreadable'))('%s', (id) => {
    expect(covered.has(id)).toBe(true);
  });
});

describe.each(ruleFixtures)('rule fixture %s', (name) => {
  it('reports the expected diagnostics, including its own rule, at the right file and line', async () => {
    const { diagnostics } = await check(fixture('rules', name, 'content'));
    const located = diagnostics.map(({ file, line, column, severity, rule, message }) => ({ file, line, column, severity, rule, message }));
    const { expected, actual } = expectMatchesFile(located, fixture('rules', name, 'expected.json'));
    expect(actual).toEqual(expected);
    expect(diagnostics.some((d) => d.rule === name)).toBe(true);
  });
});

describe('valid fixture', () => {
  it('draws no diagnostics at all', async () => {
    const { diagnostics } = await check(fixture('valid', 'content'));
    expect(diagnostics).toEqual([]);
  });

  it('loads unicode titles, a CRLF file with a BOM, and unquoted lesson numbers up to 3.10', async () => {
    const { course } = await check(fixture('valid', 'content'));
    const section = course.sections[0]!;
    expect(course.config.title).toBe('Ünïcode & <Courses> — 日本語');
    expect(course.config.authors).toEqual(['Ada Lovelace', 'Grace Hopper']);
    expect(section.lessons.map((lesson) => lesson.id)).toEqual(['3.1', '3.2', '3.3', '3.4', '3.5', '3.6', '3.7', '3.8', '3.9', '3.10']);
    const crlf = section.lessons[1]!;
    expect(crlf.title).toBe('Lektion 2: Café ☕');
    expect(crlf.headings.map((h) => h.id)).toEqual(['überblick', 'details']);
    expect(section.groups.map((g) => [g.title, g.lessons.length])).toEqual([
      ['Anfang', 5],
      ['Vertiefung', 5],
    ]);
    expect(path.basename(course.root)).toBe('content');
  });
});
