import type { ContainerDirective } from 'mdast-util-directive';
import type { Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import type { Point } from '../model/course.js';
import { countReading, readingMinutes, type ReadingSpeeds } from './words.js';

/** An exercise as the model keeps it. */
export interface ExerciseSummary {
  /** Its anchor: the `#id` written, else `exercise-N`. */
  id: string;
  /** 1-based position among the lesson's exercises: "Exercise 4.5.2" is the lesson's 2nd. */
  position: number;
  title: string;
  difficulty?: string;
  /** Practice minutes: `minutes` as written, else its words (with the solution's) at the reading speed. */
  minutes: number;
  /** Whether `minutes` was written. */
  declaredMinutes: boolean;
  /** 1-based numbers of the lesson objectives it assesses. */
  assesses: number[];
  hasSolution: boolean;
  line: Point;
}

/** A quiz as the model keeps it (never its answer). */
export interface QuizSummary {
  id: string;
  position: number;
  /** The question's plain text. */
  question: string;
  /** Practice minutes: its words at the reading speed, at least 1. */
  minutes: number;
  assesses: number[];
  line: Point;
}

/** A lesson's practice: its exercises and quizzes and their total minutes. */
export interface LessonPractice {
  exercises: ExerciseSummary[];
  quizzes: QuizSummary[];
  /** The words of every exercise, solution and quiz: not counted in reading time. */
  words: number;
  /** The sum of its exercises' and quizzes' minutes. */
  minutes: number;
}

/** The ids a lesson's exercises and quizzes get, in order: as written, else `exercise-N` / `quiz-N`. */
export function practiceId(node: ContainerDirective, position: number): string {
  return node.attributes?.id?.trim() || `${node.name}-${position}`;
}

/** The 1-based objective numbers of an `assesses="1,3"` attribute (malformed values are reported elsewhere). */
export function assessedObjectives(value: string | null | undefined): number[] {
  if (!value || !/^\s*\d+(\s*,\s*\d+)*\s*$/.test(value)) return [];
  return value.split(',').map((part) => Number(part.trim()));
}

/** An exercise's title: its `title` attribute, else its `[label]`. */
function exerciseTitle(node: ContainerDirective): string {
  const label = node.children.find((child) => child.type === 'paragraph' && child.data?.directiveLabel);
  return node.attributes?.title?.trim() || (label ? toString(label).trim() : '');
}

const pointOf = (node: ContainerDirective): Point => ({ line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 });

/**
 * Lists a lesson's exercises and quizzes with their practice minutes.
 * @param tree the lesson's mdast, after the directive plugins ran
 * @param speeds the course's reading speeds
 */
export function collectPractice(tree: Root, speeds: ReadingSpeeds): LessonPractice {
  const exercises: ExerciseSummary[] = [];
  const quizzes: QuizSummary[] = [];
  let words = 0;
  visit(tree, 'containerDirective', (node: ContainerDirective) => {
    if (node.name !== 'exercise' && node.name !== 'quiz') return;
    const reading = countReading(node);
    words += reading.words + reading.characters;
    const written = node.attributes?.minutes;
    const declared = written != null && /^[1-9]\d{0,2}$/.test(written);
    const minutes = declared ? Number(written) : readingMinutes(reading, speeds);
    const assesses = assessedObjectives(node.attributes?.assesses);
    if (node.name === 'exercise') {
      const position = exercises.length + 1;
      const exercise: ExerciseSummary = {
        id: practiceId(node, position),
        position,
        title: exerciseTitle(node),
        minutes,
        declaredMinutes: declared,
        assesses,
        hasSolution: node.children.some((child) => child.type === 'containerDirective' && child.name === 'solution'),
        line: pointOf(node),
      };
      if (node.attributes?.difficulty) exercise.difficulty = node.attributes.difficulty;
      exercises.push(exercise);
    } else {
      const position = quizzes.length + 1;
      const question = node.children
        .filter((child) => child.type === 'paragraph' && !child.data?.directiveLabel)
        .map((child) => toString(child).replace(/\s+/g, ' ').trim())
        .join(' ');
      quizzes.push({ id: practiceId(node, position), position, question, minutes, assesses, line: pointOf(node) });
    }
  });
  const minutes = [...exercises, ...quizzes].reduce((sum, item) => sum + item.minutes, 0);
  return { exercises, quizzes, words, minutes };
}
