import { readFile } from 'node:fs/promises';
import type { Course, Lesson, Section } from '../model/course.js';
import { templateFolders } from '../render/template-folders.js';
import { hashOf, templatesFingerprint, toolFingerprint } from './fingerprint.js';

/**
 * The hashes writers combine into output-cache keys: what a producer takes besides its view.
 * What a page shows of the course is not here: it is the view, and the cache records what the
 * template read of it (see `OutputCache.cached`).
 */
export interface BuildKeys {
  /** Tool code, templates and course settings. */
  base: string;
  /** A lesson's source text and what its links and images resolve to. */
  lesson(lesson: Lesson): string;
  /** A section's own source (section.md) and what its links resolve to, with all its lessons' keys. */
  section(section: Section): string;
  /** section.md alone: its text and resolved references. */
  intro(section: Section): string;
}

/**
 * Computes the build's cache keys once.
 * @param course the checked course
 */
export async function buildKeys(course: Course): Promise<BuildKeys> {
  const base = hashOf(await toolFingerprint(), await templatesFingerprint(templateFolders(course)), course.config);
  const lessonHashes = new Map<Lesson, string>();
  const lesson = (target: Lesson): string => {
    let hash = lessonHashes.get(target);
    if (!hash) lessonHashes.set(target, (hash = hashOf(String(target.file.value), target.references)));
    return hash;
  };
  const intro = (section: Section): string => hashOf(section.file ? String(section.file.value) : '', section.intro?.references ?? []);
  return { base, lesson, intro, section: (section) => hashOf(intro(section), section.lessons.map(lesson)) };
}

/**
 * The cache key of a book (an EPUB or a PDF) besides its view: its sections' sources and the
 * images they embed (by content), the tool, templates and settings, any extra files (a cover),
 * the date it carries, and for printed books the browser and fonts.
 * @param context keys and course of this build
 * @param format the writer's name
 * @param file the book's output path
 * @param sections the sections it holds
 * @param extras other inputs: files whose bytes it shows, its date, a printing fingerprint, the PDF edition it follows
 */
export async function bookKey(
  context: { course: Course; keys: BuildKeys },
  format: string,
  file: string,
  sections: Section[],
  extras: { files?: string[]; date: Date; printing?: string; edition?: string },
): Promise<string> {
  const assets = new Set(extras.files ?? []);
  for (const section of sections) {
    for (const reference of section.intro?.references ?? []) if (reference.target.kind === 'asset') assets.add(reference.target.absolute);
    for (const lesson of section.lessons) for (const reference of lesson.references) if (reference.target.kind === 'asset') assets.add(reference.target.absolute);
  }
  const contents = await Promise.all([...assets].sort().map(async (asset) => [asset, hashOf((await readFile(asset).catch(() => Buffer.from(''))).toString('base64'))]));
  return hashOf(`${format}-book`, context.keys.base, file, sections.map(context.keys.section), contents, extras.date.toISOString(), extras.printing ?? '', extras.edition ?? '');
}
