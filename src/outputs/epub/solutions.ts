import type { Element, ElementContent, Root as HastRoot } from 'hast';
import { h } from 'hastscript';
import { visit } from 'unist-util-visit';
import type { Lesson } from '../../model/course.js';
import type { Labels } from '../../labels/catalogue.js';
import { takeSolutions, type TakenSolution } from '../../render/constructs/solutions.js';

/** The file of a book's Solutions chapter. */
export const solutionsFile = 'solutions.xhtml';

/** A lesson's solutions, moved out of its chapter. */
interface LessonSolutions {
  lesson: Lesson;
  chapter: string;
  solutions: (TakenSolution & { id: string })[];
}

/**
 * Collects a book's solutions and quiz answers into one chapter at its end, linked both ways: each
 * exercise (`epub:type="practice"`) and quiz (`epub:type="assessment"`) links to its solution, and
 * each solution links back (`role="doc-backlink"`).
 */
export class BookSolutions {
  private readonly lessons: LessonSolutions[] = [];

  /** @param labels the course's labels */
  constructor(private readonly labels: Labels) {}

  /**
   * Takes a lesson chapter's solutions out of its body.
   * @param body the chapter body, links already rewritten for the book (changed in place)
   * @param lesson the lesson
   * @param chapter the chapter's file name
   */
  take(body: HastRoot, lesson: Lesson, chapter: string): void {
    const solutions: LessonSolutions['solutions'] = [];
    const solutionId = (solution: TakenSolution): string => `solution-${lesson.id}-${solution.targetId}`;
    for (const solution of takeSolutions(body, (taken) =>
      h('p.solution-ref', [h('a', { href: `${solutionsFile}#${encodeURIComponent(solutionId(taken))}` }, this.labels.format(taken.kind === 'exercise' ? 'solutionAtEnd' : 'answerAtEnd'))]),
    )) {
      // In-page links of the solution now point into the lesson's chapter.
      for (const node of solution.content) {
        visit(node, 'element', (element: Element) => {
          const href = element.properties.href;
          if (element.tagName === 'a' && typeof href === 'string' && href.startsWith('#')) element.properties.href = `${chapter}${href}`;
        });
      }
      solutions.push({ ...solution, id: solutionId(solution) });
    }
    visit(body, 'element', (node) => {
      const classes = Array.isArray(node.properties.className) ? node.properties.className : [];
      if (classes.includes('exercise')) node.properties['epub:type'] = 'practice';
      if (classes.includes('quiz')) node.properties['epub:type'] = 'assessment';
    });
    if (solutions.length > 0) this.lessons.push({ lesson, chapter, solutions });
  }

  /** The Solutions chapter's body, or undefined when the book has no solutions. */
  chapter(): HastRoot | undefined {
    if (this.lessons.length === 0) return undefined;
    const entries: ElementContent[] = this.lessons.flatMap(({ lesson, chapter, solutions }) => [
      h('h2.solutions-lesson', `${lesson.id} ${lesson.title}`),
      ...solutions.map((solution) =>
        h('section.solution-entry', { id: solution.id, ariaLabelledBy: [`${solution.id}-title`] }, [
          h('p.solution-heading', { id: `${solution.id}-title` }, [
            h(
              'a',
              { href: `${chapter}#${encodeURIComponent(solution.targetId)}`, role: 'doc-backlink' },
              this.labels.format(solution.kind === 'exercise' ? 'solutionToExercise' : 'answerToQuiz', { number: solution.number }),
            ),
          ]),
          ...solution.content,
        ]),
      ),
    ]);
    return {
      type: 'root',
      children: [
        h('section.solutions', { 'epub:type': 'appendix', role: 'doc-appendix', ariaLabelledBy: ['solutions-title'] }, [h('h1#solutions-title', this.labels.format('solutions')), ...entries]),
      ],
    };
  }
}
