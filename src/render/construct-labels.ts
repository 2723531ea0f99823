import type { CalloutKind } from '../markdown/callouts.js';

/**
 * The words readers see on course constructs (callouts, exercises, solutions, quizzes, objectives,
 * prerequisites, practice time), in English, in one place.
 * Note: kept apart from templates and code so they fold into the label catalogue as keys.
 */
export const constructLabels = {
  callout: { note: 'Note', tip: 'Tip', important: 'Important', warning: 'Warning', caution: 'Caution' } satisfies Record<CalloutKind, string>,
  /** "Exercise 4.5.2". */
  exercise: (number: string): string => `Exercise ${number}`,
  difficulty: { easy: 'Easy', medium: 'Medium', hard: 'Hard' } as Record<string, string>,
  showSolution: 'Show solution',
  solution: 'Solution',
  /** "Solution to Exercise 4.5.2". */
  solutionTo: (exercise: string): string => `Solution to ${exercise}`,
  /** "Quiz 4.5.1". */
  quiz: (number: string): string => `Quiz ${number}`,
  /** "Answer to Quiz 4.5.1". */
  answerTo: (quiz: string): string => `Answer to ${quiz}`,
  showAnswer: 'Show answer',
  checkAnswer: 'Check answer',
  /** "Right answer: B" / "Right answers: A, C". */
  rightAnswer: (letters: string[]): string => `Right answer${letters.length === 1 ? '' : 's'}: ${letters.join(', ')}`,
  quizRight: 'Right.',
  quizWrong: 'Not quite. Try again, or show the answer.',
  backToExercise: 'Back to the exercise',
  toSolution: 'Solution at the end of the book',
  toAnswer: 'Answer at the end of the book',
  /** "Solution on page" (42) / "exercise on page" (17): PDF cross references, the number follows. */
  onPage: (what: 'solution' | 'answer' | 'exercise' | 'quiz'): string => ({ solution: 'Solution on page', answer: 'Answer on page', exercise: 'exercise on page', quiz: 'quiz on page' })[what],
  solutions: 'Solutions',
  youWillLearn: 'You will learn',
  beforeThisLesson: 'Before this lesson',
  /** "12 min practice". */
  practice: (minutes: string): string => `${minutes} practice`,
} as const;
