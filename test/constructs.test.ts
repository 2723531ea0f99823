import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { pathToFileURL } from 'node:url';
import { HtmlValidate } from 'html-validate';
import type { Browser } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSession } from '../src/browser/chromium.js';
import { check } from '../src/pipeline.js';
import { fixture } from './helpers.js';
import { buildInto, readTree } from './site.js';
import { epubcheck } from './epubcheck.js';
import { axeViolations } from './axe.js';

const content = fixture('constructs', 'content');
let site: { out: string; cleanup: () => Promise<void> };
const session = browserSession();
let browser: Browser;

beforeAll(async () => {
  site = await buildInto(content, ['html', 'json', 'epub', 'pdf']);
  browser = await session.get();
});

afterAll(async () => {
  await session.close();
  await site?.cleanup();
});

const page = (file: string): string => readFileSync(path.join(site.out, file), 'utf8');
const lessonPage = '01-quorums/02-quorums.html';
const markers = [':::', '[!NOTE]', '[!TIP]', '[!WARNING]', '$$'];
const _run = promisify(execFile);

/** Every text document of an EPUB (chapters, package, navigation). */
async function bookTexts(bytes: Buffer): Promise<string[]> {
  const zip = await JSZip.loadAsync(bytes);
  return Promise.all(
    Object.values(zip.files)
      .filter((entry) => /\.(xhtml|opf|ncx|css)$/.test(entry.name))
      .map((entry) => entry.async('string')),
  );
}

describe('the constructs course', () => {
  it('checks clean, and keeps exercise and quiz words out of reading time', async () => {
    const { course, diagnostics } = await check(content);
    expect(diagnostics).toEqual([]);
    const lesson = course.sections[0]!.lessons[1]!;
    expect(lesson.practice.exercises.map((e) => [e.id, e.position, e.title, e.difficulty, e.minutes, e.declaredMinutes, e.assesses])).toEqual([
      ['quorum-overlap', 1, 'Quorum overlap', 'medium', 5, true, [1]],
      ['failure-budget', 2, 'A failure budget', 'hard', 1, false, [2]],
    ]);
    expect(lesson.practice.quizzes.map((q) => [q.id, q.question])).toEqual([['q-condition', 'Which setting lets a read of a five-replica store miss the latest write?']]);
    expect(lesson.practice.minutes).toBe(7);
    // The reading words are the prose only: the exercises' and quiz's words are practice.
    expect(lesson.words + lesson.practice.words).toBeGreaterThan(lesson.words);
    expect(lesson.practice.words).toBeGreaterThan(100);
    expect(lesson.objectives).toHaveLength(2);
    expect(lesson.requires).toEqual(['1.1']);
  });
});

describe('the site', () => {
  it('numbers exercises per lesson, hides solutions in <details>, and shows objectives, prerequisites and practice time', () => {
    const html = page(lessonPage);
    expect(html).toContain('<span class="exercise-number">Exercise 1.2.1</span> <span class="exercise-title">Quorum overlap</span>');
    expect(html).toContain('<span class="exercise-number">Exercise 1.2.2</span>');
    expect(html).toMatch(/<details class="solution"><summary>Show solution<\/summary>/);
    expect(html).toContain('<section class="exercise" id="quorum-overlap"');
    expect(html).toContain('<h2 class="lesson-aims-title">You will learn</h2>');
    expect(html).toContain('<h2 class="lesson-aims-title">Before this lesson</h2>');
    expect(html).toContain('<a href="../01-quorums/01-replicas.html"><span class="lesson-number">1.1</span> Replicas and Votes</a>');
    expect(html).toContain('1 min read<span class="separator" aria-hidden="true"> · </span><span class="lesson-practice">7 min practice</span>');
    expect(page('01-quorums/index.html')).toContain('2 lessons · 2 min reading · 8 min practice');
  });

  it('renders callouts as asides with an icon and a label, and math as MathML with its TeX as text alternative', () => {
    const html = page(lessonPage);
    for (const [kind, label] of [
      ['note', 'Note'],
      ['tip', 'Tip'],
      ['important', 'Important'],
      ['warning', 'Warning'],
      ['caution', 'Caution'],
    ]) {
      expect(html).toMatch(
        new RegExp(
          `<aside class="callout callout-${kind}" role="note"><p class="callout-label"><svg class="callout-icon"[^>]*aria-hidden="true"[^>]*>.*?</svg><span class="callout-kind">${label}</span>`,
        ),
      );
    }
    expect(html).toContain('<span class="callout-title">Count before you configure</span>');
    expect(html).toMatch(/<div class="math-display"><math display="block"[^>]*alttext="w \+ r > n"><semantics>.*<annotation encoding="application\/x-tex">w \+ r > n<\/annotation>/);
    expect(html).not.toContain('<script src="https://');
  });

  it('loads the quiz script only on pages with a quiz, and keeps the answer out of the option list', () => {
    expect(page(lessonPage)).toContain('<script src="../assets/quiz.js" defer></script>');
    expect(page('01-quorums/01-replicas.html')).toContain('<script src="../assets/quiz.js" defer></script>');
    expect(page('index.html')).not.toContain('quiz.js');
    expect(page(lessonPage)).not.toMatch(/<input[^>]*checked/);
  });

  it('writes no literal directive, alert or display-math markers in any file', async () => {
    for (const [file, bytes] of await readTree(site.out)) {
      const texts = file.endsWith('.epub') ? await bookTexts(bytes) : /\.(html|json|js)$/.test(file) ? [bytes.toString('utf8')] : [];
      for (const text of texts) for (const marker of markers) expect(text.includes(marker), `${file} has ${marker}`).toBe(false);
    }
  });

  it('passes html-validate', async () => {
    const validator = new HtmlValidate({ extends: ['html-validate:recommended'], rules: { 'no-inline-style': 'off', 'no-trailing-whitespace': 'off', 'long-title': 'off' } });
    for (const file of [...(await readTree(site.out)).keys()].filter((f) => f.endsWith('.html'))) {
      const report = await validator.validateString(page(file), file);
      expect(report.results.flatMap((result) => result.messages.map((m) => `${file}:${m.line}:${m.column} ${m.ruleId} ${m.message}`))).toEqual([]);
    }
  });

  it('has no axe-core violations in light and dark mode, with the quiz script running and a quiz answered', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const tab = await browser.newPage();
      await tab.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      await tab.goto(pathToFileURL(path.join(site.out, lessonPage)).href, { waitUntil: 'load' });
      await tab.click('#q-condition .quiz-option:nth-child(2) label');
      await tab.click('#q-condition .quiz-check');
      expect(await tab.$eval('#q-condition .quiz-feedback', (el) => el.textContent)).toBe('Not quite. Try again, or show the answer.');
      await tab.click('#q-condition .quiz-option:nth-child(1) label');
      await tab.click('#q-condition .quiz-check');
      expect(await tab.$eval('#q-condition .quiz-feedback', (el) => el.textContent)).toBe('Right.');
      expect(await tab.$eval('#q-condition details.quiz-answer', (el) => (el as HTMLDetailsElement).open)).toBe(true);
      const violations = await axeViolations(tab);
      await tab.close();
      expect(violations, scheme).toEqual([]);
    }
  });
});

describe('the EPUB', () => {
  const books = ['downloads/01-quorums.epub', 'downloads/quorums-in-practice.epub'];

  it.each(books)('%s passes epubcheck with no errors and no warnings', async (book) => {
    expect(await epubcheck(readFileSync(path.join(site.out, book)))).toEqual([]);
  });

  it('collects solutions and quiz answers at the end of the book, linked both ways, and declares MathML', async () => {
    const zip = await JSZip.loadAsync(readFileSync(path.join(site.out, books[0]!)));
    const text = (name: string): Promise<string> => zip.file(`OEBPS/${name}`)!.async('string');
    const [lesson, solutions, opf, nav] = await Promise.all([text('lesson-1.2.xhtml'), text('solutions.xhtml'), text('content.opf'), text('toc.xhtml')]);
    expect(lesson).not.toContain('<details');
    expect(lesson).toContain('<section class="exercise" id="quorum-overlap" aria-labelledby="quorum-overlap-label" epub:type="practice">');
    expect(lesson).toContain('<section class="quiz" id="q-condition" aria-labelledby="q-condition-label" epub:type="assessment"');
    expect(lesson).toContain('<a href="solutions.xhtml#solution-1.2-quorum-overlap">Solution at the end of the book</a>');
    expect(lesson).toMatch(/<aside class="callout callout-warning" role="note">/);
    expect(lesson).toContain('<math display="block" class="tml-display" style="display:block math;" alttext="w + r > n" xmlns="http://www.w3.org/1998/Math/MathML">');
    expect(solutions).toContain('<section class="solutions" epub:type="appendix" role="doc-appendix" aria-labelledby="solutions-title">');
    expect(solutions).toContain('<section class="solution-entry" id="solution-1.2-quorum-overlap"');
    expect(solutions).toContain('<a href="lesson-1.2.xhtml#quorum-overlap" role="doc-backlink">Solution to Exercise 1.2.1</a>');
    expect(solutions).toContain('<a href="lesson-1.2.xhtml#failure-budget" role="doc-backlink">Solution to Exercise 1.2.2</a>');
    expect(solutions).toContain('<a href="lesson-1.1.xhtml#q-majority" role="doc-backlink">Answer to Quiz 1.1.1</a>');
    expect(solutions).toContain('Right answer: A');
    expect(solutions).toContain('Raise');
    expect(opf).toMatch(/<item id="lesson-1-2" href="lesson-1.2.xhtml" media-type="application\/xhtml\+xml" properties="mathml svg"\/>/);
    expect(opf).toMatch(/<item id="solutions" href="solutions.xhtml" media-type="application\/xhtml\+xml" properties="mathml"\/>/);
    expect(nav).toContain('<a href="solutions.xhtml">Solutions</a>');
  });
});

describe('the PDF', () => {
  /** The text of each page; index 0 is page 1. */
  const pageTexts = (book: string): string[] =>
    execFileSync('pdftotext', ['-layout', path.join(site.out, book), '-'], { encoding: 'utf8' })
      .split('\f')
      .slice(0, -1);

  it.each(['downloads/01-quorums.pdf', 'downloads/quorums-in-practice.pdf'])('%s has a Solutions appendix with every solution, and page numbers that are right both ways', (book) => {
    const pages = pageTexts(book);
    const pageOf = (pattern: RegExp): number => pages.findIndex((text) => pattern.test(text)) + 1;
    const expected = [
      ['Quiz 1.1.1', 'Answer to Quiz 1.1.1', 'Answer', 'quiz'],
      ['Exercise 1.2.1', 'Solution to Exercise 1.2.1', 'Solution', 'exercise'],
      ['Exercise 1.2.2', 'Solution to Exercise 1.2.2', 'Solution', 'exercise'],
      ['Quiz 1.2.1', 'Answer to Quiz 1.2.1', 'Answer', 'quiz'],
    ] as const;
    const appendix = pageOf(/^\s*Solutions\s*$/m);
    expect(appendix).toBeGreaterThan(1);
    expect(pages.slice(appendix - 1).join('\n')).toContain('so writes stop while reads still work');
    for (const [item, heading, word, kind] of expected) {
      // The exercise's page says where its solution is…
      const itemPage = pages.findIndex((text, index) => index < appendix - 1 && new RegExp(`^\\s*${item.replace(/\./g, '\\.')}\\b`, 'm').test(text)) + 1;
      expect(itemPage, item).toBeGreaterThan(0);
      const forward = new RegExp(`${word} on page (\\d+)`, 'g');
      const after = pages[itemPage - 1]!.slice(pages[itemPage - 1]!.search(new RegExp(`^\\s*${item.replace(/\./g, '\\.')}\\b`, 'm')));
      const solutionPage = Number(forward.exec(after)?.[1]);
      expect(pages[solutionPage - 1], `${item}: its solution is on page ${solutionPage}`).toContain(heading);
      // …and the solution says where its exercise is.
      const back = new RegExp(`${heading.replace(/\./g, '\\.')} · ${kind} on page (\\d+)`).exec(pages[solutionPage - 1]!);
      expect(Number(back?.[1]), heading).toBe(itemPage);
    }
    expect(
      pages.some((text) => /Solutions\s+\d+\s*$/m.test(text)),
      'the contents list the appendix',
    ).toBe(true);
  });

  it('prints every construct without raw markers', () => {
    const text = pageTexts('downloads/quorums-in-practice.pdf').join('\n');
    for (const marker of markers) expect(text).not.toContain(marker);
    for (const label of ['Note', 'Tip · Count before you configure', 'Important', 'Warning', 'Caution · Do not lower both', 'YOU WILL LEARN', 'BEFORE THIS LESSON', '7 min practice'])
      expect(text).toContain(label);
  });
});

describe('the catalogue', () => {
  const json = <T>(file: string): T => JSON.parse(page(file)) as T;

  it('lists objectives, prerequisites, exercises, quizzes (never answers) and practice minutes, apart from reading', () => {
    const catalogue = json<{ apiVersion: string; course: { totals: unknown }; sections: { totals: { practiceMinutes: number; label: string }; lessons: Record<string, unknown>[] }[] }>(
      'api/catalogue.json',
    );
    expect(catalogue.apiVersion).toBe('1.2');
    expect(catalogue.course.totals).toEqual({ lessons: 2, minutes: 2, practiceMinutes: 8 });
    expect(catalogue.sections[0]!.totals).toMatchObject({ practiceMinutes: 8, label: '2 lessons · 2 min reading · 8 min practice' });
    const lesson = catalogue.sections[0]!.lessons[1]!;
    expect(lesson).toMatchObject({
      minutes: { declared: 1 },
      practice: { minutes: 7, label: '7 min practice' },
      objectives: ['State the quorum condition for reading the latest write', 'Choose quorum sizes for a given failure budget'],
      requires: ['1.1'],
      exercises: [
        { id: 'quorum-overlap', title: 'Quorum overlap', number: '1.2.1', difficulty: 'medium', minutes: 5 },
        { id: 'failure-budget', title: 'A failure budget', number: '1.2.2', difficulty: 'hard', minutes: 1 },
      ],
      quizzes: [{ id: 'q-condition', question: 'Which setting lets a read of a five-replica store miss the latest write?' }],
    });
    expect(JSON.stringify(lesson)).not.toContain('Only 2 + 3');
    const schema = json<{ properties: { apiVersion: { const: string } } }>('api/schemas/lesson.schema.json');
    expect(schema.properties.apiVersion.const).toBe('1.2');
  });
});
