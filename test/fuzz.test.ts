import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Nodes } from 'mdast';
import { VFile } from 'vfile';
import { stringify } from 'yaml';
import { isRuleId } from '../src/diagnostics/catalogue.js';
import { CoursebookError } from '../src/shared/errors.js';
import { parseMarkdown } from '../src/markdown/parse.js';
import { maxNesting, measureMarkdown } from '../src/markdown/parse-limits.js';
import { check } from '../src/pipeline.js';
import { cli, scratchDir } from './helpers.js';

// Each property runs at most `numRuns` times and stops early after `interruptAfterTimeLimit`, so the
// file stays within about a minute on two cores; a single run that takes `timeout` fails it (a hang).
// A failure prints fast-check's seed and path: rerun with `{ seed, path }` in `bounds` to replay it.
const bounds = { numRuns: 500, interruptAfterTimeLimit: 15_000, timeout: 10_000 };
const testTimeout = 60_000;

const markdownTokens = [
  '#',
  '## ',
  '###### ',
  '\n',
  '\n\n',
  '\r\n',
  ' ',
  '   ',
  '    ',
  '\t',
  '*',
  '**',
  '_',
  '__',
  '~',
  '~~',
  '`',
  '``',
  '```',
  '```js\n',
  '~~~\n',
  '>',
  '> ',
  '- ',
  '* ',
  '+ ',
  '1. ',
  '2) ',
  '[',
  ']',
  '(',
  ')',
  '![',
  '](',
  '[^1]',
  '[^1]: ',
  '[x]: ',
  '<',
  '<div>',
  '</div>',
  '<!--',
  '-->',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '|',
  '| a | b |\n|---|---|\n',
  '---',
  '===',
  '\\',
  '&amp;',
  '&#0;',
  '&#x110000;',
  'http://example.com',
  'www.example.com',
  'a@b.co',
  './02-b.md',
  './02-b.md#intro',
  '../01-basics/01-a.md',
  '#intro',
  './pic.png',
  '/x.png',
  '../../outside.png',
  '%20',
  '%',
  '%ZZ',
  'word',
  'Wörter',
  '日本語',
  '😀',
  '\u0000',
  '\uFEFF',
  '\u202E',
  '\uD800',
  ':',
  '$$',
  '{',
  '}',
  '"',
  "'",
];
const yamlTokens = [
  'lesson',
  'section',
  'title',
  'summary',
  'minutes',
  'group',
  'groups',
  'lessons',
  'readingTime',
  'rules',
  'readingSpeed',
  'author',
  'language',
  '__proto__',
  'constructor',
  ': ',
  ':',
  '- ',
  '\n',
  '  ',
  '\t',
  '[',
  ']',
  '{',
  '}',
  ',',
  '"',
  "'",
  '&a ',
  '*a',
  '!!str ',
  '!!int ',
  '!foo ',
  '? ',
  '|',
  '>',
  '#',
  '%YAML 1.2\n',
  '---\n',
  '...\n',
  '1.1',
  '4.10',
  '-1',
  '1e309',
  '0x1F',
  '.nan',
  '~',
  'null',
  'true',
  'no',
  '"\\u0000"',
  'x',
  'ü',
];

const tokens = (from: string[], maxLength: number) => fc.array(fc.constantFrom(...from), { maxLength }).map((parts) => parts.join(''));

/** Link and image targets: lessons, anchors, assets, outside paths, schemes and broken escapes. */
const url = fc.oneof(
  fc.constantFrom(
    './02-b.md',
    './02-b.md#intro',
    '02-B.md',
    '#intro',
    '#',
    '../01-basics/01-a.md',
    '../01-basics/',
    './',
    '.',
    '..',
    './pic.png',
    '/pic.png',
    'pic.png?x=1#y',
    '../../outside.png',
    '/../../etc/passwd',
    '%ZZ',
    '%',
    '%2e%2e/%2e%2e/x',
    'a%2Fb.md',
    'a%00.md',
    './a b.md',
    '<./a b.md>',
    'http://example.com',
    '//host/x',
    'mailto:a@b.co',
    'javascript:alert(1)',
    'data:image/png;base64,AAAA',
    'file:///etc/passwd',
    '',
    ' ',
    '#%E0%A4%A',
  ),
  fc.string({ maxLength: 20 }),
);
const text = fc.oneof(fc.constantFrom('intro', 'Intro', 'a b', 'Wörter', '日本語', '😀', ''), fc.string({ maxLength: 12 }));
const inline = fc.oneof(
  text,
  fc.tuple(text, url).map(([label, target]) => `[${label}](${target})`),
  fc.tuple(text, url).map(([alt, target]) => `![${alt}](${target})`),
  fc.tuple(text, url).map(([label, target]) => `[${label}](${target} "title")`),
  text.map((t) => `*${t}*`),
  text.map((t) => `**${t}**`),
  text.map((t) => `~~${t}~~`),
  text.map((t) => `\`${t}\``),
  text.map((t) => `[^${t}]`),
  url.map((target) => `<${target}>`),
  fc.constantFrom(...markdownTokens),
);
const line = fc.array(inline, { maxLength: 8 }).map((parts) => parts.join(' '));
/** Markdown built from real constructs, nested a few levels, with random text, links and noise. */
const { block } = fc.letrec((tie) => ({
  block: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    line,
    fc.tuple(fc.integer({ min: 1, max: 7 }), line).map(([level, heading]) => `${'#'.repeat(level)} ${heading}`),
    fc.array(tie('block') as fc.Arbitrary<string>, { maxLength: 3 }).map((items) => items.map((item) => `- ${item.replaceAll('\n', '\n  ')}`).join('\n')),
    fc.array(tie('block') as fc.Arbitrary<string>, { maxLength: 3 }).map((items) => items.map((item, i) => `${i + 1}. ${item.replaceAll('\n', '\n   ')}`).join('\n')),
    (tie('block') as fc.Arbitrary<string>).map((quoted) =>
      quoted
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n'),
    ),
    fc.tuple(fc.constantFrom('', 'js', 'ts', 'python', 'nope', '{.x}', 'mermaid-not'), fc.string({ maxLength: 40 })).map(([lang, code]) => `\`\`\`${lang}\n${code}\n\`\`\``),
    fc
      .array(fc.array(inline, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 })
      .map((rows) => [`| ${rows[0]!.join(' | ')} |`, `|${rows[0]!.map(() => '---').join('|')}|`, ...rows.slice(1).map((row) => `| ${row.join(' | ')} |`)].join('\n')),
    fc.tuple(text, line).map(([label, note]) => `[^${label}]: ${note}`),
    fc.tuple(text, url).map(([label, target]) => `[${label}]: ${target}`),
    fc.constantFrom('---', '***', '<div>\n<p>raw</p>\n</div>', '<!-- a comment -->', '<script>alert(1)</script>', '<details><summary>x</summary>'),
  ),
}));
const structured = fc.array(block, { maxLength: 8 }).map((blocks) => blocks.join('\n\n'));
const markdown = fc.oneof(
  { weight: 4, arbitrary: structured },
  { weight: 2, arbitrary: tokens(markdownTokens, 120) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
);
const yamlText = fc.oneof(
  tokens(yamlTokens, 40),
  fc.jsonValue({ maxDepth: 4 }).map((value) => stringify(value)),
  fc
    .record(
      {
        lesson: fc.oneof(fc.constantFrom('1.1', '1.2', '2.1', '1.10', '1', 'x.y', ''), fc.double(), fc.integer()),
        title: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
        summary: fc.string(),
        minutes: fc.oneof(fc.integer({ min: -5, max: 500 }), fc.double(), fc.string()),
        group: fc.oneof(fc.constantFrom('A', 'B'), fc.string()),
        section: fc.oneof(fc.integer({ min: -2, max: 3 }), fc.string()),
        groups: fc.array(fc.oneof(fc.constantFrom('A', 'B'), fc.string()), { maxLength: 3 }),
        lessons: fc.integer({ min: -1, max: 5 }),
        readingTime: fc.oneof(fc.constantFrom('1 min', '~1.7 h', '2 min'), fc.string()),
      },
      { requiredKeys: [] },
    )
    .map((fields) => stringify(fields)),
);
/** A source file: random bytes, or random frontmatter over a random body. */
const sourceFile = fc.oneof(
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }) },
  { weight: 4, arbitrary: fc.tuple(yamlText, markdown).map(([yaml, body]) => `---\n${yaml}\n---\n${body}`) },
  { weight: 1, arbitrary: markdown },
);
const fileName = fc.oneof(
  fc.constantFrom('01-a.md', '02-b.md', '02-B.md', '1-x.md', '10-z.md', 'x.md', 'a b.md', 'ü.md', 'README.md', '03-c.MD', '#x?.md'),
  fc.stringMatching(/^[\w .%#?-]{1,12}\.md$/),
);
const courseYml = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('title: Fuzz\n', 'title: Fuzz\nreadingSpeed: 1\nrules: { reading-time: off }\n') },
  { weight: 1, arbitrary: yamlText },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
);
const course = fc.record({
  courseYml,
  sectionDir: fc.constantFrom('01-basics', '02-basics', 'basics', '00-x', '99999999999999999999-big'),
  sectionMd: fc.option(sourceFile, { nil: undefined }),
  lessons: fc.array(fc.tuple(fileName, sourceFile), { maxLength: 4 }),
  picture: fc.boolean(),
});

/** One generated course, as `withCourse` writes it. */
type GeneratedCourse = typeof course extends fc.Arbitrary<infer Generated> ? Generated : never;

let scratch: { dir: string; cleanup: () => Promise<void> };
let runs = 0;

beforeAll(async () => {
  scratch = await scratchDir();
});

afterAll(() => scratch.cleanup());

/** Writes a generated course into a fresh folder, runs `work` on it, and removes the folder. */
async function withCourse<T>(generated: GeneratedCourse, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = path.join(scratch.dir, `run-${++runs}`);
  const sectionDir = path.join(dir, generated.sectionDir);
  await mkdir(sectionDir, { recursive: true });
  await writeFile(path.join(dir, 'course.yml'), generated.courseYml);
  if (generated.sectionMd !== undefined) await writeFile(path.join(sectionDir, 'section.md'), generated.sectionMd);
  for (const [name, text] of generated.lessons) await writeFile(path.join(sectionDir, name), text);
  if (generated.picture) await writeFile(path.join(sectionDir, 'pic.png'), 'not an image');
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('fuzzing: random input gives diagnostics or exit 2, never a crash or a hang', () => {
  it(
    'check() returns well-formed diagnostics, or rejects only with a CoursebookError',
    async () => {
      await fc.assert(
        fc.asyncProperty(course, (generated) =>
          withCourse(generated, async (dir) => {
            let result: Awaited<ReturnType<typeof check>>;
            try {
              result = await check(dir, { cache: false });
            } catch (error) {
              expect(error).toBeInstanceOf(CoursebookError);
              expect((error as Error).message).not.toContain('\n');
              return;
            }
            for (const d of result.diagnostics) {
              expect(isRuleId(d.rule), d.rule).toBe(true);
              expect(d.file.length).toBeGreaterThan(0);
              expect(d.line).toBeGreaterThanOrEqual(1);
              expect(d.column).toBeGreaterThanOrEqual(1);
              expect(d.message.length).toBeGreaterThan(0);
            }
          }),
        ),
        bounds,
      );
    },
    testTimeout,
  );

  it(
    'the CLI exits 0, 1 or 2; 2 comes with a one-line reason; stderr never holds a stack trace',
    async () => {
      await fc.assert(
        fc.asyncProperty(course, fc.constantFrom('text', 'json', 'github'), (generated, reporter) =>
          withCourse(generated, async (dir) => {
            const result = await cli(['check', dir, '--no-cache', '--reporter', reporter], dir);
            expect([0, 1, 2]).toContain(result.code);
            expect(result.stderr).not.toMatch(/\n\s+at /);
            expect(result.stderr).not.toContain('unexpected failure');
            if (result.code === 2) {
              expect(result.stderr).toMatch(/^coursebook: [^\n]+\n$/);
              expect(result.stdout).toBe('');
            } else if (reporter === 'json') {
              expect(Array.isArray(JSON.parse(result.stdout))).toBe(true);
            }
          }),
        ),
        bounds,
      );
    },
    testTimeout,
  );

  it(
    'a single lesson of random Markdown under valid frontmatter is always parsed or refused with a diagnostic',
    async () => {
      const body = fc.oneof(markdown, tokens(markdownTokens, 2000));
      await fc.assert(
        fc.asyncProperty(body, (text) =>
          withCourse(
            {
              courseYml: 'title: Fuzz\n',
              sectionDir: '01-basics',
              sectionMd: '---\nsection: 1\ntitle: B\nsummary: S\ngroups: []\n---\n',
              lessons: [['01-a.md', `---\nlesson: "1.1"\ntitle: A\nsummary: S\nminutes: 1\n---\n\n${text}`]],
              picture: true,
            },
            async (dir) => {
              const { diagnostics, course: loaded } = await check(dir, { cache: false });
              expect(loaded.sections[0]!.lessons).toHaveLength(1);
              expect(diagnostics.every((d) => isRuleId(d.rule))).toBe(true);
            },
          ),
        ),
        bounds,
      );
    },
    testTimeout,
  );

  it(
    'the nesting estimate is never below the real nesting, so no deep file slips past the guard',
    async () => {
      const wrapper = fc.constantFrom<(inner: string) => string>(
        (inner) => `- ${inner.replaceAll('\n', '\n  ')}`,
        (inner) => `- item\n\n  ${inner.replaceAll('\n', '\n  ')}`,
        (inner) => `1. ${inner.replaceAll('\n', '\n   ')}`,
        (inner) => `1) item\n   ${inner.replaceAll('\n', '\n   ')}`,
        (inner) => `> ${inner.replaceAll('\n', '\n> ')}`,
        (inner) => `> quoted\n>\n> ${inner.replaceAll('\n', '\n> ')}`,
        (inner) => `[^n]: ${inner.replaceAll('\n', '\n    ')}`,
        (inner) => `[^n]: note\n\n    ${inner.replaceAll('\n', '\n    ')}`,
        (inner) => `  ${inner}`,
        (inner) => `*${inner}*`,
        (inner) => `**${inner}**`,
        (inner) => `_${inner}_`,
        (inner) => `~~${inner}~~`,
        (inner) => `[${inner}](x)`,
        (inner) => `![${inner}](x)`,
        (inner) => `${inner}\n\nAfter.`,
      );
      // Runs of one construct, so that a construct the estimate misses shows as a big gap.
      const wraps = fc.array(fc.tuple(wrapper, fc.integer({ min: 1, max: 40 })), { maxLength: 4 }).map((runs) => runs.flatMap(([wrap, times]) => Array<typeof wrap>(times).fill(wrap)));
      const nested = fc.tuple(wraps, line).map(([all, core]) => all.reduce((inner, wrap) => wrap(inner), core));
      const treeDepth = (node: Nodes): number => ('children' in node ? 1 + Math.max(0, ...node.children.map(treeDepth)) : 0);
      await fc.assert(
        fc.asyncProperty(nested, async (text) => {
          const estimate = measureMarkdown(text).nesting.depth;
          const file = new VFile({ value: text });
          const tree = parseMarkdown(file);
          if (estimate > maxNesting) return;
          // Refusals only: a formula or directive in random text may draw its own diagnostic.
          expect(file.messages.filter((message) => message.ruleId === 'file-unreadable')).toEqual([]);
          // Each level is at most a list and its item; then a paragraph or a table, and inline levels.
          expect(treeDepth(tree)).toBeLessThanOrEqual(3 * estimate + 5);
        }),
        bounds,
      );
    },
    testTimeout,
  );
});
