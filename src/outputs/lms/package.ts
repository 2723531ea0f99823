import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Root as HastRoot } from 'hast';
import { toHtml } from 'hast-util-to-html';
import JSZip from 'jszip';
import { hashOf } from '../../cache/fingerprint.js';
import { CoursebookError } from '../../shared/errors.js';
import type { Course, Lesson, Section } from '../../model/course.js';
import { relativeUrl, rewriteLinks, type LinkPolicy } from '../../render/links.js';
import { courseSlug, outputPaths, publicUrl } from '../../render/paths.js';
import { indexCourse } from '../../render/site-links.js';
import { createTemplateEnvironment, renderTemplate, templateFolders } from '../../render/templates.js';
import { courseView, type CourseView } from '../../render/view.js';
import { safeAssetBytes } from '../assets.js';
import type { ArtifactSpec } from '../plan.js';
import { writeOutput } from '../files.js';
import type { PublishContext } from '../writer.js';

/** The folder LMS packages are published in. */
const packagesFolder = 'lms';

/** The zip entries' date: the earliest a zip can say, so two builds give the same bytes. */
const zipDate = new Date(Date.UTC(1980, 0, 1));

/** One LMS package of a course: the whole course, or one section (course.yml `lms: {sections: true}`). */
export interface PackageScope {
  path: string;
  section?: Section;
  sections: Section[];
}

/**
 * The plan's artifacts for an LMS package format: one package of the whole course, and one per
 * section when course.yml says `lms: { sections: true }`. Packages are not offered on pages.
 * @param course the checked course
 * @param suffix what ends the file name ("-scorm12.zip", ".imscc")
 * @param label what the build summary calls it
 */
export function packageArtifacts(course: Course, suffix: string, label: string): ArtifactSpec[] {
  const sections: ArtifactSpec[] = course.config.lms?.sections ? course.sections.map((section) => ({ scope: 'section', path: `${packagesFolder}/${section.dir}${suffix}`, label, section })) : [];
  return [{ scope: 'course', path: `${packagesFolder}/${courseSlug(course)}${suffix}`, label }, ...sections];
}

/**
 * The package an artifact of `packageArtifacts` stands for.
 * @param course the checked course
 * @param artifact the artifact
 */
export function packageOf(course: Course, artifact: ArtifactSpec): PackageScope {
  return artifact.section ? { path: artifact.path, section: artifact.section, sections: [artifact.section] } : { path: artifact.path, sections: course.sections };
}

/**
 * Links inside a package: relative to lessons it holds; to anything else (another section's
 * lessons, section pages) absolute under `baseUrl`, or plain text without it, so a package never
 * holds a broken link.
 */
function packageLinkPolicy(course: Course, fromPage: string, held: ReadonlySet<Lesson>): LinkPolicy {
  const { lessons, sections } = indexCourse(course);
  const outside = (outputPath: string): string | null => (course.config.baseUrl ? publicUrl(course, outputPath) : null);
  const fragmentOf = (url: string | null, fragment: string | undefined): string | null => (url && fragment ? `${url}#${encodeURIComponent(fragment)}` : url);
  return {
    lesson: (targetPath, fragment) => {
      const lesson = lessons.get(targetPath);
      if (!lesson) return null;
      return fragmentOf(held.has(lesson) ? relativeUrl(fromPage, outputPaths.lesson(lesson)) : outside(outputPaths.lesson(lesson)), fragment);
    },
    section: (sectionPath, fragment) => {
      const section = sections.get(sectionPath);
      return section ? fragmentOf(outside(outputPaths.section(section)), fragment) : null;
    },
    anchor: (fragment) => `#${encodeURIComponent(fragment)}`,
    asset: (assetPath) => relativeUrl(fromPage, outputPaths.asset(assetPath)),
    external: (url) => url,
  };
}

/** Reads a file of the template folders that is not a template (a script, the stylesheet), the course's own first. */
export async function templateFile(course: Course, name: string): Promise<Uint8Array> {
  for (const folder of templateFolders(course)) {
    try {
      return await readFile(path.join(folder, ...name.split('/')));
    } catch {
      // Not in this folder: the built-in templates come next.
    }
  }
  throw new CoursebookError(`Template file ${name} is missing from ${templateFolders(course).join(' and ')}.`);
}

/** The files of a package besides its manifest: lesson pages, then shared files (styles, scripts, images). */
export interface PackageFiles {
  /** Each lesson's page, by lesson, in course order, with its body as the page shows it. */
  pages: { lesson: Lesson; section: Section; path: string; body: HastRoot }[];
  /** Files every page may use: stylesheet, scripts, the lessons' images and linked files. */
  shared: string[];
  /** Every file's bytes, by path inside the package. */
  bytes: Map<string, string | Uint8Array>;
}

/**
 * Renders a package's lesson pages with templates/package/lesson.njk (the site's lesson header and
 * body, no site navigation or search) and gathers the files they use.
 * @param context the build
 * @param view the course view, as the cache tracks it
 * @param scope the sections it holds
 * @param scorm the SCORM version the page's runtime talks to, or '' for none
 */
export async function packageFiles(context: PublishContext, view: CourseView, scope: PackageScope, scorm: '1.2' | '2004' | ''): Promise<PackageFiles> {
  const { course, render } = context;
  const env = createTemplateEnvironment(course);
  const held = new Set(scope.sections.flatMap((section) => section.lessons));
  const bytes = new Map<string, string | Uint8Array>();
  const pages: PackageFiles['pages'] = [];
  const assets = new Map<string, string>();
  let quizzes = false;
  for (const section of scope.sections) {
    const sectionView = view.sections.find((candidate) => candidate.number === section.number)!;
    for (const [l, lesson] of section.lessons.entries()) {
      const file = outputPaths.lesson(lesson);
      const body = rewriteLinks(structuredClone(render.body(lesson)), lesson, packageLinkPolicy(course, file, held));
      const bodyHtml = toHtml(body);
      const lessonView = sectionView.lessons[l]!;
      quizzes ||= lessonView.hasQuiz;
      bytes.set(file, renderTemplate(env, 'package/lesson.njk', { course: view, section: sectionView, lesson: lessonView, root: '../'.repeat(file.split('/').length - 1), scorm, bodyHtml }));
      pages.push({ lesson, section, path: file, body });
      for (const reference of lesson.references) if (reference.target.kind === 'asset') assets.set(outputPaths.asset(reference.target.path), reference.target.absolute);
    }
  }
  bytes.set(`${outputPaths.siteAssets}/site.css`, await templateFile(course, 'assets/site.css'));
  if (quizzes) bytes.set(`${outputPaths.siteAssets}/quiz.js`, await templateFile(course, 'assets/quiz.js'));
  if (scorm) bytes.set(`${outputPaths.siteAssets}/scorm.js`, await templateFile(course, 'package/scorm.js'));
  for (const [relative, absolute] of [...assets].sort(([a], [b]) => (a < b ? -1 : 1))) bytes.set(relative, await safeAssetBytes(absolute));
  const pagePaths = new Set(pages.map((page) => page.path));
  const shared = [...bytes.keys()].filter((file) => !pagePaths.has(file)).sort();
  return { pages, shared, bytes };
}

/**
 * Zips files so that two builds give the same bytes: entries sorted by name, one fixed date, no
 * folder entries.
 * @param files each file's bytes, by path inside the zip
 */
export function deterministicZip(files: ReadonlyMap<string, string | Uint8Array>): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const name of [...files.keys()].sort()) zip.file(name, files.get(name)!, { date: zipDate, createFolders: false });
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 9 }, platform: 'UNIX' });
}

/**
 * Publishes a writer's packages through the output cache: each made by `make` from its files.
 * @param context the build
 * @param format the writer's name
 * @param make the package's bytes from its scope and the course view
 */
export async function publishPackages(context: PublishContext, format: string, make: (scope: PackageScope, view: CourseView) => Promise<Uint8Array>): Promise<string> {
  const { course, outDir, keys } = context;
  const view = courseView(course, { home: outputPaths.home, section: outputPaths.section, lesson: outputPaths.lesson });
  let built = 0;
  for (const [index, artifact] of context.artifacts.entries()) {
    const scope = packageOf(course, artifact);
    const key = hashOf(
      format,
      keys.base,
      scope.path,
      scope.sections.map((section) => keys.section(section)),
      course.sections.map((section) => section.lessons.map((lesson) => lesson.path)),
    );
    const reused = await context.cache.cached(outDir, {
      format,
      key,
      files: [scope.path],
      view,
      produce: async (tracked) => {
        await writeOutput(outDir, scope.path, await make(scope, tracked));
      },
    });
    if (!reused) built++;
    context.progress(index + 1, context.artifacts.length, path.posix.basename(scope.path));
  }
  const count = context.artifacts.length;
  return `${count} package${count === 1 ? '' : 's'} (${built} built, ${count - built} cached)`;
}

/**
 * An XML name token (xs:ID) from any text: letters, digits, `-`, `_` and `.`, starting with a letter.
 * @param prefix a letter-initial prefix saying what it names
 * @param text the text to make it from
 */
export function xmlId(prefix: string, text: string): string {
  return `${prefix}-${text.replace(/[^A-Za-z0-9._-]+/g, '_')}`;
}

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** The identifier of the resource every lesson page depends on (stylesheet, scripts, images). */
export const sharedResource = 'resource-shared';

/**
 * The items of a package's organisation, one per section holding one per lesson page, as both
 * SCORM and Common Cartridge manifests list them.
 * @param scope the sections the package holds
 * @param files its lesson pages
 * @param more items after a lesson's (a cartridge's quiz assessment), and markup closing each
 *   section's item (SCORM 2004's sequencing)
 */
export function sectionItems(scope: PackageScope, files: PackageFiles, more: { afterLesson?: (lesson: Lesson) => string[]; sectionEnd?: string[] } = {}): string[] {
  const lines: string[] = [];
  for (const section of scope.sections) {
    lines.push(`<item identifier="${xmlId('section', String(section.number))}">`, `<title>${escapeXml(`${section.number}. ${section.title}`)}</title>`);
    for (const page of files.pages.filter((candidate) => candidate.section === section)) {
      lines.push(
        `<item identifier="${xmlId('lesson', page.lesson.id)}" identifierref="${xmlId('resource', page.lesson.id)}">`,
        `<title>${escapeXml(`${page.lesson.id} ${page.lesson.title}`)}</title>`,
        '</item>',
        ...(more.afterLesson?.(page.lesson) ?? []),
      );
    }
    lines.push(...(more.sectionEnd ?? []), '</item>');
  }
  return lines;
}
