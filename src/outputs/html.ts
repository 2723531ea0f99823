import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Root as HastRoot } from 'hast';
import MiniSearch from 'minisearch';
import pLimit from 'p-limit';
import type { Course, Lesson } from '../model/course.js';
import { hashOf } from '../cache/fingerprint.js';
import { bodyText } from '../render/lesson-body.js';
import { copyForLinks, relativeUrl, rewriteLinks } from '../render/links.js';
import { outputPaths, publicUrl } from '../render/paths.js';
import { courseStructuredData, jsonLdText, lessonStructuredData, sectionStructuredData, type UrlOf } from '../render/structured-data.js';
import { siteLinkPolicy } from '../render/site-links.js';
import { builtinTemplates, createTemplateEnvironment, renderTemplate, templateFolders } from '../render/templates.js';
import { courseView, type LessonView, type SectionView } from '../render/view.js';
import { downloadsOf } from './downloads.js';
import { publishAsset, referencedAssets } from './assets.js';
import { copyOutput, listFiles, writeOutput } from './files.js';
import type { Writer } from './writer.js';

const require = createRequire(import.meta.url);

/** The relative prefix from a page to the site root ("" or "../"). */
const rootOf = (page: string): string => '../'.repeat(page.split('/').length - 1);

/** How a page's schema.org data addresses pages: absolute under `baseUrl`, else relative to the page. */
const jsonLdUrls = (course: Course, page: string): UrlOf => (course.config.baseUrl ? (target) => publicUrl(course, target) : (target) => relativeUrl(page, target));

/** MiniSearch settings shared by the build and the page script (which adds the same tokeniser). */
const searchOptions = { fields: ['title', 'headings', 'text'], storeFields: [] as string[], idField: 'id' };

/**
 * The search tokeniser, taken from the script the page runs (templates/assets/search-tokenize.js),
 * so the index and the queries split text the same way.
 */
function searchTokenizer(): (text: string) => string[] {
  const scope: { coursebookTokenize?: (text: string) => string[] } = {};
  new Function('globalThis', readFileSync(path.join(builtinTemplates, 'assets', 'search-tokenize.js'), 'utf8'))(scope);
  return scope.coursebookTokenize!;
}

/** One section's search index, serialised; sections are indexed apart so an edit re-indexes one. */
function searchShard(lessons: { view: LessonView; text: string }[]): string {
  const index = new MiniSearch({ ...searchOptions, tokenize: searchTokenizer() });
  index.addAll(lessons.map(({ view, text }) => ({ id: view.id, title: `${view.id} ${view.title}`, headings: view.headings.map((h) => h.text).join(' '), text })));
  return JSON.stringify(index.toJSON());
}

/** The offline search script data: every section's shard and the lessons' titles and links. */
function searchIndexScript(shards: string[], lessons: LessonView[]): string {
  const docs = Object.fromEntries(lessons.map((view) => [view.id, { lesson: view.id, title: view.title, href: view.href }]));
  return `window.COURSEBOOK_SEARCH = {"options":${JSON.stringify(searchOptions)},"shards":[${shards.join(',')}],"docs":${JSON.stringify(docs)}};\n`;
}

/**
 * One template environment per loaded course, so its compiled templates are kept: `serve` keeps
 * the course between saves (a template or course.yml change loads a new one) and renders a few pages.
 */
const environments = new WeakMap<Course, ReturnType<typeof createTemplateEnvironment>>();

/** How many files a writer reads and writes at once. */
const ioConcurrency = 16;

/**
 * The HTML site: a home page, a page per section and per lesson, the course's assets, the
 * stylesheet and an offline search index. Every link is relative, so the site works from
 * file:// and under any sub-path, and reading needs no JavaScript.
 */
export const htmlWriter: Writer = {
  name: 'html',
  description: 'a static website with offline search',
  artifacts: (course) => [
    { scope: 'site', path: outputPaths.home, label: course.config.title },
    ...course.sections.flatMap((section) => [
      { scope: 'section' as const, path: outputPaths.section(section), label: section.title, section },
      ...section.lessons.map((lesson) => ({ scope: 'lesson' as const, path: outputPaths.lesson(lesson), label: lesson.title, section, lesson })),
    ]),
  ],
  async publish(context) {
    const { course, outDir, render, keys } = context;
    let env = environments.get(course);
    if (!env) environments.set(course, (env = createTemplateEnvironment(course)));
    const view = courseView(course, { home: outputPaths.home, section: outputPaths.section, lesson: outputPaths.lesson }, downloadsOf(context.plan));
    // Rendered bodies are not part of the tracked view: their sources are in the key.
    const page = (
      template: string,
      key: string,
      file: string,
      pageView: object,
      bodies: () => Record<string, string> | Promise<Record<string, string>>,
      extras?: () => Record<string, string>,
    ): Promise<boolean> =>
      context.cache.cached(outDir, {
        format: 'html',
        key: hashOf(template, keys.base, key, file),
        files: [file],
        view: pageView,
        produce: async (tracked) => {
          await writeOutput(outDir, file, renderTemplate(env, template, { ...tracked, ...(await bodies()) }));
          return extras?.();
        },
      });
    await page('site/home.njk', '', outputPaths.home, { course: view, root: '', jsonLd: jsonLdText(courseStructuredData(course, jsonLdUrls(course, outputPaths.home))) }, () => ({}));
    for (const [s, section] of course.sections.entries()) {
      const file = outputPaths.section(section);
      const introHtml = (): Record<string, string> => {
        const intro = render.intro(section);
        return { introHtml: intro && section.intro ? render.html(rewriteLinks(copyForLinks(intro), section.intro, siteLinkPolicy(course, file))) : '' };
      };
      const jsonLd = jsonLdText(sectionStructuredData(course, section, jsonLdUrls(course, file)));
      await page('site/section.njk', keys.intro(section), file, { course: view, root: rootOf(file), section: view.sections[s]!, jsonLd }, introHtml);
    }

    const lessons: { lesson: Lesson; view: LessonView; section: SectionView; jsonLd: string }[] = course.sections.flatMap((section, s) =>
      section.lessons.map((lesson, l) => ({
        lesson,
        view: view.sections[s]!.lessons[l]!,
        section: view.sections[s]!,
        jsonLd: jsonLdText(lessonStructuredData(course, section, lesson, jsonLdUrls(course, outputPaths.lesson(lesson)))),
      })),
    );
    const limit = pLimit(ioConcurrency);
    const texts = new Map<Lesson, string>();
    const pageKey = (lesson: Lesson): string => hashOf('site/lesson.njk', keys.base, keys.lesson(lesson), outputPaths.lesson(lesson));
    let done = 0;
    let rendered = 0;
    await Promise.all(
      lessons.map(({ lesson, view: lessonView, section: sectionView, jsonLd }, index) =>
        limit(async () => {
          const file = outputPaths.lesson(lesson);
          let body: HastRoot | undefined;
          const linkedBody = (): HastRoot => (body ??= rewriteLinks(copyForLinks(render.body(lesson)), lesson, siteLinkPolicy(course, file)));
          const pageView = { course: view, root: rootOf(file), section: sectionView, lesson: lessonView, previous: lessons[index - 1]?.view, next: lessons[index + 1]?.view, jsonLd };
          const reused = await page(
            'site/lesson.njk',
            keys.lesson(lesson),
            file,
            pageView,
            // Rendered on a worker thread while this one writes other pages.
            async () => {
              await render.prepare([lesson]);
              return { bodyHtml: render.html(linkedBody()) };
            },
            () => {
              const text = bodyText(linkedBody());
              texts.set(lesson, text);
              return { 'search.txt': text };
            },
          );
          if (!reused) rendered++;
          context.progress(++done, lessons.length, lesson.id);
        }),
      ),
    );
    const shards: string[] = [];
    for (const [s, section] of course.sections.entries()) {
      const sectionView = view.sections[s]!;
      const key = hashOf('html-search', keys.base, keys.section(section));
      let shard: string | undefined;
      await context.cache.cached(outDir, {
        format: 'html',
        key,
        files: [],
        view: { lessons: sectionView.lessons },
        produce: async (tracked) => {
          const entries = await Promise.all(
            section.lessons.map(async (lesson, l) => ({
              view: tracked.lessons[l]!,
              text:
                texts.get(lesson) ??
                (await context.cache.extra('html', pageKey(lesson), 'search.txt')) ??
                bodyText(rewriteLinks(copyForLinks(render.body(lesson)), lesson, siteLinkPolicy(course, outputPaths.lesson(lesson)))),
            })),
          );
          shard = searchShard(entries);
          return { 'shard.json': shard };
        },
      });
      shard ??= await context.cache.extra('html', key, 'shard.json');
      shards.push(shard ?? searchShard(section.lessons.map((lesson, l) => ({ view: sectionView.lessons[l]!, text: bodyText(render.body(lesson)) }))));
    }
    for (const [relative, absolute] of referencedAssets(course)) await publishAsset(absolute, outDir, outputPaths.asset(relative));
    for (const folder of [...templateFolders(course)].reverse()) {
      for (const file of await listFiles(path.join(folder, 'assets'))) await copyOutput(path.join(folder, 'assets', file), outDir, `${outputPaths.siteAssets}/${file}`);
    }
    // The UMD build is not in minisearch's exports map; it sits beside the CommonJS entry.
    const minisearchUmd = path.join(path.dirname(require.resolve('minisearch')), '..', 'umd', 'index.js');
    await copyOutput(minisearchUmd, outDir, `${outputPaths.siteAssets}/minisearch.js`);
    await writeOutput(outDir, outputPaths.searchIndex, searchIndexScript(shards, view.lessons));
    return `${lessons.length + course.sections.length + 1} pages (${rendered} rendered, ${lessons.length - rendered} cached)`;
  },
};
