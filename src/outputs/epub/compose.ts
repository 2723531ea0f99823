import type { Root as HastRoot } from 'hast';
import type nunjucks from 'nunjucks';
import { rewriteLinks } from '../../render/links.js';
import { renderTemplate } from '../../render/templates.js';
import { courseView } from '../../render/view.js';
import type { PublishContext } from '../writer.js';
import { assembleEpub, type BookChapter } from './assemble.js';
import { chapterFiles, type BookPlan } from './book.js';
import { bookCover } from './cover.js';
import { anchorIds, epubLinkPolicy, resolveIntroLinks, settleReferences } from './links.js';
import { accessibilityView, navEntries, ncxPoints, packageView, type BookVisuals } from './package.js';
import { readerBody, restoreKept } from './xhtml.js';

/** What composing a book needs besides the build context. */
export interface BookTools {
  env: nunjucks.Environment;
  /** The book stylesheet (templates/epub/epub.css). */
  css: string;
}

/** A chapter before it is framed, with what the package document needs to know of it. */
interface ComposedChapter extends BookChapter {
  id: string;
  properties: string[];
  visuals: BookVisuals;
}

const manifestId = (filename: string): string => filename.replace(/\.xhtml$/, '').replace(/[^A-Za-z0-9-]/g, '-');

/**
 * Composes one book: the cover page, then for each section its opening page and its lessons, each
 * body rendered once per build, linked for this book and framed by templates/epub/.
 * @param context the build context
 * @param tools template environment and stylesheet
 * @param book the book to compose
 * @returns the .epub file's bytes
 */
export async function composeBook(context: PublishContext, tools: BookTools, book: BookPlan): Promise<Uint8Array> {
  const { course, render } = context;
  const { env } = tools;
  const view = courseView(course, { home: chapterFiles.nav, section: chapterFiles.section, lesson: chapterFiles.lesson });
  const policy = epubLinkPolicy(course, book);
  const language = course.config.language;
  const direction = view.direction;
  const frame = (title: string, bodyClass: string, content: string): string => renderTemplate(env, 'epub/page.njk', { language, direction, title, bodyClass, content });

  // Every body is linked first, so each can be checked against the ids of the chapters it links to.
  const drafts: { filename: string; title: string; bodyClass: string; body: HastRoot; page: (bodyHtml: string) => string }[] = [];
  for (const section of book.sections) {
    const sectionView = view.sections.find((candidate) => candidate.number === section.number)!;
    const intro = render.intro(section.intro);
    drafts.push({
      filename: chapterFiles.section(section),
      title: `${sectionView.label} · ${sectionView.title}`,
      bodyClass: 'section-page',
      body: intro ? resolveIntroLinks(structuredClone(intro), course, section, policy) : { type: 'root', children: [] },
      page: (introHtml) => renderTemplate(env, 'epub/section.njk', { course: view, section: sectionView, introHtml, root: '' }),
    });
    for (const [index, lesson] of section.lessons.entries()) {
      drafts.push({
        filename: chapterFiles.lesson(lesson),
        title: `${lesson.id} ${lesson.title}`,
        bodyClass: 'lesson-page',
        body: rewriteLinks(structuredClone(render.body(lesson)), lesson, policy),
        page: (bodyHtml) => renderTemplate(env, 'epub/chapter.njk', { course: view, section: sectionView, lesson: sectionView.lessons[index], bodyHtml }),
      });
    }
  }
  const anchors = new Map<string, ReadonlySet<string>>([
    [chapterFiles.cover, new Set()],
    [chapterFiles.nav, new Set(['toc', 'landmarks'])],
    ...drafts.map((draft) => [draft.filename, anchorIds(draft.body)] as const),
  ]);
  const chapters = drafts.map((draft): ComposedChapter => {
    const body = readerBody(settleReferences(draft.body, course, anchors, draft.filename));
    return {
      id: manifestId(draft.filename),
      filename: draft.filename,
      title: draft.title,
      content: draft.page(body.html),
      frame: (filtered) => frame(draft.title, draft.bodyClass, restoreKept(filtered, body.kept)),
      properties: body.properties,
      visuals: body.visuals,
    };
  });

  const bookView = { title: book.title, subtitle: book.subtitle, identifier: book.identifier };
  const coverView = { course: view, book: bookView, section: book.section ? view.sections.find((candidate) => candidate.number === book.section!.number) : undefined };
  const cover = await bookCover(course, context.browser, env, coverView, context.cache);
  const coverPage = renderTemplate(env, 'epub/cover-page.njk', { ...coverView, coverHref: cover.name });
  const coverChapter: BookChapter = { filename: chapterFiles.cover, title: book.title, content: '', frame: () => frame(book.title, 'cover-page', coverPage) };

  const visuals = chapters.reduce((sum, { visuals: v }) => ({ count: sum.count + v.count, withoutText: sum.withoutText + v.withoutText }), { count: 0, withoutText: 0 });
  const entries = navEntries(view, book);
  const ncx = ncxPoints(entries);
  const bodymatter = chapters[0];
  const pkg = packageView(course, book, {
    date: context.buildDate,
    accessibility: accessibilityView(visuals),
    cover: { href: cover.name, mediaType: cover.mediaType },
    documents: [{ id: 'cover', href: chapterFiles.cover, properties: [] }, ...chapters.map(({ id, filename, properties }) => ({ id, href: filename, properties }))],
  });
  return assembleEpub({
    chapters: [coverChapter, ...chapters],
    css: tools.css,
    cover,
    navDocument: renderTemplate(env, 'epub/nav.njk', { language, direction, course: view, book: bookView, entries, bodymatter: bodymatter && { href: bodymatter.filename, title: bodymatter.title } }),
    ncxDocument: renderTemplate(env, 'epub/toc.ncx.njk', { language, book: bookView, authors: course.config.authors, ...ncx }),
    packageDocument: (images) => renderTemplate(env, 'epub/package.opf.njk', { book: pkg, direction, manifest: [...pkg.manifest, ...images.map((image) => ({ ...image, properties: '' }))] }),
    date: context.buildDate,
    warn: context.log,
  });
}
