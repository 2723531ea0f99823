import type { ElementContent, Root as HastRoot } from 'hast';
import { h } from 'hastscript';
import type { Lesson } from '../../model/course.js';
import type { LabelKey, Labels } from '../../labels/catalogue.js';
import { takeSolutions, type TakenSolution } from '../../render/constructs/solutions.js';

/**
 * The name of the Solutions appendix as a part of a book's page list (the EPUB's chapter of
 * solutions); in a PDF each section's appendix has an anchor of its own (`sectionSolutionsAnchor`).
 */
export const solutionsAnchor = 'solutions';

/** The anchor of a section's Solutions appendix in a PDF, also its page name: "section-4--solutions". */
export const sectionSolutionsAnchor = (sectionAnchor: string): string => `${sectionAnchor}--${solutionsAnchor}`;

const href = (anchor: string): string => `#${encodeURIComponent(anchor)}`;

/** A page number the printer fills in: the page where `anchor` was printed (see print.ts). */
const pageOf = (anchor: string): ElementContent => h('span.solution-page', { dataPageOf: anchor });

/** A character no label holds, standing for the page number while a message is formatted. */
const pageMark = '\u{E000}';

/**
 * "Solution on page 42", "Çözüm 42. sayfada": a label with the page number the printer fills in,
 * wherever the language puts it.
 */
function onPage(labels: Labels, key: LabelKey, anchor: string): ElementContent[] {
  const [before = '', after = ''] = labels.format(key, { page: pageMark }).split(pageMark);
  const text = (value: string): ElementContent[] => (value ? [{ type: 'text', value }] : []);
  return [...text(before), pageOf(anchor), ...text(after)];
}

/**
 * Collects the solutions and quiz answers of a PDF's section into a "Solutions" appendix at the
 * section's end. Each exercise
 * and quiz says on which page its solution is, and each solution on which page its exercise is:
 * both numbers are filled in after each printing from where the anchors landed, as the contents'
 * numbers are (Chromium has no `target-counter()`).
 */
export class PrintSolutions {
  private readonly lessons: { lesson: Lesson; solutions: (TakenSolution & { anchor: string })[] }[] = [];

  /** @param labels the course's labels */
  constructor(private readonly labels: Labels) {}

  /**
   * Takes a lesson's solutions out of its print body.
   * @param body the lesson's print body, ids already prefixed (changed in place)
   * @param lesson the lesson
   */
  take(body: HastRoot, lesson: Lesson): void {
    const anchorOf = (solution: TakenSolution): string => `solution--${solution.targetId}`;
    const solutions = takeSolutions(body, (solution) =>
      h('p.solution-ref', [h('a', { href: href(anchorOf(solution)) }, onPage(this.labels, solution.kind === 'exercise' ? 'solutionOnPage' : 'answerOnPage', anchorOf(solution)))]),
    ).map((solution) => ({ ...solution, anchor: anchorOf(solution) }));
    if (solutions.length > 0) this.lessons.push({ lesson, solutions });
  }

  /** Whether any lesson had a solution or quiz answer. */
  get any(): boolean {
    return this.lessons.length > 0;
  }

  /**
   * The appendix, or undefined when the section has no solutions.
   * @param anchor the appendix's anchor (`sectionSolutionsAnchor`)
   */
  appendix(anchor: string): HastRoot | undefined {
    if (!this.any) return undefined;
    const entries = this.lessons.flatMap(({ lesson, solutions }): ElementContent[] => [
      h('h2.solutions-lesson', `${lesson.id} ${lesson.title}`),
      ...solutions.map((solution) =>
        h('section.solution-entry', { id: solution.anchor }, [
          h('p.solution-heading', [
            h('a', { href: href(solution.targetId) }, this.labels.format(solution.kind === 'exercise' ? 'solutionToExercise' : 'answerToQuiz', { number: solution.number })),
            h('span.solution-back', [' · ', ...onPage(this.labels, solution.kind === 'exercise' ? 'exerciseOnPage' : 'quizOnPage', solution.targetId)]),
          ]),
          ...solution.content,
        ]),
      ),
    ]);
    return {
      type: 'root',
      children: [
        h('section.solutions', { id: anchor, role: 'doc-appendix', ariaLabelledBy: [`${anchor}-title`] }, [
          h('h1.solutions-title', { id: `${anchor}-title` }, this.labels.format('solutions')),
          ...entries,
        ]),
      ],
    };
  }
}
