import { ruleCatalogue } from '../diagnostics/catalogue.js';
import { sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Course } from '../model/course.js';
import { codeFenceRule } from './code-fence.js';
import { emptyLessonRule } from './empty-lesson.js';
import { emptyLinkRule } from './empty-link.js';
import { fileNameCaseRule } from './file-name-case.js';
import { headingIdRule } from './heading-id.js';
import { headingStructureRule } from './heading-structure.js';
import { exerciseStructureRule } from './exercise-structure.js';
import { objectiveCoverageRule } from './objective-coverage.js';
import { prerequisiteOrderRule } from './prerequisite-order.js';
import { imageAltRule } from './image-alt.js';
import { lessonCountRule } from './lesson-count.js';
import { lessonNumberRule } from './lesson-number.js';
import { linkSchemeRule } from './link-scheme.js';
import { readingTimeTotalRule } from './reading-time-total.js';
import { readingTimeRule } from './reading-time.js';
import { referencesRule } from './references.js';
import type { Rule } from './rule.js';
import { sectionNumberRule } from './section-number.js';
import { unknownGroupRule } from './unknown-group.js';

/** Every cross-file rule, run in this order once the whole course is loaded. */
export const rules: Rule[] = [
  sectionNumberRule,
  lessonNumberRule,
  lessonCountRule,
  unknownGroupRule,
  codeFenceRule,
  readingTimeRule,
  readingTimeTotalRule,
  referencesRule,
  linkSchemeRule,
  emptyLinkRule,
  emptyLessonRule,
  headingStructureRule,
  headingIdRule,
  imageAltRule,
  fileNameCaseRule,
  exerciseStructureRule,
  prerequisiteOrderRule,
  objectiveCoverageRule,
];

/**
 * Runs the cross-file rules and applies course.yml's severities to every diagnostic.
 * @param course the loaded course
 * @param loadDiagnostics what the loader found in single files
 * @returns every diagnostic, sorted by file and position, with `off` rules removed
 */
export function checkCourse(course: Course, loadDiagnostics: Diagnostic[] = []): Diagnostic[] {
  const found = [...loadDiagnostics];
  for (const rule of rules) {
    if (rule.ids.every((id) => (course.config.rules[id] ?? ruleCatalogue[id].severity) === 'off')) continue;
    found.push(...rule.check(course));
  }
  const configured: Diagnostic[] = [];
  for (const d of found) {
    const setting = course.config.rules[d.rule] ?? (ruleCatalogue[d.rule].severity === 'off' ? 'off' : undefined);
    if (setting === 'off') continue;
    // A configured severity overrides the rule's; unset rules keep each diagnostic's own severity.
    configured.push(setting ? { ...d, severity: setting } : d);
  }
  return sortDiagnostics(configured);
}
