import type { Element, ElementContent } from 'hast';
import { h } from 'hastscript';
import type { ContainerDirective } from 'mdast-util-directive';
import type { Handler, State } from 'mdast-util-to-hast';
import { practiceId, type LessonPractice } from '../../markdown/practice.js';
import { isLabelKey, type Labels } from '../../labels/catalogue.js';
import { minutesLabel } from '../labels.js';
import type { ConstructSlots } from './slots.js';

/** What numbering a lesson's exercises and quizzes needs: the lesson's number and its practice summary. */
export interface PracticeContext {
  /** "4.5"; exercises are numbered "4.5.1", "4.5.2"… When absent (a section introduction), "1", "2"… */
  lessonId?: string;
  practice?: LessonPractice;
  /** The course's labels: the constructs' words and minutes in the course language. */
  labels: Labels;
}

const letter = (index: number): string => String.fromCharCode(65 + index);

/** "Medium" for `difficulty="medium"`, in the course language; an unknown value as written (`exercise-structure` reports it). */
function difficultyLabel(labels: Labels, difficulty: string): string {
  const key = `difficulty${difficulty.charAt(0).toUpperCase()}${difficulty.slice(1)}`;
  return isLabelKey(key) ? labels.format(key) : difficulty;
}

/** A task-list item's content without its checkbox, which would give the answer away, and the space after it. */
function optionContent(children: ElementContent[]): ElementContent[] {
  const content = children.filter((part) => !(part.type === 'element' && part.tagName === 'input'));
  const first = content[0];
  if (first?.type === 'text') content[0] = { ...first, value: first.value.trimStart() };
  return content;
}

/** The content of a directive without its `[label]` paragraph. */
const contentOf = (state: State, node: ContainerDirective): ElementContent[] =>
  state.wrap(state.all({ ...node, children: node.children.filter((child) => !(child.type === 'paragraph' && child.data?.directiveLabel)) }), true);

/**
 * An exercise: `<section class="exercise" id>` with its number ("Exercise 4.5.2"), title,
 * difficulty and minutes, its text, and its solution in a `<details class="solution">` that opens on
 * request (no script needed). Paged formats move the solutions to the end (see solutions.ts).
 */
function exercise(state: State, node: ContainerDirective, slots: ConstructSlots, context: PracticeContext, position: number): Element {
  const summary = context.practice?.exercises[position - 1];
  const id = summary?.id ?? practiceId(node, position);
  const number = context.lessonId ? `${context.lessonId}.${position}` : String(position);
  const title = summary?.title ?? node.attributes?.title ?? '';
  const difficulty = node.attributes?.difficulty;
  return slots.slot('div', contentOf(state, node), (children) => {
    const meta = [difficulty ? difficultyLabel(context.labels, difficulty) : '', summary ? minutesLabel(context.labels, summary.minutes) : ''].filter(Boolean).join(' · ');
    return h('section.exercise', { id, ariaLabelledBy: [`${id}-label`], dataNumber: number }, [
      h('p.exercise-label', { id: `${id}-label` }, [h('span.exercise-number', context.labels.format('exerciseNumber', { number })), ...(title ? [' ', h('span.exercise-title', title)] : [])]),
      ...(meta ? [h('p.exercise-meta', meta)] : []),
      ...children,
    ]);
  });
}

/** A solution: closed `<details>` with "Show solution". */
function solution(state: State, node: ContainerDirective, slots: ConstructSlots, labels: Labels): Element {
  return slots.slot('div', contentOf(state, node), (children) => h('details.solution', [h('summary', labels.format('showSolution')), h('div.solution-body', children)]));
}

/**
 * A quiz: the question, its options as a lettered list, and the answer with its explanation in a
 * closed `<details class="quiz-answer">`. The site's quiz script (templates/assets/quiz.js) turns
 * the options into choices and checks them; without it the quiz still reads as a list and an answer.
 */
function quiz(state: State, node: ContainerDirective, slots: ConstructSlots, context: PracticeContext, position: number): Element {
  const id = context.practice?.quizzes[position - 1]?.id ?? practiceId(node, position);
  const number = context.lessonId ? `${context.lessonId}.${position}` : String(position);
  const list = node.children.find((child) => child.type === 'list');
  const correct = list?.type === 'list' ? list.children.map((item) => item.checked === true) : [];
  return slots.slot('div', contentOf(state, node), (children) => {
    const question: ElementContent[] = [];
    const explanation: ElementContent[] = [];
    let options: ElementContent[] = [];
    for (const child of children) {
      if (child.type === 'element' && (child.tagName === 'ul' || child.tagName === 'ol') && options.length === 0) {
        options = child.children
          .filter((item): item is Element => item.type === 'element' && item.tagName === 'li')
          .map((item, index) => h('li.quiz-option', correct[index] ? { dataCorrect: '' } : {}, optionContent(item.children)));
      } else if (child.type === 'element' && child.tagName === 'blockquote') {
        explanation.push(...child.children);
      } else if (options.length === 0) {
        question.push(child);
      } else {
        explanation.push(child);
      }
    }
    const letters = correct.flatMap((right, index) => (right ? [letter(index)] : []));
    const { labels } = context;
    const label = labels.format('quizNumber', { number });
    return h(
      'section.quiz',
      {
        id,
        ariaLabelledBy: [`${id}-label`],
        dataNumber: number,
        dataCheckLabel: labels.format('checkAnswer'),
        dataRightLabel: labels.format('quizRight'),
        dataWrongLabel: labels.format('quizWrong'),
        dataMultiple: letters.length > 1 ? 'true' : undefined,
      },
      [
        h('p.quiz-label', { id: `${id}-label` }, label),
        h('div.quiz-question', question),
        h('ol.quiz-options', { type: 'A' }, options),
        h('details.quiz-answer', [h('summary', labels.format('showAnswer')), h('div.quiz-answer-body', [h('p.quiz-right', rightAnswerLabel(labels, letters)), ...explanation])]),
      ],
    );
  });
}

/** "Right answer: B", "Right answers: A and C", in the course language. */
const rightAnswerLabel = (labels: Labels, letters: string[]): string =>
  labels.format('rightAnswer', { count: letters.length, letters: new Intl.ListFormat(labels.language, { type: 'conjunction' }).format(letters) });

/**
 * The remark-rehype handler for container directives: exercises (with their solutions) and
 * quizzes. Unknown directives never get here (a build with one stops at `unknown-directive`); their
 * content is kept as a plain `<div>` all the same.
 * @param slots the body's placeholders (sections and details are made after sanitising)
 * @param context the lesson's number and practice summary
 */
export function practiceHandler(slots: ConstructSlots, context: PracticeContext): Handler {
  let exercises = 0;
  let quizzes = 0;
  return (state, node: ContainerDirective) => {
    if (node.name === 'exercise') return exercise(state, node, slots, context, ++exercises);
    if (node.name === 'quiz') return quiz(state, node, slots, context, ++quizzes);
    if (node.name === 'solution') return solution(state, node, slots, context.labels);
    return h('div', contentOf(state, node));
  };
}
