import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { toHtml } from 'hast-util-to-html';
import MiniSearch from 'minisearch';
import pLimit from 'p-limit';
import type { Course, Lesson } from '../model/course.js';
import { hashOf } from '../cache/fingerprint.js';
import { courseLabels } from '../render/labels.js';
import { bodyText } from '../render/lesson-body.js';
import { rewriteLinks } from '../render/links.js';
import { outputPaths } from '../render/paths.js';
import { siteLinkPolicy } from '../render/site-links.js';
import { builtinTemplates, createTemplateEnvironment, renderTemplate, templateFolders } from '../render/templates.js';
import { courseView, type DownloadView, type LessonView } from '../render/view.js';
import { publishAsset, referencedAssets } from './assets.js';
import { copyOutput, listFiles, writeOutput } from './files.js';
import type { PublishContext, Writer } from './writer.js';

const require = createRequire(import.meta.url);

/** The relative prefix from a page to the site root ("" or "../"). */
const rootOf = (page: string): string => '../'.repeat(page.split('/').length - 1);

/** Downloads the site offers, for the formats built in this run. */
function siteDownloads(context: PublishContext): { section(section: Course['sections'][number]): DownloadView[]; course: DownloadView[] } {
  const { course, formats } = context;
  const labels = courseLabels(course);
  const make = (pdf: string, epub: string): DownloadView[] => [
    ...(formats.includes('pdf') ? [{ kind: 'pdf' as const, label: labels.format('downloadPdf'), href: pdf }] : []),
    ...(formats.includes('epub') ? [{ kind: 'epub' as const, label: labels.format('downloadEpub'), href: epub }] : []),
  ];
  return {
    section: (section) => make(outputPaths.sectionPdf(section), outputPaths.sectionEpub(section)),
    course: make(outputPaths.coursePdf(course), outputPaths.courseEpub(course)),
  };
}

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
  async publish(context) {
    const { course, outDir, render } = context;
    const env = createTemplateEnvironment(course);
    const view = courseView(course, { home: outputPaths.home, section: outputPaths.section, lesson: outputPaths.lesson }, siteDownloads(context));
    const base = { course: view };
    await writeOutput(outDir, outputPaths.home, renderTemplate(env, 'site/home.njk', { ...base, root: '' }));

    const lessons: { lesson: Lesson; view: LessonView }[] = course.sections.flatMap((section, s) => section.lessons.map((lesson, l) => ({ lesson, view: view.sections[s]!.lessons[l]! })));
    for (const [s, section] of course.sections.entries()) {
      const sectionView = view.sections[s]!;
      const page = outputPaths.section(section);
      const intro = render.intro(section.intro);
      const introHtml = intro ? toHtml(intro) : '';
      await writeOutput(outDir, page, renderTemplate(env, 'site/section.njk', { ...base, root: rootOf(page), section: sectionView, introHtml }));
    }
    const limit = pLimit(ioConcurrency);
    const texts = new Map<Lesson, string>();
    const pageKey = (lesson: Lesson): string => hashOf('html-lesson', context.keys.base, context.keys.shell, context.keys.lesson(lesson));
    let done = 0;
    let rendered = 0;
    await Promise.all(
      lessons.map(({ lesson, view: lessonView }, index) =>
        limit(async () => {
          const page = outputPaths.lesson(lesson);
          const key = pageKey(lesson);
          if (!(await context.cache.reuse('html', key, outDir, [page]))) {
            const body = rewriteLinks(structuredClone(render.body(lesson)), lesson, siteLinkPolicy(course, page));
            const sectionView = view.sections.find((candidate) => candidate.number === lessonView.sectionNumber)!;
            const html = renderTemplate(env, 'site/lesson.njk', {
              ...base,
              root: rootOf(page),
              section: sectionView,
              lesson: lessonView,
              bodyHtml: toHtml(body),
              previous: lessons[index - 1]?.view,
              next: lessons[index + 1]?.view,
            });
            await writeOutput(outDir, page, html);
            const text = bodyText(body);
            texts.set(lesson, text);
            await context.cache.store('html', key, outDir, [page], { 'search.txt': text });
            rendered++;
          }
          context.progress(++done, lessons.length, lesson.id);
        }),
      ),
    );
    const shards: string[] = [];
    for (const [s, section] of course.sections.entries()) {
      const key = hashOf('html-search', context.keys.base, context.keys.shell, context.keys.section(section));
      let shard = await context.cache.extra('html', key, 'shard.json');
      if (shard === undefined) {
        const entries = await Promise.all(
          section.lessons.map(async (lesson, l) => ({ view: view.sections[s]!.lessons[l]!, text: texts.get(lesson) ?? (await context.cache.extra('html', pageKey(lesson), 'search.txt')) ?? bodyText(render.body(lesson)) })),
        );
        shard = searchShard(entries);
        await context.cache.store('html', key, outDir, [], { 'shard.json': shard });
      }
      shards.push(shard);
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
