import type { Point } from '../model/course.js';
import { ruleCatalogue, type RuleId } from './catalogue.js';

/** How serious a diagnostic is. */
export type Severity = 'error' | 'warning';

/** A problem found in the course: data, not an exception. */
export interface Diagnostic {
  /** Path relative to the content root, with forward slashes. */
  file: string;
  line: number;
  column: number;
  severity: Severity;
  rule: RuleId;
  /** What is wrong and what to do about it. */
  message: string;
  /** Another place involved, such as the first of two duplicates. */
  related?: { file: string; line: number; column: number };
}

/**
 * Makes a diagnostic with the rule's default severity.
 * @param rule the permanent rule id
 * @param file path relative to the content root
 * @param at where in the file (defaults to 1:1)
 * @param message what is wrong and what to do
 * @param extra severity override or a related place
 */
export function diagnostic(rule: RuleId, file: string, at: Point | undefined, message: string, extra: { severity?: Severity; related?: Diagnostic['related'] } = {}): Diagnostic {
  const d: Diagnostic = {
    file,
    line: at?.line ?? 1,
    column: at?.column ?? 1,
    // An off-by-default rule reports only when course.yml turns it on, with the severity set there.
    severity: extra.severity ?? (ruleCatalogue[rule].severity === 'off' ? 'warning' : ruleCatalogue[rule].severity),
    rule,
    message,
  };
  if (extra.related) d.related = extra.related;
  return d;
}

/** Orders diagnostics by file, line, column and rule, so output is stable. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}

/** Counts errors and warnings. */
export function countBySeverity(list: Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  for (const d of list) if (d.severity === 'error') errors++;
  return { errors, warnings: list.length - errors };
}
