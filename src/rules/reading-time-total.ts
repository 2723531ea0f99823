import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { readingTimeLabel } from '../markdown/words.js';
import type { Rule } from './rule.js';

const normalise = (label: string): string => label.replace(/\s+/g, '').toLowerCase();

/** `reading-time-total`: a section's declared `readingTime` must be the label of its lessons' summed minutes. */
export const readingTimeTotalRule: Rule = {
  ids: ['reading-time-total'],
  check(course) {
    const found: Diagnostic[] = [];
    for (const section of course.sections) {
      if (section.declaredReadingTime === undefined) continue;
      const total = section.lessons.reduce((sum, lesson) => sum + lesson.minutes, 0);
      const label = readingTimeLabel(total);
      if (normalise(label) === normalise(section.declaredReadingTime)) continue;
      found.push(
        diagnostic('reading-time-total', section.path, section.fieldPositions.readingTime, `Section ${section.number} declares reading time "${section.declaredReadingTime}", but its lessons add up to ${total} min ("${label}"). Set \`readingTime: "${label}"\`.`),
      );
    }
    return found;
  },
};
