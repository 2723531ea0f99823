import { lstat, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserSession } from '../browser/chromium.js';
import type { BuildKeys } from '../cache/keys.js';
import { cacheFolder } from '../cache/folder.js';
import { hashOf } from '../cache/fingerprint.js';
import { countBySeverity, type Diagnostic } from '../diagnostics/diagnostic.js';
import { DiagramCache } from '../diagrams/cache.js';
import { prepareDiagrams, type PreparedDiagrams } from '../diagrams/index.js';
import { checkGlyphs } from '../fonts/glyphs.js';
import { checkAssets } from '../load/assets.js';
import { summariseLesson } from '../load/lesson.js';
import { groupLessons, lessonFrom, loadCourse } from '../load/load.js';
import { resolveReferences, type CourseFiles } from '../load/references.js';
import { readSource } from '../load/source.js';
import { readingSpeeds } from '../markdown/words.js';
import type { Course, Lesson, Section } from '../model/course.js';
import { loadWriter, writers, type WriterEntry } from '../outputs/index.js';
import { plan, type Artifact, type PublicationPlan } from '../outputs/plan.js';
import type { Writer } from '../outputs/writer.js';
import { validateOutDir } from '../outputs/out-dir.js';
import { allSources, build, hasPlugins, selectWriters, sourceDateEpoch, withStagingFolder } from '../pipeline.js';
import type { CourseRenderer } from '../render/renderer.js';
import { checkCourse } from '../rules/index.js';
import { isInside } from '../shared/paths.js';
import { PlacedOutputs } from './placed-outputs.js';

/** What `serve` asks of a build. */
export interface ServeBuildOptions {
  out: string;
  formats: string[];
  cache: boolean;
  browser: BrowserSession;
  /** The writer table (default: the built-in one). */
  writers?: readonly WriterEntry[];
}

/**
 * What `serve` keeps between rebuilds: the loaded course, the diagnostics of each stage (so one
 * file's can be replaced), the renderer, and what made each file in the serve folder.
 */
export interface ServeState {
  root: string;
  options: ServeBuildOptions;
  selected: Writer[];
  course: Course;
  /** Per-file problems found while loading, before cross-file rules. */
  loadDiagnostics: Diagnostic[];
  diagrams: PreparedDiagrams;
  glyphDiagnostics: Diagnostic[];
  /** Every diagnostic, as `check` reports them. */
  diagnostics: Diagnostic[];
  fileCount: number;
  renderer?: CourseRenderer;
  /** The code languages the renderer's highlighter loaded. */
  languages: Set<string>;
  outputs: PlacedOutputs;
  /** Source modification times, by path relative to the root; dropped for a saved file. */
  mtimes: Map<string, number>;
  /** The planned artifact paths of the last publish. */
  planned: string;
  /**
   * Cache-key hashes, kept while templates and settings stay (a change to either is a full build);
   * a lesson's hash is remembered by its object, and a saved lesson is a new object.
   */
  keys?: BuildKeys;
}

/** What one serve build did, for the terminal and the reload event. */
export interface ServeBuildReport {
  /** What the next save starts from; absent when the course has plugins (every save is a full `build`). */
  state?: ServeState;
  published: boolean;
  diagnostics: Diagnostic[];
  /** Source files the course has. */
  fileCount: number;
  /** Whether the whole course was loaded again (else only the saved lessons). */
  full: boolean;
  /** Lessons read again. */
  reread: number;
  /** Output files written or replaced, relative to the serve folder. */
  written: string[];
}

/** Code-block languages used anywhere in the course (the renderer's highlighter loads these). */
function languagesOf(course: Course): Set<string> {
  const languages = new Set<string>();
  for (const section of course.sections) for (const lesson of section.lessons) for (const lang of lesson.codeLanguages) languages.add(lang);
  return languages;
}

const lessonCount = (course: Course): number => course.sections.reduce((sum, section) => sum + section.lessons.length, 0);

/** The date of a set of sources, as `build` dates them, from modification times kept between rebuilds. */
function datesFrom(state: ServeState): (files: string[]) => Promise<Date> {
  const fixed = sourceDateEpoch();
  const mtime = async (file: string): Promise<number> => {
    let time = state.mtimes.get(file);
    if (time === undefined) {
      time = await stat(path.join(state.root, file)).then(
        (info) => info.mtimeMs,
        () => 0,
      );
      state.mtimes.set(file, time);
    }
    return time;
  };
  return async (files) => {
    if (fixed) return fixed;
    const newest = Math.max(0, ...(await Promise.all(files.map(mtime))));
    return new Date(Math.floor(newest / 1000) * 1000);
  };
}

/** Cross-file rules over the course, with the per-file problems already known. */
function crossCheck(state: ServeState): void {
  state.diagnostics = checkCourse(state.course, [...state.loadDiagnostics, ...state.diagrams.diagnostics, ...state.glyphDiagnostics]);
}

/** Writes every selected format into `folder` through serve's output cache. */
async function publishInto(state: ServeState, folder: string, publication: PublicationPlan): Promise<void> {
  const { course } = state;
  const [{ createRenderer }, { buildKeys }] = await Promise.all([import('../render/renderer.js'), import('../cache/keys.js')]);
  const languages = languagesOf(course);
  if (!state.renderer || [...languages].some((lang) => !state.languages.has(lang))) {
    // The diagrams' map is updated in place as saves render new ones, so the renderer always sees them.
    await state.renderer?.close();
    state.renderer = await createRenderer(course, state.diagrams.results);
    state.languages = languages;
  }
  const sourceDate = datesFrom(state);
  state.outputs.startRebuild();
  const context = {
    course,
    outDir: folder,
    plan: publication,
    buildDate: await sourceDate(allSources(course)),
    sourceDate,
    render: state.renderer,
    browser: state.options.browser,
    cache: state.outputs,
    keys: (state.keys ??= await buildKeys(course)),
    log: () => {},
    progress: () => {},
  };
  for (const writer of state.selected) await writer.publish({ ...context, artifacts: publication.of(writer.name) });
}

/**
 * The same plan, its downloads sorted by section in one pass: pages and documents ask for every
 * section's, and filtering every artifact each time costs a rebuild tens of milliseconds.
 */
function indexDownloads(publication: PublicationPlan): PublicationPlan {
  const bySection = new Map<Section | undefined, Artifact[]>();
  for (const artifact of publication.artifacts) {
    if (!artifact.download || (artifact.scope !== 'course' && artifact.scope !== 'section')) continue;
    const owner = artifact.scope === 'section' ? artifact.section : undefined;
    if (artifact.scope === 'section' && !owner) continue;
    let list = bySection.get(owner);
    if (!list) bySection.set(owner, (list = []));
    list.push(artifact);
  }
  return { ...publication, downloads: (section) => [...(bySection.get(section) ?? [])] };
}

const plannedPaths = (publication: PublicationPlan): string => publication.artifacts.map((artifact) => artifact.path).join('\n');

/**
 * Loads, checks and publishes the whole course into a fresh staging folder that replaces serve's
 * folder, as `build` does, keeping what serve needs for the next save.
 * Note: a course with plugins is served by the ordinary `build` (see `serve.ts`), not by this.
 * @param root the content root (absolute)
 * @param options the serve folder, formats, cache switch and browser
 */
export async function serveBuild(root: string, options: ServeBuildOptions): Promise<ServeBuildReport> {
  const selected = await Promise.all(selectWriters(options.formats, options.writers ?? writers).map(loadWriter));
  await validateOutDir(options.out, root, false);
  const { course, diagnostics: loadDiagnostics } = await loadCourse(root, options);
  if (hasPlugins(course)) {
    // Plugins may read anything while rendering: only a whole build knows what they touched.
    const result = await build(root, options);
    return { published: result.published, diagnostics: result.diagnostics, fileCount: result.fileCount, full: true, reread: lessonCount(result.course), written: ['*'] };
  }
  const folder = cacheFolder(course.root, course.config, options);
  const diagrams = await prepareDiagrams(course, { cache: new DiagramCache(folder), browser: options.browser });
  const glyphDiagnostics = course.config.rules['font-missing'] === 'off' ? [] : await checkGlyphs(course);
  const state: ServeState = {
    root,
    options,
    selected,
    course,
    loadDiagnostics,
    diagrams,
    glyphDiagnostics,
    diagnostics: [],
    fileCount: 1 + course.sections.reduce((sum, section) => sum + (section.hasSectionFile ? 1 : 0) + section.lessons.length, 0),
    languages: new Set(),
    outputs: new PlacedOutputs(folder, options.out),
    mtimes: new Map(),
    planned: '',
  };
  crossCheck(state);
  const report = { state, diagnostics: state.diagnostics, fileCount: state.fileCount, full: true, reread: lessonCount(course), written: [] as string[] };
  if (countBySeverity(state.diagnostics).errors > 0) return { ...report, published: false };
  const publication = indexDownloads(plan(course, selected, options.writers ?? writers));
  await withStagingFolder(options.out, undefined, async (staging) => {
    await publishInto(state, staging, publication);
    await state.outputs.prune(options.formats);
  });
  state.planned = plannedPaths(publication);
  state.outputs.takeWritten();
  return { ...report, published: true, written: ['*'] };
}

/** The course's files as reference resolution sees them. */
async function courseFiles(course: Course): Promise<CourseFiles> {
  const sections = new Map<string, string>();
  for (const section of course.sections) {
    sections.set(section.dir, section.path);
    if (section.hasSectionFile) sections.set(section.path, section.path);
  }
  const lessons = new Set(course.sections.flatMap((section) => section.lessons.map((lesson) => lesson.path)));
  return { root: course.root, realRoot: await realpath(course.root), lessons, sections, inspected: new Map(), linkSchemes: course.config.linkSchemes };
}

/** The assets a body references, as a comparable string. */
const assetsOf = (lesson: Lesson): string =>
  lesson.references
    .filter((reference) => reference.target.kind === 'asset')
    .map((reference) => (reference.target.kind === 'asset' ? reference.target.absolute : ''))
    .sort()
    .join('\n');

/** A course with only the given lesson, for the per-file checks (glyphs, diagrams) of one lesson. */
function courseOf(course: Course, section: Section, lesson: Lesson): Course {
  return { ...course, sections: [{ ...section, lessons: [lesson], groups: [] }] };
}

/**
 * Reads one saved lesson again and puts it in the course in place of its old self, with its
 * per-file problems. Returns false when the save changes more than this lesson can say (the
 * lesson is gone or unreadable, or references other assets): then the course is loaded again.
 */
async function reloadLesson(state: ServeState, file: string): Promise<boolean> {
  const { course } = state;
  const section = course.sections.find((candidate) => candidate.lessons.some((lesson) => lesson.path === file));
  if (!section) return false;
  const index = section.lessons.findIndex((lesson) => lesson.path === file);
  const old = section.lessons[index]!;
  const absolute = path.join(course.root, ...file.split('/'));
  const info = await lstat(absolute).catch(() => undefined);
  if (!info?.isFile()) return false;
  const source = await readSource(absolute, file);
  if (source.text === undefined) return false;
  const text = source.text;
  const { summary, tree } = summariseLesson(text, file, readingSpeeds(course.config));
  const fileName = file.slice(file.lastIndexOf('/') + 1);
  const lesson = lessonFrom({ ...section, lessons: section.lessons.slice(0, index) }, { fileName, path: file, text, hash: hashOf(text) }, summary, tree, course.config);
  lesson.references = await resolveReferences(summary.rawReferences, file, await courseFiles(course));
  if (assetsOf(lesson) !== assetsOf(old)) return false;
  section.lessons[index] = lesson;
  section.groups = groupLessons(section.groupTitles, section.lessons);
  const others = (list: Diagnostic[]): Diagnostic[] => list.filter((d) => d.file !== file);
  state.loadDiagnostics = [...others(state.loadDiagnostics), ...source.diagnostics, ...summary.diagnostics];
  if (lesson.references.some((reference) => reference.target.kind === 'asset')) {
    // Each invalid asset is reported with its first user's place, which this save may have moved.
    const bodies = course.sections.flatMap((each) => [...(each.intro ? [each.intro] : []), ...each.lessons]);
    state.loadDiagnostics = [...state.loadDiagnostics.filter((d) => d.rule !== 'asset-invalid'), ...(await checkAssets(bodies))];
  }
  const alone = courseOf(course, section, lesson);
  // The course-wide and section checks run again on the one-lesson course too; only the lesson's findings are new.
  const mine = (list: Diagnostic[]): Diagnostic[] => list.filter((d) => d.file === file);
  if (course.config.rules['font-missing'] !== 'off') state.glyphDiagnostics = [...others(state.glyphDiagnostics), ...mine(await checkGlyphs(alone))];
  const diagrams = await prepareDiagrams(alone, { cache: new DiagramCache(cacheFolder(course.root, course.config, state.options)), browser: state.options.browser });
  for (const [hash, result] of diagrams.results) state.diagrams.results.set(hash, result);
  state.diagrams.diagnostics = [...others(state.diagrams.diagnostics), ...mine(diagrams.diagnostics)];
  state.mtimes.delete(file);
  return true;
}

/** Whether a changed path can be handled by re-reading lessons: `lessons` gets them; false means a full build. */
async function sortChanges(state: ServeState, changed: string[], lessons: string[]): Promise<boolean> {
  const known = new Set(state.course.listedPaths ?? []);
  const lessonPaths = new Set(state.course.sections.flatMap((section) => section.lessons.map((lesson) => lesson.path)));
  for (const absolute of changed) {
    if (!isInside(state.root, absolute)) return false;
    const file = path.relative(state.root, absolute).split(path.sep).join('/');
    if (lessonPaths.has(file)) {
      lessons.push(file);
      continue;
    }
    // An editor's temporary file that came and went changes nothing a build sees.
    const exists = await lstat(absolute).then(
      () => true,
      () => false,
    );
    if (exists || known.has(file)) return false;
  }
  return true;
}

/**
 * Rebuilds after a save: when only lessons changed, re-reads those, re-runs the cross-file rules and
 * writes in place, into serve's folder, only the files whose inputs changed; anything else (course.yml,
 * section.md, templates, assets, added or removed files, a lesson that now references other assets
 * or moves to another output path) loads and publishes the whole course again.
 * Note: the result equals a fresh `build` of the same sources, byte for byte.
 * @param state what the last serve build kept
 * @param changed absolute paths the watcher reported
 */
export async function serveRebuild(state: ServeState, changed: string[]): Promise<ServeBuildReport> {
  const lessons: string[] = [];
  const full = (): Promise<ServeBuildReport> => serveBuild(state.root, state.options);
  if (!(await sortChanges(state, changed, lessons))) return full();
  for (const file of lessons) if (!(await reloadLesson(state, file))) return full();
  crossCheck(state);
  const report = { state, diagnostics: state.diagnostics, fileCount: state.fileCount, full: false, reread: lessons.length, written: [] as string[] };
  if (countBySeverity(state.diagnostics).errors > 0) return { ...report, published: false };
  const publication = indexDownloads(plan(state.course, state.selected, state.options.writers ?? writers));
  if (plannedPaths(publication) !== state.planned) return full();
  await publishInto(state, state.options.out, publication);
  return { ...report, published: true, written: state.outputs.takeWritten() };
}
