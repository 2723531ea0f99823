import path from 'node:path';
import type { Colors } from 'picocolors/types.js';
import { countBySeverity, type Diagnostic } from './diagnostic.js';

/** The reporter names `check --reporter` accepts. */
export const reporterNames = ['text', 'json', 'github'] as const;
export type ReporterName = (typeof reporterNames)[number];

/** What a reporter needs besides the diagnostics. */
export interface ReportContext {
  /** Absolute content root; `github` paths are made relative to `cwd` so annotations attach to the right file. */
  root: string;
  cwd: string;
  /** How many source files were checked, for the summary line. */
  fileCount: number;
  colors: Colors;
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/** Compiler-style lines, `file:line:col  severity  message  rule-id`, then a summary line. */
function text(diagnostics: Diagnostic[], context: ReportContext): string {
  const c = context.colors;
  const lines = diagnostics.map((d) => {
    const severity = d.severity === 'error' ? c.red('error') : c.yellow('warning');
    const line = `${c.bold(`${d.file}:${d.line}:${d.column}`)}  ${severity}  ${d.message}  ${c.dim(d.rule)}`;
    return d.related ? `${line}\n  ${c.dim('related:')} ${d.related.file}:${d.related.line}:${d.related.column}` : line;
  });
  const { errors, warnings } = countBySeverity(diagnostics);
  const files = new Set(diagnostics.map((d) => d.file)).size;
  const summary =
    diagnostics.length === 0
      ? c.green(`✔ No problems in ${plural(context.fileCount, 'file')}.`)
      : `${errors > 0 ? c.red('✖') : c.yellow('⚠')} ${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files, 'file')} (${plural(context.fileCount, 'file')} checked).`;
  if (lines.length > 0) lines.push('');
  lines.push(summary);
  return `${lines.join('\n')}\n`;
}

/** A JSON array of `{file, line, column, severity, rule, message, related?}`: the only thing on stdout. */
function json(diagnostics: Diagnostic[]): string {
  const plain = diagnostics.map(({ file, line, column, severity, rule, message, related }) => ({ file, line, column, severity, rule, message, ...(related ? { related } : {}) }));
  return `${JSON.stringify(plain, null, 2)}\n`;
}

/** Escapes per GitHub's workflow-command rules: data escapes %, CR, LF; properties also `:` and `,`. */
const escapeData = (value: string): string => value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (value: string): string => escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** GitHub Actions workflow annotations, one per diagnostic. */
function github(diagnostics: Diagnostic[], context: ReportContext): string {
  return diagnostics
    .map((d) => {
      const file = path.relative(context.cwd, path.join(context.root, d.file)).split(path.sep).join('/');
      const command = d.severity === 'error' ? 'error' : 'warning';
      const related = d.related ? ` (related: ${path.relative(context.cwd, path.join(context.root, d.related.file)).split(path.sep).join('/')}:${d.related.line}:${d.related.column})` : '';
      return `::${command} file=${escapeProperty(file)},line=${d.line},col=${d.column},title=${escapeProperty(d.rule)}::${escapeData(d.message + related)}\n`;
    })
    .join('');
}

/**
 * Formats diagnostics for output.
 * @param name which reporter
 * @param diagnostics sorted diagnostics
 * @param context paths, file count and colours
 */
export function formatDiagnostics(name: ReporterName, diagnostics: Diagnostic[], context: ReportContext): string {
  switch (name) {
    case 'json':
      return json(diagnostics);
    case 'github':
      return github(diagnostics, context);
    default:
      return text(diagnostics, context);
  }
}
