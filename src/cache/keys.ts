import { readFile } from 'node:fs/promises';
import type { Course, Lesson, Section } from '../model/course.js';
import { hashOf, templatesFingerprint, toolFingerprint } from './fingerprint.js';
import { templateFolders } from '../render/templates.js';
import { fontsFingerprint } from '../fonts/fontconfig.js';

/** The hashes writers combine into output-cache keys. */
export interface BuildKeys {
  /** Tool code, templates, course settings and the formats being built. */
  base: string;
  /**
   * Everything one page can show of the others: numbers, titles, summaries, groups, minutes and
   * paths of every section and lesson. A page's navigation changes only when this does.
   */
  shell: string;
  /** Hash of a lesson's source text. */
  lesson(lesson: Lesson): string;
  /** Hash of a section's own source (section.md) and of all its lessons' sources. */
  section(section: Section): string;
}

/**
 * Computes the build's cache keys once.
 * @param course the checked course
 * @param formats the formats of this build (pages link to the downloads of the others)
 */
export async function buildKeys(course: Course, formats: readonly string[]): Promise<BuildKeys> {
  const base = hashOf(await toolFingerprint(), await templatesFingerprint(templateFolders(course)), course.config, [...formats].sort());
  const shell = hashOf(
    course.sections.map((section) => ({
      number: section.number,
      dir: section.dir,
      title: section.title,
      summary: section.summary,
      groups: section.groupTitles,
      lessons: section.lessons.map((lesson) => [lesson.id, lesson.path, lesson.title, lesson.summary, lesson.group ?? null, lesson.minutes]),
    })),
  );
  const lessonHashes = new Map<Lesson, string>();
  const lesson = (target: Lesson): string => {
    let hash = lessonHashes.get(target);
    if (!hash) lessonHashes.set(target, (hash = hashOf(String(target.file.value))));
    return hash;
  };
  return {
    base,
    shell,
    lesson,
    section: (section) => hashOf(section.file ? String(section.file.value) : '', section.lessons.map(lesson)),
  };
}

/**
 * The cache key of a book (an EPUB or a PDF): everything it shows. Its sections' sources and the
 * images they embed (by content), the whole course's outline (navigation, links to other sections),
 * the tool, templates and settings, any extra files (a cover), the build date it carries, and the
 * installed fonts (which glyphs Chromium prints).
 * @param context keys, course and build date of this build
 * @param format the writer's name
 * @param file the book's output path
 * @param sections the sections it holds
 * @param extraFiles other files whose bytes it shows
 */
export async function bookKey(
  context: { course: Course; keys: BuildKeys; buildDate: Date },
  format: string,
  file: string,
  sections: Section[],
  extraFiles: string[] = [],
): Promise<string> {
  const assets = new Set(extraFiles);
  for (const section of sections) {
    for (const lesson of section.lessons) for (const reference of lesson.references) if (reference.target.kind === 'asset') assets.add(reference.target.absolute);
  }
  const contents = await Promise.all([...assets].sort().map(async (asset) => [asset, hashOf((await readFile(asset).catch(() => Buffer.from(''))).toString('base64'))]));
  return hashOf(`${format}-book`, await fontsFingerprint(), context.keys.base, context.keys.shell, file, sections.map(context.keys.section), contents, context.buildDate.toISOString());
}
