import { existsSync, rmSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { countBySeverity, type Diagnostic } from './diagnostics/diagnostic.js';
import { CoursebookError } from './load/errors.js';
import { loadCourse } from './load/load.js';
import type { Course } from './model/course.js';
import { findWriter, writers } from './outputs/index.js';
import { listFiles } from './outputs/files.js';
import { acquireOutputLock, lockPath } from './outputs/lock.js';
import { commitStaging, createStaging, outputMarker, stagingPath, validateOutDir } from './outputs/out-dir.js';
import { outputPaths } from './render/paths.js';
import { onInterrupt } from './process/interrupt.js';
import type { Writer } from './outputs/writer.js';
import { browserSession, type BrowserSession } from './browser/chromium.js';
import { cacheFolder, type CacheOptions } from './cache/folder.js';
import { DiagramCache } from './diagrams/cache.js';
import { diagramHash } from './diagrams/collect.js';
import { prepareDiagrams, type PreparedDiagrams } from './diagrams/index.js';
import { checkCourse } from './rules/index.js';

/** The result of `check`: the course, its rendered diagrams and every diagnostic, sorted. */
export interface CheckResult {
  course: Course;
  diagnostics: Diagnostic[];
  /** Source files read: course.yml, section.md files and lessons. */
  fileCount: number;
  diagrams: PreparedDiagrams;
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
  const all = checkCourse(course, [...diagnostics, ...diagrams.diagnostics]);
  const fileCount = 1 + course.sections.reduce((sum, section) => sum + (section.hasSectionFile ? 1 : 0) + section.lessons.length, 0);
  return { course, diagnostics: all, fileCount, diagrams };
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
  /** Format names; all known formats when omitted. */
  formats?: string[];
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
  written?: WrittenSummary;
}

/**
 * The build date: SOURCE_DATE_EPOCH when set, else the newest modification time of the sources,
 * so the same sources give the same dates.
 */
export async function buildDate(course: Course): Promise<Date> {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch.trim() !== '') {
    const seconds = Number(epoch);
    if (!Number.isInteger(seconds) || seconds < 0) throw new CoursebookError(`SOURCE_DATE_EPOCH must be a whole number of seconds, got "${epoch}".`);
    return new Date(seconds * 1000);
  }
  const files = ['course.yml', ...course.sections.flatMap((section) => [section.path, ...section.lessons.map((lesson) => lesson.path)])];
  let newest = 0;
  for (const file of files) {
    try {
      newest = Math.max(newest, (await stat(path.join(course.root, file))).mtimeMs);
    } catch {
      // A file that vanished since loading does not date the build.
    }
  }
  return new Date(Math.floor(newest / 1000) * 1000);
}

/**
 * Checks, then publishes every requested format into a staging folder that replaces `out` only
 * when all writers succeed. Nothing is written when the check finds errors.
 * @param contentDir the content root
 * @param options output folder, formats, force
 */
export async function build(contentDir: string, options: BuildOptions): Promise<BuildResult> {
  const formats = options.formats ?? writers.map((writer) => writer.name);
  const selected = formats.map((name) => {
    const writer = findWriter(name);
    if (!writer) throw new CoursebookError(`Unknown format "${name}". Known formats: ${writers.map((w) => w.name).join(', ') || 'none yet'}.`);
    return writer;
  });
  const browser = options.browser ?? browserSession();
  try {
    return await buildWith(contentDir, options, formats, selected, browser);
  } finally {
    if (!options.browser) await browser.close();
  }
}

/** Which format a published file belongs to, for the summary. */
function formatOf(file: string): string {
  if (file.endsWith('.pdf')) return 'pdf';
  if (file.endsWith('.epub')) return 'epub';
  if (file.startsWith(`${outputPaths.api}/`)) return 'json';
  return 'html';
}

async function summarise(folder: string): Promise<WrittenSummary> {
  const summary: WrittenSummary = { files: 0, bytes: 0, byFormat: {} };
  for (const file of await listFiles(folder)) {
    if (file === outputMarker) continue;
    const { size } = await stat(path.join(folder, file));
    const entry = (summary.byFormat[formatOf(file)] ??= { files: 0, bytes: 0 });
    entry.files++;
    entry.bytes += size;
    summary.files++;
    summary.bytes += size;
  }
  return summary;
}

async function buildWith(contentDir: string, options: BuildOptions, formats: string[], selected: Writer[], browser: BrowserSession): Promise<BuildResult> {
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
  const checked = await timed('check', () => check(contentDir, { ...options, browser }), (result) => `${result.fileCount} files${result.diagrams.rendered ? `, ${result.diagrams.rendered} diagrams rendered` : ''}`);
  if (countBySeverity(checked.diagnostics).errors > 0) return { ...checked, published: false, outDir, formats };
  const release = await acquireOutputLock(outDir, options.lockWaitMs);
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
    const date = await buildDate(checked.course);
    const results = checked.diagrams.results;
    // Imported here, not at the top: `check` needs none of them, and Shiki, parse5 and the
    // template engine would cost every command their start-up time.
    const [{ createRenderer }, { diagramFigure }, { buildKeys }, { OutputCache }] = await Promise.all([
      import('./render/renderer.js'),
      import('./diagrams/figure.js'),
      import('./cache/keys.js'),
      import('./cache/outputs.js'),
    ]);
    const render = await createRenderer(checked.course, (block) => {
      const hash = diagramHash(block.source);
      const result = results.get(hash);
      return result?.ok ? diagramFigure(result, block.caption, hash) : undefined;
    });
    const cache = new OutputCache(cacheFolder(checked.course.root, checked.course.config, options));
    const keys = await buildKeys(checked.course, formats);
    for (const writer of selected) {
      const step = writer.name;
      const context = {
        course: checked.course,
        outDir: staging,
        formats,
        buildDate: date,
        render,
        browser,
        cache,
        keys,
        log: (line: string) => emit({ type: 'log', step, line }),
        progress: (done: number, total: number, label?: string) => emit({ type: 'step-progress', step, done, total, ...(label ? { label } : {}) }),
      };
      await timed(step, () => writer.publish(context), (summary) => summary || undefined);
    }
    const written = await summarise(staging);
    await commitStaging(staging, outDir);
    await cache.prune(formats);
    staging = undefined;
    return { ...checked, published: true, outDir, formats, written };
  } finally {
    unregister();
    await abandon();
  }
}
