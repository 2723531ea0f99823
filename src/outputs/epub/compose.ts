import path from 'node:path';
import type { Root as HastRoot } from 'hast';
import type nunjucks from 'nunjucks';
import { courseLabels } from '../../render/labels.js';
import { rewriteLinks } from '../../render/links.js';
import { publicUrl } from '../../render/paths.js';
import { renderTemplate } from '../../render/templates.js';
import type { CourseView } from '../../render/view.js';
import type { BookScope } from '../books.js';
import { lessonAnchor, sectionAnchor } from '../pdf/book.js';
import { solutionsAnchor } from '../pdf/solutions.js';
import { numberBlocks, type PageStarts } from '../pdf/page-blocks.js';
import { printedPageStarts } from '../pdf/page-map.js';
import type { PublishContext } from '../writer.js';
import { assembleEpub, type BookChapter } from './assemble.js';
import { chapterFiles, type BookPlan } from './book.js';
import { bookCover } from './cover.js';
import { anchorIds, epubLinkPolicy, settleReferences } from './links.js';
import { accessibilityView, navEntries, ncxPoints, packageView, type BookVisuals } from './package.js';
import { markPageBreaks, pageBreakId, type PageListEntry } from './page-list.js';
import { BookSolutions, solutionsFile } from './solutions.js';
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
 * @param view the course as the book's templates see it (chapter addresses)
 * @param date the book's date
 * @param edition the PDF of the same sections, whose pages the page list follows
 * @returns the .epub file's bytes
 */
export async function composeBook(context: PublishContext, tools: BookTools, book: BookPlan, view: CourseView, date: Date, edition?: PdfEdition): Promise<Uint8Array> {
  const { course, render } = context;
  const { env } = tools;
  const policy = epubLinkPolicy(course, book);
  const language = course.config.language;
  const direction = view.direction;
  const frame = (title: string, bodyClass: string, content: string): string => renderTemplate(env, 'epub/page.njk', { language, direction, title, bodyClass, content });

  // Every body is linked first, so each can be checked against the ids of the chapters it links to.
  const drafts: { filename: string; part: string; title: string; bodyClass: string; body: HastRoot; page: (bodyHtml: string) => string }[] = [];
  const labels = courseLabels(course);
  const solutions = new BookSolutions(labels);
  for (const section of book.sections) {
    const sectionView = view.sections.find((candidate) => candidate.number === section.number)!;
    const intro = render.intro(section);
    drafts.push({
      filename: chapterFiles.section(section),
      part: sectionAnchor(section),
      title: `${sectionView.label} · ${sectionView.title}`,
      bodyClass: 'section-page',
      body: intro && section.intro ? rewriteLinks(numberBlocks(structuredClone(intro)), section.intro, policy) : { type: 'root', children: [] },
      page: (introHtml) => renderTemplate(env, 'epub/section.njk', { course: view, section: sectionView, introHtml, root: '' }),
    });
    for (const [index, lesson] of section.lessons.entries()) {
      // Solutions leave for their chapter first, so the lesson's blocks are numbered as the PDF numbers them.
      const body = rewriteLinks(structuredClone(render.body(lesson)), lesson, policy);
      solutions.take(body, lesson, chapterFiles.lesson(lesson));
      numberBlocks(body);
      drafts.push({
        filename: chapterFiles.lesson(lesson),
        part: lessonAnchor(lesson),
        title: `${lesson.id} ${lesson.title}`,
        bodyClass: 'lesson-page',
        body,
        page: (bodyHtml) => renderTemplate(env, 'epub/chapter.njk', { course: view, section: sectionView, lesson: sectionView.lessons[index], bodyHtml }),
      });
    }
  }
  const solutionsBody = solutions.chapter();
  if (solutionsBody) {
    drafts.push({ filename: solutionsFile, part: solutionsAnchor, title: labels.format('solutions'), bodyClass: 'solutions-page', body: numberBlocks(solutionsBody), page: (html) => html });
  }
  const anchors = new Map<string, ReadonlySet<string>>([
    [chapterFiles.cover, new Set()],
    [chapterFiles.nav, new Set(['toc', 'landmarks'])],
    ...drafts.map((draft) => [draft.filename, anchorIds(draft.body)] as const),
  ]);
  const starts = await pageStartsOf(context, edition);
  const pageList: PageListEntry[] = [];
  const chapters = drafts.map((draft): ComposedChapter => {
    const settled = settleReferences(draft.body, course, anchors, draft.filename);
    if (starts) for (const page of markPageBreaks(settled, draft.part, starts)) pageList.push({ label: String(page), href: `${draft.filename}#${pageBreakId(page)}` });
    const body = readerBody(settled, context.render.html);
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

  const visuals = chapters.reduce((sum, { visuals: v }) => ({ count: sum.count + v.count, withoutText: sum.withoutText + v.withoutText, media: sum.media + v.media }), {
    count: 0,
    withoutText: 0,
    media: 0,
  });
  const math = chapters.some((chapter) => chapter.properties.includes('mathml'));
  const entries = navEntries(view, book);
  if (solutionsBody) entries.push({ kind: 'section', label: labels.format('solutions'), href: solutionsFile, children: [] });
  const ncx = ncxPoints(entries);
  const bodymatter = chapters[0];
  const pkg = packageView(course, book, {
    date,
    accessibility: accessibilityView({ visuals, math, ...(pageList.length && edition ? { pageSource: edition.source } : {}) }, labels),
    cover: { href: cover.name, mediaType: cover.mediaType },
    documents: [{ id: 'cover', href: chapterFiles.cover, properties: [] }, ...chapters.map(({ id, filename, properties }) => ({ id, href: filename, properties }))],
  });
  return assembleEpub({
    chapters: [coverChapter, ...chapters],
    css: tools.css,
    cover,
    navDocument: renderTemplate(env, 'epub/nav.njk', {
      language,
      direction,
      course: view,
      book: bookView,
      entries,
      pageList,
      bodymatter: bodymatter && { href: bodymatter.filename, title: bodymatter.title },
    }),
    ncxDocument: renderTemplate(env, 'epub/toc.ncx.njk', { language, book: bookView, authors: course.config.authors, ...ncx }),
    packageDocument: (images) => renderTemplate(env, 'epub/package.opf.njk', { book: pkg, direction, manifest: [...pkg.manifest, ...images.map((image) => ({ ...image, properties: '' }))] }),
    date,
    warn: context.log,
  });
}

/** The PDF edition of an EPUB: the PDF of the same sections in this publication, and its date. */
export interface PdfEdition {
  /** The PDF's book, as the PDF writer prints it. */
  book: BookScope;
  /** What the package document names as the page source: its address on the site, else its file name. */
  source: string;
  /** The PDF's date, which its cover prints. */
  date: Date;
}

/**
 * Where the pages of the book's PDF edition begin, or nothing for a book without one.
 * Note: the PDF edition is printed again for this (untagged, never saved); a section prints in a few seconds.
 */
async function pageStartsOf(context: PublishContext, edition: PdfEdition | undefined): Promise<PageStarts | undefined> {
  return edition ? printedPageStarts(context, edition.book, edition.date) : undefined;
}

/**
 * The PDF edition of a book, when the publication has one.
 * @param context the build context (its plan)
 * @param book the EPUB's book
 * @param date the PDF's date
 */
export function pdfEditionOf(context: PublishContext, book: BookScope, date: Date): PdfEdition | undefined {
  const artifact = context.plan.of('pdf').find((candidate) => (candidate.section ?? undefined) === book.section && (book.section !== undefined || candidate.scope === 'course'));
  if (!artifact) return undefined;
  const { course } = context;
  return {
    book: { path: artifact.path, sections: book.sections, ...(book.section ? { section: book.section } : {}) },
    source: course.config.baseUrl ? publicUrl(course, artifact.path) : path.posix.basename(artifact.path),
    date,
  };
}
