import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { CoursebookError } from '../shared/errors.js';
import type { ProblemReport } from './events.js';

const hint = 'Still serving the last good build. Fix the problem and save: this page reloads as soon as the course builds.';

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * The overlay for a build the check stopped: its errors, placed as the text reporter places them.
 * Warnings stay in the terminal; they do not stop a build.
 * @param diagnostics every diagnostic of the build
 */
export function diagnosticsReport(diagnostics: Diagnostic[]): ProblemReport {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  return {
    title: `The course does not build: ${plural(errors.length, 'error')}`,
    problems: errors.map((d) => ({ place: `${d.file}:${d.line}:${d.column}`, rule: d.rule, severity: d.severity, message: d.message })),
    hint,
  };
}

/**
 * The overlay for a build that could not run (an unparsable course.yml, a broken template).
 * @param error what the build threw
 */
export function errorReport(error: unknown): ProblemReport {
  const message = error instanceof CoursebookError ? error.message : `Unexpected failure (a bug in Coursebook): ${error instanceof Error ? error.message : String(error)}`;
  return { title: 'The build stopped', problems: [{ severity: 'error', message }], hint };
}
