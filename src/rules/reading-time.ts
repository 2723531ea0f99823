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
    const { readingSpeed, readingTimeTolerance, charactersPerMinute } = course.config;
    for (const section of course.sections) {
      for (const lesson of section.lessons) {
        if (!Object.hasOwn(lesson.fieldPositions, 'minutes') || lesson.words + lesson.characters === 0) continue;
        // Prose swallowed by a code fence is not counted; code-fence says so, and the count is no advice.
        if (hasFenceProblem(lesson)) continue;
        const allowed = Math.max(1, lesson.minutes * readingTimeTolerance);
        if (Math.abs(lesson.computedMinutes - lesson.minutes) <= allowed) continue;
        // Say "characters" where characters were counted: Chinese and Japanese are not read in words.
        const japanese = lesson.characterScript === 'japanese';
        const rate = japanese ? charactersPerMinute.japanese : charactersPerMinute.chinese;
        const counted = [
          lesson.characters > 0 ? `${lesson.characters.toLocaleString('en')} ${japanese ? 'Japanese' : 'Chinese'} characters` : '',
          lesson.words > 0 || lesson.characters === 0 ? `${lesson.words.toLocaleString('en')} words` : '',
        ].filter(Boolean);
        const speeds = [lesson.characters > 0 ? `${rate} characters` : '', lesson.words > 0 || lesson.characters === 0 ? `${readingSpeed} words` : ''].filter(Boolean);
        found.push(
          diagnostic(
            'reading-time',
            lesson.path,
            lesson.fieldPositions.minutes,
            `Lesson ${lesson.id} declares ${lesson.minutes} min, but its ${counted.join(' and ')} read in about ${lesson.computedMinutes} min at ${speeds.join(' and ')} per minute. Set \`minutes: ${lesson.computedMinutes}\` or revise the text.`,
          ),
        );
      }
    }
    return found;
  },
};
