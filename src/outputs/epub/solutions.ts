import type { Element, ElementContent, Root as HastRoot } from 'hast';
import { h } from 'hastscript';
import { visit } from 'unist-util-visit';
import type { Lesson } from '../../model/course.js';
import type { Labels } from '../../labels/catalogue.js';
import { takeSolutions, type TakenSolution } from '../../render/constructs/solutions.js';

/** The file of a book's Solutions chapter. */
export const solutionsFile = 'solutions.xhtml';

/** A lesson's solutions, moved out of its chapter: plain data, kept with the chapter in the cache. */
export interface LessonSolutions {
  /** The lesson's heading in the Solutions chapter ("4.3 Title"). */
  heading: string;
  /** The lesson's chapter file. */
  chapter: string;
  solutions: (TakenSolution & { id: string })[];
}

/**
 * Takes a lesson chapter's solutions and quiz answers out of its body, for the book's Solutions
 * chapter, linked both ways: each exercise (`epub:type="practice"`) and quiz
 * (`epub:type="assessment"`) links to its solution, and each solution links back
 * (`role="doc-backlink"`, see `solutionsChapter`).
 * @param body the chapter body, links already rewritten for the book (changed in place)
 * @param lesson the lesson
 * @param chapter the chapter's file name
 * @param labels the course's labels
 * @returns the lesson's solutions, or undefined when it has none
 */
export function takeLessonSolutions(body: HastRoot, lesson: Lesson, chapter: string, labels: Labels): LessonSolutions | undefined {
  const solutions: LessonSolutions['solutions'] = [];
  const solutionId = (solution: TakenSolution): string => `solution-${lesson.id}-${solution.targetId}`;
  for (const solution of takeSolutions(body, (taken) =>
    h('p.solution-ref', [h('a', { href: `${solutionsFile}#${encodeURIComponent(solutionId(taken))}` }, labels.format(taken.kind === 'exercise' ? 'solutionAtEnd' : 'answerAtEnd'))]),
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
  return solutions.length > 0 ? { heading: `${lesson.id} ${lesson.title}`, chapter, solutions } : undefined;
}

/**
 * The Solutions chapter's body: each lesson's solutions under its heading, in book order.
 * @param lessons the solutions of the book's lessons that have some, in reading order
 * @param labels the course's labels
 */
export function solutionsChapter(lessons: readonly LessonSolutions[], labels: Labels): HastRoot {
  const entries: ElementContent[] = lessons.flatMap(({ heading, chapter, solutions }) => [
    h('h2.solutions-lesson', heading),
    ...solutions.map((solution) =>
      h('section.solution-entry', { id: solution.id, ariaLabelledBy: [`${solution.id}-title`] }, [
        h('p.solution-heading', { id: `${solution.id}-title` }, [
          h(
            'a',
            { href: `${chapter}#${encodeURIComponent(solution.targetId)}`, role: 'doc-backlink' },
            labels.format(solution.kind === 'exercise' ? 'solutionToExercise' : 'answerToQuiz', { number: solution.number }),
          ),
        ]),
        ...solution.content,
      ]),
    ),
  ]);
  return {
    type: 'root',
    children: [h('section.solutions', { 'epub:type': 'appendix', role: 'doc-appendix', ariaLabelledBy: ['solutions-title'] }, [h('h1#solutions-title', labels.format('solutions')), ...entries])],
  };
}
