import { createRequire } from 'node:module';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import pc from 'picocolors';
import { countBySeverity } from '../diagnostics/diagnostic.js';
import { formatDiagnostics, reporterNames, type ReporterName } from '../diagnostics/reporters.js';
import { CoursebookError } from '../shared/errors.js';
import { writers } from '../outputs/index.js';
import type { CheckResult } from '../pipeline.js';
import { ruleCatalogue } from '../diagnostics/catalogue.js';
import { progressPrinter, writtenLine } from './progress.js';
import { defaultServeFormats, defaultServePort } from '../serve/defaults.js';

/** This package's version, from its package.json (lib/cli/ and lib/cli-bundle/ both sit two levels below it). */
const packageVersion = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/** Where the CLI writes, so tests can capture it. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout takes colour. */
  color: boolean;
  /** Whether stderr is a terminal (live progress) and takes colour. */
  stderrTTY: boolean;
  stderrColor: boolean;
  cwd: string;
}

/** Decides colour the usual way: NO_COLOR turns it off, FORCE_COLOR on, else only on a terminal. */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** Exit codes CI can trust. */
export const exitCodes = { ok: 0, problems: 1, cannotRun: 2 } as const;

function report(result: CheckResult, reporter: ReporterName, strict: boolean, io: CliIO): number {
  const colors = pc.createColors(io.color && reporter === 'text');
  io.stdout(formatDiagnostics(reporter, result.diagnostics, { root: result.course.root, cwd: io.cwd, fileCount: result.fileCount, colors }));
  const { errors, warnings } = countBySeverity(result.diagnostics);
  return errors > 0 || (strict && warnings > 0) ? exitCodes.problems : exitCodes.ok;
}

/** The rule catalogue as `--list-rules` prints it: a table, or JSON with `--reporter json`. */
function ruleList(reporter: ReporterName): string {
  const entries = Object.entries(ruleCatalogue).map(([id, entry]) => ({ id, ...entry }));
  if (reporter === 'json') return `${JSON.stringify(entries, null, 2)}\n`;
  const width = Math.max(...entries.map((entry) => entry.id.length));
  return `${entries.map((entry) => `${entry.id.padEnd(width)}  ${entry.severity.padEnd(7)}  ${entry.summary}`).join('\n')}\n`;
}

/** Every cause under an error, one per line, with stacks: what COURSEBOOK_DEBUG=1 adds. */
function causeChain(error: Error): string {
  const lines: string[] = [];
  for (let current: unknown = error; current instanceof Error; current = current.cause) lines.push(current === error ? `${current.stack}` : `caused by: ${current.stack}`);
  return `${lines.join('\n')}\n`;
}

/** Parses `--port`: a whole number from 0 (any free port) to 65535. */
function portNumber(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535.');
  return port;
}

/**
 * Runs the command line and returns the exit code: 0 clean, 1 problems found, 2 could not run.
 * @param argv arguments after the program name
 * @param io where output goes
 */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  let exitCode: number = exitCodes.ok;
  const reporterOption = () => new Option('--reporter <name>', 'how to print diagnostics').choices(reporterNames).default('text');
  const program = new Command('coursebook')
    .description('Compile a Markdown course into a checked website, PDF, EPUB and JSON catalogue.')
    .version(packageVersion)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run coursebook --help for usage)');

  program
    .command('check')
    .description('check a course and print every problem; exit 0 clean, 1 with errors, 2 when it cannot run')
    .argument('[contentDir]', 'the folder holding course.yml', 'content')
    .addOption(reporterOption())
    .option('--strict', 'treat warnings as errors for the exit code', false)
    .option('--no-cache', 'ignore and do not write the .coursebook-cache folder')
    .option('--list-rules', 'print every rule with its id, default severity and what it checks, then exit', false)
    .action(async (contentDir: string, options: { reporter: ReporterName; strict: boolean; cache: boolean; listRules: boolean }) => {
      if (options.listRules) {
        io.stdout(ruleList(options.reporter));
        return;
      }
      const { check } = await import('../pipeline.js');
      exitCode = report(await check(contentDir, { cache: options.cache }), options.reporter, options.strict, io);
    });

  program
    .command('init')
    .description('write a minimal course to start from into a new or empty folder')
    .argument('[dir]', 'the folder to create', 'content')
    .action(async (dir: string) => {
      const { initCourse } = await import('../init/init.js');
      const result = await initCourse(dir);
      io.stdout(`Wrote a starter course (${result.files.length} files) to ${result.dir}.
Next: coursebook check ${dir} && coursebook build ${dir} --out dist
`);
    });

  program
    .command('build')
    .description('check, then publish the course; nothing is written when the check finds errors')
    .argument('[contentDir]', 'the folder holding course.yml', 'content')
    .option('--out <dir>', 'output folder', 'dist')
    .option('--format <list>', `comma-separated formats (${writers.map((w) => w.name).join(', ')})`)
    .option('--force', 'replace a non-empty output folder Coursebook did not create', false)
    .option('--no-cache', 'ignore and do not write the .coursebook-cache folder')
    .option('--quiet', 'print only problems', false)
    .option('--verbose', 'print every step in detail', false)
    .addOption(reporterOption())
    .option('--strict', 'treat warnings as errors', false)
    .action(async (contentDir: string, options: { out: string; format?: string; force: boolean; cache: boolean; quiet: boolean; verbose: boolean; reporter: ReporterName; strict: boolean }) => {
      const formats = options.format
        ?.split(',')
        .map((name) => name.trim())
        .filter(Boolean);
      const verbosity = options.quiet ? 'quiet' : options.verbose ? 'verbose' : 'normal';
      const onEvent = progressPrinter(io.stderr, { tty: io.stderrTTY, colors: pc.createColors(io.stderrColor), verbosity });
      const { build, sourceDateEpoch } = await import('../pipeline.js');
      const date = sourceDateEpoch();
      const result = await build(contentDir, { out: options.out, force: options.force, cache: options.cache, onEvent, ...(formats ? { formats } : {}), ...(date ? { date } : {}) });
      const quietClean = options.quiet && result.diagnostics.length === 0;
      const checkCode = quietClean ? exitCodes.ok : report(result, options.reporter, options.strict, io);
      if (!result.published) {
        io.stderr(`Nothing was published: fix the errors above and build again.\n`);
        exitCode = exitCodes.problems;
        return;
      }
      if (result.written && !options.quiet) io.stderr(`${writtenLine(result.written, options.out)}\n`);
      exitCode = checkCode;
    });

  program
    .command('serve')
    .description('build into .coursebook-serve/ beside the content, serve it on this machine, rebuild and reload the page on every save')
    .argument('[contentDir]', 'the folder holding course.yml', 'content')
    .option('--out <dir>', 'output folder (default: .coursebook-serve beside the content folder)')
    .option('--format <list>', `comma-separated formats (default: ${defaultServeFormats.join(',')})`)
    .option('--host <host>', 'interface to listen on; 0.0.0.0 lets other machines connect', '127.0.0.1')
    .addOption(new Option('--port <number>', `port to listen on (default: ${defaultServePort}, or the next free one; a port you name must be free; 0 picks any)`).argParser(portNumber))
    .option('--no-cache', 'ignore and do not write the .coursebook-cache folder')
    .action(async (contentDir: string, options: { out?: string; format?: string; host: string; port?: number; cache: boolean }) => {
      const formats = options.format
        ?.split(',')
        .map((name) => name.trim())
        .filter(Boolean);
      const terminal = { stdout: io.stdout, stderr: io.stderr, colors: pc.createColors(io.color && io.stderrColor), cwd: io.cwd };
      const { serve } = await import('../serve/serve.js');
      const session = await serve(contentDir, {
        host: options.host,
        cache: options.cache,
        terminal,
        ...(options.out ? { out: options.out } : {}),
        ...(formats ? { formats } : {}),
        ...(options.port === undefined ? {} : { port: options.port }),
      });
      await session.closed;
      exitCode = exitCodes.ok;
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.cannotRun;
    }
    if (error instanceof CoursebookError) {
      io.stderr(`coursebook: ${error.message}\n`);
      if (process.env.COURSEBOOK_DEBUG) io.stderr(causeChain(error));
      return exitCodes.cannotRun;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`coursebook: unexpected failure: ${message}\nThis is a bug in Coursebook; set COURSEBOOK_DEBUG=1 for the stack trace and report it.\n`);
    if (process.env.COURSEBOOK_DEBUG && error instanceof Error) io.stderr(causeChain(error));
    return exitCodes.cannotRun;
  }
}
