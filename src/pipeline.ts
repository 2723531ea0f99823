import { existsSync, rmSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { countBySeverity, type Diagnostic } from './diagnostics/diagnostic.js';
import { checkGlyphs } from './fonts/glyphs.js';
import { CoursebookError } from './shared/errors.js';
import { loadCourse } from './load/load.js';
import type { Course } from './model/course.js';
import { loadWriter, writers, type WriterEntry } from './outputs/index.js';
import { plan, type PublicationPlan } from './outputs/plan.js';
import { listFiles } from './outputs/files.js';
import { acquireOutputLock, lockPath } from './outputs/lock.js';
import { commitStaging, createStaging, outputMarker, stagingPath, validateOutDir } from './outputs/out-dir.js';
import { onInterrupt } from './process/interrupt.js';
import type { Writer } from './outputs/writer.js';
import { browserSession, type BrowserSession } from './browser/chromium.js';
import { cacheFolder, type CacheOptions } from './cache/folder.js';
import { DiagramCache } from './diagrams/cache.js';
import { prepareDiagrams, type PreparedDiagrams } from './diagrams/index.js';
import type { CourseRenderer } from './render/renderer.js';
import { checkCourse } from './rules/index.js';

/** The result of `check`: the course, its rendered diagrams and every diagnostic, sorted. */
export interface CheckResult {
  course: Course;
  diagnostics: Diagnostic[];
  /** Source files read: course.yml, section.md files and lessons. */
  fileCount: number;
  diagrams: PreparedDiagrams;
  /** The renderer with every body rendered, when course.yml names plugins (see rules/plugin-error.ts); build reuses it. */
  renderer?: CourseRenderer;
}

/** Options shared by `check` and `build`. */
export interface CheckOptions extends CacheOptions {
  /** A browser session to reuse; one is created (and closed) otherwise. */
  browser?: BrowserSession;
}

/**
 * Loads and checks a course: per-file problems first, then cross-file rules, then diagrams
 * (rendered in Chromium only when some are not cached).
 * @param contentDir the content root
 * @param options output folder (for the cache), cache switch, browser session
 * @throws CoursebookError when it cannot run at all
 */
export async function check(contentDir: string, options: CheckOptions = {}): Promise<CheckResult> {
  const { course, diagnostics } = await loadCourse(contentDir, options);
  const browser = options.browser ?? browserSession();
  let diagrams: PreparedDiagrams;
  try {
    diagrams = await prepareDiagrams(course, { cache: new DiagramCache(cacheFolder(course.root, course.config, options)), browser });
  } finally {
    if (!options.browser) await browser.close();
  }
  // Plugins run when bodies render; with none configured, check loads no renderer at all.
  const plugins = hasPlugins(course) ? await (await import('./rules/plugin-error.js')).checkPlugins(course, diagrams.results) : { diagnostics: [] as Diagnostic[], renderer: undefined };
  const all = checkCourse(course, [...diagnostics, ...diagrams.diagnostics, ...plugins.diagnostics, ...(course.config.rules['font-missing'] === 'off' ? [] : await checkGlyphs(course))]);
  const fileCount = 1 + course.sections.reduce((sum, section) => sum + (section.hasSectionFile ? 1 : 0) + section.lessons.length, 0);
  return { course, diagnostics: all, fileCount, diagrams, ...(plugins.renderer ? { renderer: plugins.renderer } : {}) };
}

/** What happens during a build, for progress display. */
export type BuildEvent =
  | { type: 'step-start'; step: string }
  | { type: 'step-progress'; step: string; done: number; total: number; label?: string }
  | { type: 'step-end'; step: string; ms: number; summary?: string }
  | { type: 'log'; step: string; line: string };

/** Options of `build`. */
export interface BuildOptions extends CheckOptions {
  out: string;
  /** Format names; all registered formats when omitted. */
  formats?: string[];
  /** The writer table to choose from (default: the built-in `writers`); a test or plugin may add rows. */
  writers?: readonly WriterEntry[];
  /**
   * The date every output carries. When absent: SOURCE_DATE_EPOCH if set, else each output's own
   * sources' newest modification time (a book's date moves only when its own sources change).
   */
  date?: Date;
  /** Replace a non-empty output folder Coursebook did not create. */
  force?: boolean;
  /** Receives progress events. */
  onEvent?: (event: BuildEvent) => void;
  /** How long to wait for another build of the same folder (ms). */
  lockWaitMs?: number;
}

/** What a build wrote, per format. */
export interface WrittenSummary {
  files: number;
  bytes: number;
  byFormat: Record<string, { files: number; bytes: number }>;
}

/** The result of `build`. */
export interface BuildResult extends CheckResult {
  /** False when errors stopped the build before anything was written. */
  published: boolean;
  outDir: string;
  formats: string[];
  /** What the build published, by format (present when it published). */
  plan?: PublicationPlan;
  written?: WrittenSummary;
}

/**
 * Reads SOURCE_DATE_EPOCH (reproducible-builds.org): a whole number of seconds, or undefined when unset.
 * @param env the environment to read
 * @throws CoursebookError when it is set to something else
 */
export function sourceDateEpoch(env: NodeJS.ProcessEnv = process.env): Date | undefined {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch.trim() === '') return undefined;
  const seconds = Number(epoch);
  if (!Number.isInteger(seconds) || seconds < 0) throw new CoursebookError(`SOURCE_DATE_EPOCH must be a whole number of seconds, got "${epoch}".`);
  return new Date(seconds * 1000);
}

/**
 * Dates of sets of sources: the fixed date when one is given, else the newest modification time
 * of the files named, each file read once per build.
 * @param course the course
 * @param fixed a date that overrides every source date
 */
export function sourceDates(course: Course, fixed: Date | undefined): (files: string[]) => Promise<Date> {
  const times = new Map<string, Promise<number>>();
  const mtime = (file: string): Promise<number> => {
    let time = times.get(file);
    if (!time) {
      // A file that vanished since loading does not date anything.
      times.set(
        file,
        (time = stat(path.join(course.root, file)).then(
          (info) => info.mtimeMs,
          () => 0,
        )),
      );
    }
    return time;
  };
  return async (files) => {
    if (fixed) return fixed;
    const newest = Math.max(0, ...(await Promise.all(files.map(mtime))));
    return new Date(Math.floor(newest / 1000) * 1000);
  };
}

/** Every source of the course: course.yml, each section.md, each lesson. */
export const allSources = (course: Course): string[] => ['course.yml', ...course.sections.flatMap((section) => [section.path, ...section.lessons.map((lesson) => lesson.path)])];

/**
 * The date of the whole course: SOURCE_DATE_EPOCH when set, else the newest modification time of
 * its sources, so the same sources give the same dates.
 * @param course the course
 * @param fixed a date that overrides it
 */
export async function buildDate(course: Course, fixed: Date | undefined = sourceDateEpoch()): Promise<Date> {
  return sourceDates(course, fixed)(allSources(course));
}

/**
 * Resolves format names against a writer table, in the table's build order.
 * @param names format names, in any order; every writer but the opt-in ones (LMS packages, feeds) when undefined
 * @param table the writers to choose from
 * @throws CoursebookError naming the known formats for a name that is none of them
 */
export function selectWriters(names: readonly string[] | undefined, table: readonly WriterEntry[] = writers): WriterEntry[] {
  if (!names) return table.filter((entry) => !('optIn' in entry && entry.optIn));
  for (const name of names) {
    if (!table.some((candidate) => candidate.name === name)) throw new CoursebookError(`Unknown format "${name}". Known formats: ${table.map((w) => w.name).join(', ') || 'none yet'}.`);
  }
  // Table order, whatever order `--format` names them in: a feed reads the books built before it.
  return table.filter((entry) => names.includes(entry.name));
}

/**
 * Checks, then publishes every requested format into a staging folder that replaces `out` only
 * when all writers succeed. Nothing is written when the check finds errors.
 * @param contentDir the content root
 * @param options output folder, formats, force
 */
export async function build(contentDir: string, options: BuildOptions): Promise<BuildResult> {
  const table = options.writers ?? writers;
  // Writer modules load only when a build selects them: `check` and `--version` never pay for them.
  const selected = await Promise.all(selectWriters(options.formats, table).map(loadWriter));
  const browser = options.browser ?? browserSession();
  try {
    return await buildWith(contentDir, options, table, selected, browser);
  } finally {
    if (!options.browser) await browser.close();
  }
}

/**
 * Runs `work` with a fresh staging folder for `outDir`, under the output lock, and swaps it into
 * place when `work` succeeds. On failure or a signal the staging folder goes, and `outDir` stays
 * as it was.
 * @param outDir the validated output folder
 * @param lockWaitMs how long to wait for another build of the same folder
 * @param work writes into the staging folder
 */
export async function withStagingFolder<T>(outDir: string, lockWaitMs: number | undefined, work: (staging: string) => Promise<T>): Promise<T> {
  const release = await acquireOutputLock(outDir, lockWaitMs);
  let staging: string | undefined = stagingPath(outDir);
  const abandon = async (): Promise<void> => {
    if (staging) await rm(staging, { recursive: true, force: true });
    await release();
  };
  // On a signal, writers may still be running: the staging folder goes again, synchronously, last.
  const unregister = onInterrupt(abandon, () => {
    // Writes already handed to the thread pool may still land: remove until the folder stays gone.
    for (let attempt = 0; staging && attempt < 5 && existsSync(staging); attempt++) {
      try {
        rmSync(staging, { recursive: true, force: true, maxRetries: 3 });
      } catch {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
      }
    }
    try {
      rmSync(lockPath(outDir), { force: true });
    } catch {
      // The lock names a dead process once we exit; the next build takes it over.
    }
  });
  try {
    await createStaging(outDir);
    const result = await work(staging);
    await commitStaging(staging, outDir);
    staging = undefined;
    return result;
  } finally {
    unregister();
    await abandon();
  }
}

/**
 * What each writer wrote: the files of its artifacts, and the supporting files (stylesheets,
 * images, search index) it added to the folder while it ran.
 */
async function summarise(folder: string, written: Map<string, string[]>): Promise<WrittenSummary> {
  const summary: WrittenSummary = { files: 0, bytes: 0, byFormat: {} };
  for (const [format, files] of written) {
    const entry = (summary.byFormat[format] ??= { files: 0, bytes: 0 });
    for (const file of files) {
      const { size } = await stat(path.join(folder, file));
      entry.files++;
      entry.bytes += size;
      summary.files++;
      summary.bytes += size;
    }
  }
  return summary;
}

/** Whether course.yml names remark or rehype plugins. */
export const hasPlugins = (course: Course): boolean => course.config.plugins.remark.length + course.config.plugins.rehype.length > 0;

async function buildWith(contentDir: string, options: BuildOptions, table: readonly WriterEntry[], selected: Writer[], browser: BrowserSession): Promise<BuildResult> {
  const formats = selected.map((writer) => writer.name);
  const emit = options.onEvent ?? (() => {});
  const timed = async <T>(step: string, work: () => Promise<T>, describe: (value: T) => string | undefined = () => undefined): Promise<T> => {
    emit({ type: 'step-start', step });
    const started = performance.now();
    const value = await work();
    const summary = describe(value);
    emit({ type: 'step-end', step, ms: performance.now() - started, ...(summary ? { summary } : {}) });
    return value;
  };
  const outDir = await validateOutDir(options.out, path.resolve(contentDir), options.force ?? false);
  const checked = await timed(
    'check',
    () => check(contentDir, { ...options, browser }),
    (result) => `${result.fileCount} files${result.diagrams.rendered ? `, ${result.diagrams.rendered} diagrams rendered` : ''}`,
  );
  if (countBySeverity(checked.diagnostics).errors > 0) return { ...checked, published: false, outDir, formats };
  const { course } = checked;
  const publication = plan(course, selected, table);
  const fixedDate = options.date ?? sourceDateEpoch();
  const sourceDate = sourceDates(course, fixedDate);
  // Imported here, not at the top: `check` needs none of them, and Shiki, parse5 and the
  // template engine would cost every command their start-up time.
  const [{ createRenderer }, { buildKeys }, { OutputCache }] = await Promise.all([import('./render/renderer.js'), import('./cache/keys.js'), import('./cache/outputs.js')]);
  const cache = new OutputCache(cacheFolder(course.root, course.config, options));
  return withStagingFolder(outDir, options.lockWaitMs, async (staging) => {
    const context = {
      course,
      outDir: staging,
      plan: publication,
      buildDate: await sourceDate(allSources(course)),
      sourceDate,
      render: checked.renderer ?? (await createRenderer(course, checked.diagrams.results)),
      browser,
      cache,
      keys: await buildKeys(course),
    };
    const written = new Map<string, string[]>();
    let before = new Set(await listFiles(staging));
    for (const writer of selected) {
      const step = writer.name;
      await timed(
        step,
        () =>
          writer.publish({
            ...context,
            artifacts: publication.of(writer.name),
            log: (line: string) => emit({ type: 'log', step, line }),
            progress: (done: number, total: number, label?: string) => emit({ type: 'step-progress', step, done, total, ...(label ? { label } : {}) }),
          }),
        (summary) => summary || undefined,
      );
      const after = await listFiles(staging);
      const missing = publication.of(writer.name).filter((artifact) => !existsSync(path.join(staging, ...artifact.path.split('/'))));
      if (missing.length > 0) throw new CoursebookError(`The ${writer.name} writer did not write ${missing.length} of the files it planned, such as ${missing[0]!.path}.`);
      written.set(
        writer.name,
        after.filter((file) => !before.has(file) && file !== outputMarker),
      );
      before = new Set(after);
    }
    await context.render.close();
    const summary = await summarise(staging, written);
    await cache.prune(formats);
    return { ...checked, published: true, outDir, formats, plan: publication, written: summary };
  });
}
