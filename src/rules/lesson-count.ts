import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Rule } from './rule.js';

/** `lesson-count`: a section's declared `lessons` must equal the lessons present. */
export const lessonCountRule: Rule = {
  ids: ['lesson-count'],
  check(course) {
    const found: Diagnostic[] = [];
    for (const section of course.sections) {
      if (section.declaredLessons === undefined || section.declaredLessons === section.lessons.length) continue;
      found.push(
        diagnostic(
          'lesson-count',
          section.path,
          section.fieldPositions.lessons,
          `Section ${section.number} declares ${section.declaredLessons} lessons but has ${section.lessons.length}. Set \`lessons: ${section.lessons.length}\` or add the missing lessons.`,
        ),
      );
    }
    return found;
  },
};
