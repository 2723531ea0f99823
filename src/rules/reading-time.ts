import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { hasFenceProblem } from './code-fence.js';
import type { Rule } from './rule.js';

/**
 * `reading-time`: a lesson's declared minutes may differ from the computed reading time by at
 * most the course's tolerance (default 20%), and never by less than one minute.
 */
export const readingTimeRule: Rule = {
  ids: ['reading-time'],
  check(course) {
    const found: Diagnostic[] = [];
    const { readingSpeed, readingTimeTolerance } = course.config;
    for (const section of course.sections) {
      for (const lesson of section.lessons) {
        if (!Object.hasOwn(lesson.fieldPositions, 'minutes') || lesson.words === 0) continue;
        // Prose swallowed by a code fence is not counted; code-fence says so, and the count is no advice.
        if (hasFenceProblem(lesson)) continue;
        const allowed = Math.max(1, lesson.minutes * readingTimeTolerance);
        if (Math.abs(lesson.computedMinutes - lesson.minutes) <= allowed) continue;
        found.push(
          diagnostic('reading-time', lesson.path, lesson.fieldPositions.minutes, `Lesson ${lesson.id} declares ${lesson.minutes} min, but its ${lesson.words.toLocaleString('en')} words read in about ${lesson.computedMinutes} min at ${readingSpeed} words per minute. Set \`minutes: ${lesson.computedMinutes}\` or revise the text.`),
        );
      }
    }
    return found;
  },
};
