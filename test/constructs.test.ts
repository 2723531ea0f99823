import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HtmlValidate } from 'html-validate';
import type { Browser } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSession } from '../src/browser/chromium.js';
import { check } from '../src/pipeline.js';
import { fixture } from './helpers.js';
import { buildInto, readTree } from './site.js';

const require = createRequire(import.meta.url);
const content = fixture('constructs', 'content');
let site: { out: string; cleanup: () => Promise<void> };
const session = browserSession();
let browser: Browser;

beforeAll(async () => {
  site = await buildInto(content, ['html', 'json']);
  browser = await session.get();
});

afterAll(async () => {
  await session.close();
  await site?.cleanup();
});

const page = (file: string): string => readFileSync(path.join(site.out, file), 'utf8');
const lessonPage = '01-quorums/02-quorums.html';

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
    for (const [kind, label] of [['note', 'Note'], ['tip', 'Tip'], ['important', 'Important'], ['warning', 'Warning'], ['caution', 'Caution']]) {
      expect(html).toMatch(new RegExp(`<aside class="callout callout-${kind}" role="note"><p class="callout-label"><svg class="callout-icon"[^>]*aria-hidden="true"[^>]*>.*?</svg><span class="callout-kind">${label}</span>`));
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
      if (!/\.(html|json)$/.test(file)) continue;
      const text = bytes.toString('utf8');
      for (const marker of [':::', '[!NOTE]', '[!TIP]', '$$']) expect(text.includes(marker), `${file} has ${marker}`).toBe(false);
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
      await tab.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
      const violations = await tab.evaluate(async () => {
        const result = await (window as unknown as { axe: { run: () => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe.run();
        return result.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      });
      await tab.close();
      expect(violations, scheme).toEqual([]);
    }
  });
});
