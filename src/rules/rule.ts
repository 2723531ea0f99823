import type { RuleId } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Course } from '../model/course.js';

/** A cross-file check over the loaded course. Rules are pure: they read the model and do no I/O. */
export interface Rule {
  /** The permanent ids this rule reports under. */
  ids: RuleId[];
  check(course: Course): Diagnostic[];
}
