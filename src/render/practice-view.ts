import type { Lesson, Section } from '../model/course.js';
import type { Labels } from '../labels/catalogue.js';

/** A lesson a lesson requires, as its header lists it. */
export interface PrerequisiteView {
  id: string;
  title: string;
  /** Its address in the medium; the site's header links it, books print it as text. */
  href: string;
}

/** What a lesson's opening shows of its objectives, prerequisites and practice. */
export interface LessonPracticeView {
  objectives: string[];
  /** "You will learn". */
  objectivesHeading: string;
  requires: PrerequisiteView[];
  /** "Before this lesson". */
  requiresHeading: string;
  /** Practice minutes: exercises (with solutions) and quizzes; not part of `minutes`. */
  practiceMinutes: number;
  /** "12 min practice", or '' without exercises and quizzes. */
  practiceLabel: string;
  exerciseCount: number;
  /** Whether the page needs the quiz script. */
  hasQuiz: boolean;
}

/** "12 min practice", "~1.2 h practice", or '' for none. */
export const practiceLabel = (labels: Labels, minutes: number): string => (minutes > 0 ? labels.format('practiceTime', { time: labels.readingTime(minutes) }) : '');

/** A section's practice minutes: the sum of its lessons'. */
export const sectionPracticeMinutes = (section: Section): number => section.lessons.reduce((sum, lesson) => sum + lesson.practice.minutes, 0);

/**
 * The practice part of a lesson's view.
 * @param labels the course's labels
 * @param lesson the lesson
 * @param lessonsById every lesson of the course, by number (for `requires`)
 * @param href how the medium addresses a lesson
 */
export function lessonPracticeView(labels: Labels, lesson: Lesson, lessonsById: ReadonlyMap<string, Lesson>, href: (lesson: Lesson) => string): LessonPracticeView {
  const requires = lesson.requires.flatMap((id) => {
    const required = lessonsById.get(id);
    return required ? [{ id, title: required.title, href: href(required) }] : [];
  });
  return {
    objectives: lesson.objectives,
    objectivesHeading: labels.format('youWillLearn'),
    requires,
    requiresHeading: labels.format('beforeThisLesson'),
    practiceMinutes: lesson.practice.minutes,
    practiceLabel: practiceLabel(labels, lesson.practice.minutes),
    exerciseCount: lesson.practice.exercises.length,
    hasQuiz: lesson.practice.quizzes.length > 0,
  };
}
