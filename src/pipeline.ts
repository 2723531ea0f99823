import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { countBySeverity, type Diagnostic } from './diagnostics/diagnostic.js';
import { CoursebookError } from './load/errors.js';
import { loadCourse } from './load/load.js';
import type { Course } from './model/course.js';
import { findWriter, writers } from './outputs/index.js';
import { commitStaging, createStaging, validateOutDir } from './outputs/out-dir.js';
import type { Writer } from './outputs/writer.js';
import { browserSession, type BrowserSession } from './browser/chromium.js';
import { DiagramCache } from './diagrams/cache.js';
import { diagramHash } from './diagrams/collect.js';
import { diagramFigure } from './diagrams/figure.js';
import { prepareDiagrams, type PreparedDiagrams } from './diagrams/index.js';
import { createRenderer } from './render/renderer.js';
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
export interface CheckOptions {
  /** The output folder; the cache sits beside it. Defaults to `dist`. */
  out?: string;
  /** Use the persistent cache (default true). */
  cache?: boolean;
  /** A browser session to reuse; one is created (and closed) otherwise. */
  browser?: BrowserSession;
}

/**
 * The persistent cache folder: course.yml's `cache` (relative to the content root), else
 * `.coursebook-cache/` beside the output folder; none with `cache: false`.
 */
export function cacheFolder(course: Course, options: CheckOptions): string | undefined {
  if (options.cache === false) return undefined;
  if (course.config.cache) return path.resolve(course.root, course.config.cache);
  return path.join(path.dirname(path.resolve(options.out ?? 'dist')), '.coursebook-cache');
}

/**
 * Loads and checks a course: per-file problems first, then cross-file rules, then diagrams
 * (rendered in Chromium only when some are not cached).
 * @param contentDir the content root
 * @param options output folder (for the cache), cache switch, browser session
 * @throws CoursebookError when it cannot run at all
 */
export async function check(contentDir: string, options: CheckOptions = {}): Promise<CheckResult> {
  const { course, diagnostics } = await loadCourse(contentDir);
  const browser = options.browser ?? browserSession();
  let diagrams: PreparedDiagrams;
  try {
    diagrams = await prepareDiagrams(course, { cache: new DiagramCache(cacheFolder(course, options)), browser });
  } finally {
    if (!options.browser) await browser.close();
  }
  const all = checkCourse(course, [...diagnostics, ...diagrams.diagnostics]);
  const fileCount = 1 + course.sections.reduce((sum, section) => sum + (section.hasSectionFile ? 1 : 0) + section.lessons.length, 0);
  return { course, diagnostics: all, fileCount, diagrams };
}

/** Options of `build`. */
export interface BuildOptions extends CheckOptions {
  out: string;
  /** Format names; all known formats when omitted. */
  formats?: string[];
  /** Replace a non-empty output folder Coursebook did not create. */
  force?: boolean;
  log?: (line: string) => void;
}

/** The result of `build`. */
export interface BuildResult extends CheckResult {
  /** False when errors stopped the build before anything was written. */
  published: boolean;
  outDir: string;
  formats: string[];
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

async function buildWith(contentDir: string, options: BuildOptions, formats: string[], selected: Writer[], browser: BrowserSession): Promise<BuildResult> {
  const checked = await check(contentDir, { ...options, browser });
  const outDir = await validateOutDir(options.out, checked.course.root, options.force ?? false);
  if (countBySeverity(checked.diagnostics).errors > 0) return { ...checked, published: false, outDir, formats };
  const log = options.log ?? (() => {});
  const staging = await createStaging(outDir);
  try {
    const date = await buildDate(checked.course);
    const results = checked.diagrams.results;
    const render = await createRenderer(checked.course, (block) => {
      const hash = diagramHash(block.source);
      const result = results.get(hash);
      return result?.ok ? diagramFigure(result, block.caption, hash) : undefined;
    });
    for (const writer of selected) {
      await writer.publish({ course: checked.course, outDir: staging, formats, buildDate: date, render, browser, log });
    }
    await commitStaging(staging, outDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return { ...checked, published: true, outDir, formats };
}
