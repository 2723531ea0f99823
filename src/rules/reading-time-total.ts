import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { readDeclaredReadingTime, sameReadingTime } from '../labels/reading-time.js';
import { courseLabels } from '../render/labels.js';
import type { Rule } from './rule.js';

/**
 * `reading-time-total`: a section's declared `readingTime` (minutes, or a label in the course's
 * language or English) must say its lessons' summed minutes. Numbers are compared, not labels.
 */
export const readingTimeTotalRule: Rule = {
  ids: ['reading-time-total'],
  check(course) {
    const found: Diagnostic[] = [];
    const labels = courseLabels(course);
    for (const section of course.sections) {
      const declared = section.declaredReadingTime;
      if (declared === undefined) continue;
      const total = section.lessons.reduce((sum, lesson) => sum + lesson.minutes, 0);
      const label = labels.readingTime(total);
      if (String(declared).replace(/\s+/g, '') === label.replace(/\s+/g, '')) continue;
      const read = readDeclaredReadingTime(declared, labels);
      const at = section.fieldPositions.readingTime;
      if (read === undefined) {
        found.push(
          diagnostic(
            'reading-time-total',
            section.path,
            at,
            `Section ${section.number} declares reading time "${declared}", which Coursebook cannot read as a time. Write minutes as a number (\`readingTime: ${total}\`) or a label such as "${label}".`,
          ),
        );
        continue;
      }
      if (sameReadingTime(read, total)) continue;
      found.push(
        diagnostic(
          'reading-time-total',
          section.path,
          at,
          `Section ${section.number} declares reading time "${declared}", but its lessons add up to ${total} min ("${label}"). Set \`readingTime: "${label}"\` or \`readingTime: ${total}\`.`,
        ),
      );
    }
    return found;
  },
};
