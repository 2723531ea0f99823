import type { Dirent, Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Root } from 'mdast';
import pLimit from 'p-limit';
import { VFile } from 'vfile';
import { cacheFolder, type CacheOptions } from '../cache/folder.js';
import { hashOf, toolFingerprint } from '../cache/fingerprint.js';
import { LessonCache } from '../cache/lessons.js';
import { configFileName, loadConfig } from '../config/load.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Body, Course, CourseConfig, Lesson, LessonGroup, Section } from '../model/course.js';
import { checkAssets } from './assets.js';
import { readingSpeeds } from '../markdown/words.js';
import { CoursebookError } from '../shared/errors.js';
import { parseLessonTree, parseSection, summaryFields, type LessonSummary } from './lesson.js';
import { parseAll } from './parse-pool.js';
import { isInside } from '../shared/paths.js';
import { applyLinkSchemes, collectReferences, resolveReferences, type CourseFiles, type RawReference } from './references.js';
import { maxSourceBytes, readSource } from './source.js';

/** The course as loaded, with every problem found while reading each file on its own. */
export interface LoadResult {
  course: Course;
  diagnostics: Diagnostic[];
}

const positionPrefix = /^(\d+)-(.+)$/;
const sectionFileName = 'section.md';
const notLessons = new Set(['section.md', 'readme.md', 'index.md']);

/** Splits an `NN-name` file or folder name into its position and its slug. */
function splitPrefix(name: string): { position?: number; slug: string } {
  const match = positionPrefix.exec(name);
  return match ? { position: Number(match[1]), slug: match[2] ?? name } : { slug: name };
}

function byPosition(a: string, b: string): number {
  const pa = splitPrefix(a).position ?? Number.MAX_SAFE_INTEGER;
  const pb = splitPrefix(b).position ?? Number.MAX_SAFE_INTEGER;
  return pa - pb || (a < b ? -1 : a > b ? 1 : 0);
}

/** How many source files are read at once: enough to keep the disk busy, few enough for any fd limit. */
const readConcurrency = 32;

/**
 * Lists a folder, recording each entry's path in `listed`.
 * @param relative the folder relative to the root ('' for the root)
 */
async function listFolder(absolute: string, relative: string, diagnostics: Diagnostic[], listed: string[]): Promise<Dirent[]> {
  try {
    const entries = await readdir(absolute, { withFileTypes: true });
    for (const entry of entries) listed.push(relative ? `${relative}/${entry.name}` : entry.name);
    return entries;
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    diagnostics.push(diagnostic('file-unreadable', relative || '.', undefined, `Could not list this folder (${reason}). Check its permissions.`));
    return [];
  }
}

/**
 * Follows a symlinked entry and says what it is, refusing links that leave the content root.
 * @returns 'file', 'dir', 'other' (a FIFO, socket or device), or undefined when it is outside,
 * broken or a loop (reported)
 */
async function entryKind(entry: Dirent, absolute: string, relative: string, realRoot: string, diagnostics: Diagnostic[]): Promise<'file' | 'dir' | 'other' | undefined> {
  if (!entry.isSymbolicLink()) return entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : 'other';
  try {
    const real = await realpath(absolute);
    if (!isInside(realRoot, real)) {
      diagnostics.push(diagnostic('asset-outside-content', relative, undefined, 'This symlink points outside the content root; it is not read. Move the file inside the content folder.'));
      return undefined;
    }
    const info = await stat(real);
    return info.isDirectory() ? 'dir' : info.isFile() ? 'file' : 'other';
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    diagnostics.push(diagnostic('file-unreadable', relative, undefined, `This symlink cannot be followed (${reason}). Fix or remove it.`));
    return undefined;
  }
}

/**
 * Loads a course: course.yml, every section folder and every lesson, each parsed exactly once.
 * Problems in single files are returned as diagnostics; cross-file rules run later in `check`.
 * Note: a folder with only course.yml is an empty course: no sections, and nothing to report.
 * @param contentDir the content root
 * @throws CoursebookError when the folder or course.yml cannot be used at all
 */
export async function loadCourse(contentDir: string, options: CacheOptions = {}): Promise<LoadResult> {
  const root = path.resolve(contentDir);
  let info: Stats;
  try {
    info = await stat(root);
  } catch (cause) {
    throw new CoursebookError(`No such folder: ${contentDir}. Pass the folder that holds course.yml.`, { cause });
  }
  if (!info.isDirectory()) throw new CoursebookError(`${contentDir} is not a folder. Pass the folder that holds course.yml.`);
  const realRoot = await realpath(root);
  await checkConfigFile(root);
  const { config, diagnostics } = await loadConfig(root);
  const listed: string[] = [];
  const lessonCache = await LessonCache.open(cacheFolder(root, config, options), hashOf(await toolFingerprint(), readingSpeeds(config)));

  const sectionDirs: { name: string; absolute: string }[] = [];
  for (const entry of await listFolder(root, '', diagnostics, listed)) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const absolute = path.join(root, entry.name);
    const kind = entry.isSymbolicLink() || entry.isDirectory() ? await entryKind(entry, absolute, entry.name, realRoot, diagnostics) : undefined;
    if (kind !== 'dir') continue;
    const looksLikeSection = positionPrefix.test(entry.name);
    const children = looksLikeSection ? [] : await listFolder(absolute, entry.name, diagnostics, listed);
    if (looksLikeSection || children.some((child) => child.name === sectionFileName)) sectionDirs.push({ name: entry.name, absolute });
  }
  sectionDirs.sort((a, b) => byPosition(a.name, b.name));

  const files: CourseFiles = { root, realRoot, lessons: new Set(), sections: new Map(), inspected: new Map(), linkSchemes: config.linkSchemes };
  const discovered: { section: Section; sources: LessonSource[] }[] = [];
  for (const dir of sectionDirs) discovered.push(await loadSection(dir.name, dir.absolute, realRoot, diagnostics, listed));

  // Every lesson whose source changed since the cached summary is parsed now, on all cores.
  const misses = discovered.flatMap(({ sources }) => sources.filter((source) => !lessonCache.get(source.path, source.hash)));
  const parsed = await parseAll(misses.map((source) => ({ text: source.text, path: source.path, speeds: readingSpeeds(config) })));
  const fresh = new Map(misses.map((source, index) => [source.path, parsed[index]!]));

  const sections: Section[] = [];
  const pending: { body: Body; raw: RawReference[] }[] = [];
  for (const { section, sources } of discovered) {
    if (section.intro) pending.push({ body: section.intro, raw: collectReferences(section.intro.tree) });
    for (const source of sources) {
      const result = fresh.get(source.path);
      if (result) lessonCache.set(source.path, source.hash, result.summary);
      const summary = result?.summary ?? lessonCache.get(source.path, source.hash)!;
      const lesson = lessonFrom(section, source, summary, result?.tree, config);
      diagnostics.push(...summary.diagnostics);
      section.lessons.push(lesson);
      pending.push({ body: lesson, raw: summary.rawReferences });
    }
    if (section.intro) applyLinkSchemes(section.intro.tree, config.linkSchemes);
    section.groups = groupLessons(section.groupTitles, section.lessons);
    sections.push(section);
    files.sections.set(section.dir, section.path);
    if (section.hasSectionFile) files.sections.set(section.path, section.path);
    for (const lesson of section.lessons) files.lessons.add(lesson.path);
  }
  await Promise.all(
    pending.map(async ({ body, raw }) => {
      body.references = await resolveReferences(raw, body.path, files);
    }),
  );
  await listAssetFolders(
    root,
    pending.map(({ body }) => body),
    diagnostics,
    listed,
  );
  diagnostics.push(...(await checkAssets(pending.map(({ body }) => body))));
  await lessonCache.save(files.lessons);
  return { course: { root, config, sections, listedPaths: listed }, diagnostics };
}

/**
 * Refuses a course.yml that is not a regular file or is too big to be a course's settings, before
 * it is read: reading a FIFO would wait forever.
 * @throws CoursebookError with a one-line reason
 */
async function checkConfigFile(root: string): Promise<void> {
  let info: Stats;
  try {
    info = await stat(path.join(root, configFileName));
  } catch {
    return; // loadConfig says what is wrong with a missing or unreadable course.yml.
  }
  if (!info.isFile()) throw new CoursebookError(`${path.join(root, configFileName)} is not a regular file. Make ${configFileName} a file with at least \`title: …\`.`);
  if (info.size > maxSourceBytes) throw new CoursebookError(`${path.join(root, configFileName)} is ${Math.ceil(info.size / 1024)} KB; course settings are a few lines. Fix ${configFileName}.`);
}

/**
 * Lists every folder (and the folders above it) that holds a referenced asset and is not listed
 * yet, so rules about names see the asset's neighbours too.
 */
async function listAssetFolders(root: string, bodies: Body[], diagnostics: Diagnostic[], listed: string[]): Promise<void> {
  const done = new Set(['', ...listed.map((entry) => entry.slice(0, Math.max(0, entry.lastIndexOf('/'))))]);
  const wanted = new Set<string>();
  for (const body of bodies) {
    for (const { target } of body.references) {
      if (target.kind !== 'asset') continue;
      for (let folder = path.posix.dirname(target.path); folder !== '.' && !done.has(folder); folder = path.posix.dirname(folder)) wanted.add(folder);
    }
  }
  for (const folder of [...wanted].sort()) await listFolder(path.join(root, folder), folder, diagnostics, listed);
}

/** A lesson file read from disk, before it is parsed or looked up in the cache. */
export interface LessonSource {
  fileName: string;
  path: string;
  text: string;
  hash: string;
}

/** Reads a section folder: its section.md (parsed) and its lesson files' sources. */
async function loadSection(name: string, absolute: string, realRoot: string, diagnostics: Diagnostic[], listed: string[]): Promise<{ section: Section; sources: LessonSource[] }> {
  const { position, slug } = splitPrefix(name);
  const sectionPath = `${name}/${sectionFileName}`;
  const entries = await listFolder(absolute, name, diagnostics, listed);
  const section: Section = {
    number: position ?? 0,
    slug,
    dir: name,
    path: sectionPath,
    hasSectionFile: false,
    frontmatterParsed: false,
    title: slug,
    summary: '',
    groupTitles: [],
    fieldPositions: {},
    groups: [],
    lessons: [],
  };
  if (position !== undefined) section.folderPosition = position;
  const lessonNames: string[] = [];
  for (const entry of entries) {
    const lower = entry.name.toLowerCase();
    if (!lower.endsWith('.md') || entry.name.startsWith('.')) continue;
    const kind = await entryKind(entry, path.join(absolute, entry.name), `${name}/${entry.name}`, realRoot, diagnostics);
    // A folder or FIFO named like a lesson is read anyway, so that readSource reports it.
    if (kind === undefined) continue;
    if (entry.name === sectionFileName) section.hasSectionFile = true;
    else if (!notLessons.has(lower)) lessonNames.push(entry.name);
  }
  if (section.hasSectionFile) {
    const source = await readSource(path.join(absolute, sectionFileName), sectionPath);
    diagnostics.push(...source.diagnostics);
    if (source.text !== undefined) {
      const parsed = parseSection(source.text, sectionPath);
      diagnostics.push(...parsed.diagnostics);
      const fm = parsed.frontmatter;
      Object.assign(section, {
        number: fm.section ?? section.number,
        title: fm.title ?? section.title,
        summary: fm.summary ?? '',
        groupTitles: fm.groups ?? [],
        frontmatterParsed: parsed.fields !== undefined,
        fieldPositions: parsed.positions,
        file: parsed.file,
      });
      if (parsed.tree.children.some((node) => node.type !== 'yaml')) section.intro = { path: sectionPath, tree: parsed.tree, headings: parsed.headings, references: [] };
      if (fm.lessons !== undefined) section.declaredLessons = fm.lessons;
      if (fm.readingTime !== undefined) section.declaredReadingTime = fm.readingTime;
    }
  } else {
    diagnostics.push(
      diagnostic('frontmatter-schema', name, undefined, `Section folder has no ${sectionFileName}. Create ${sectionPath} with \`section\` and \`title\` (and an optional \`summary\`).`),
    );
  }

  lessonNames.sort(byPosition);
  const limit = pLimit(readConcurrency);
  const read = await Promise.all(lessonNames.map((file) => limit(() => readSource(path.join(absolute, file), `${name}/${file}`))));
  const sources: LessonSource[] = [];
  lessonNames.forEach((fileName, index) => {
    const source = read[index]!;
    diagnostics.push(...source.diagnostics);
    if (source.text !== undefined) sources.push({ fileName, path: `${name}/${fileName}`, text: source.text, hash: hashOf(source.text) });
  });
  return { section, sources };
}

/**
 * Builds a lesson from its summary. The tree is kept when it was just parsed, else parsed when a
 * writer first asks for it: a lesson whose outputs all come from the cache is never parsed.
 * Either way its links with a scheme course.yml maps are rewritten to the mapped URL.
 * Note: exported for `serve`, which rebuilds one saved lesson without loading the course again.
 */
export function lessonFrom(section: Section, source: LessonSource, summary: LessonSummary, parsedTree: Root | undefined, config: CourseConfig): Lesson {
  let tree = parsedTree && applyLinkSchemes(parsedTree, config.linkSchemes);
  const prefix = splitPrefix(source.fileName.replace(/\.md$/i, ''));
  // Without a valid `lesson` field (already reported), the number falls back to the file position.
  const fallbackNumber = prefix.position ?? section.lessons.length + 1;
  const [declaredSection, declaredNumber] = summary.frontmatter.lesson?.split('.').map(Number) ?? [section.number, fallbackNumber];
  const lesson = {
    id: summary.frontmatter.lesson ?? `${section.number}.${fallbackNumber}`,
    lessonNumber: declaredNumber ?? fallbackNumber,
    declaredSection: declaredSection ?? section.number,
    slug: prefix.slug,
    path: source.path,
    title: summary.frontmatter.title ?? prefix.slug,
    summary: summary.frontmatter.summary ?? '',
    minutes: summary.frontmatter.minutes ?? summary.computedMinutes,
    ...(Object.fromEntries(summaryFields.map((field) => [field, summary[field]])) as Pick<LessonSummary, (typeof summaryFields)[number]>),
    references: [],
    fieldPositions: summary.positions,
    objectives: summary.frontmatter.objectives ?? [],
    requires: summary.frontmatter.requires ?? [],
    file: new VFile({ path: source.path, value: source.text }),
  } as Omit<Lesson, 'tree'> as Lesson;
  Object.defineProperty(lesson, 'tree', { enumerable: true, get: () => (tree ??= applyLinkSchemes(parseLessonTree(source.text, source.path), config.linkSchemes)) });
  if (prefix.position !== undefined) lesson.filePosition = prefix.position;
  if (summary.frontmatter.group !== undefined) lesson.group = summary.frontmatter.group;
  return lesson;
}

/**
 * Puts lessons under their section's declared groups, in declared order; lessons whose group is
 * not declared (or that have none) go to a trailing untitled group so nothing is lost.
 */
export function groupLessons(titles: string[], lessons: Lesson[]): LessonGroup[] {
  const groups: LessonGroup[] = titles.map((title) => ({ title, lessons: [] }));
  const loose: Lesson[] = [];
  for (const lesson of lessons) {
    const group = groups.find((candidate) => candidate.title === lesson.group);
    (group ? group.lessons : loose).push(lesson);
  }
  if (loose.length > 0) groups.push({ title: '', lessons: loose });
  return groups.filter((group) => group.lessons.length > 0 || group.title !== '');
}
