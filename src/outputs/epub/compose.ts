import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import path from 'node:path';
import type { Root as HastRoot } from 'hast';
import type nunjucks from 'nunjucks';
import { stillReads, trackReads } from '../../cache/reads.js';
import { hashOf } from '../../cache/fingerprint.js';
import { courseLabels } from '../../render/labels.js';
import { rewriteLinks } from '../../render/links.js';
import { publicUrl } from '../../render/paths.js';
import { renderTemplate } from '../../render/templates.js';
import type { CourseView } from '../../render/view.js';
import { safeAssetBytes } from '../assets.js';
import type { BookScope } from '../books.js';
import { lessonAnchor, sectionAnchor } from '../pdf/book.js';
import { solutionsAnchor } from '../pdf/solutions.js';
import { numberBlocks, type PageStarts } from '../pdf/page-blocks.js';
import { printedPageStarts } from '../pdf/page-map.js';
import type { PublishContext } from '../writer.js';
import { chapterFiles, type BookPlan } from './book.js';
import { bookCover } from './cover.js';
import { filterChapter, imageName } from './filter.js';
import { anchorIds, epubLinkPolicy, linkTargets, settleReferences, type AnchorResolver } from './links.js';
import { accessibilityView, ncxPoints, packageView, type NavEntry } from './package.js';
import { markPageBreaks, pageBreakId, type PageListEntry } from './page-list.js';
import { BookParts, imageToken, PartsWriter, type ChapterImage, type ChapterRecord, type DocumentRecord, type PartsShelf } from './parts.js';
import { solutionsChapter, solutionsFile, takeLessonSolutions, type LessonSolutions } from './solutions.js';
import type { Lesson } from '../../model/course.js';
import { readerBody, restoreKept } from './xhtml.js';
import { deflateEntry, writeZip, type DeflatedEntry } from './zip.js';

/** What composing a book needs besides the build context. */
export interface BookTools {
  env: nunjucks.Environment;
  /** The book stylesheet (templates/epub/epub.css). */
  css: string;
}

/** A chapter's body, rendered and linked for the book, with the solutions taken out of it. */
interface ChapterDraft {
  body: HastRoot;
  solutions?: LessonSolutions;
}

/** A chapter of a book as it is known before anything is rendered: where it goes and what it is made of. */
interface ChapterPlan {
  filename: string;
  /** Its anchor in the PDF edition, which page-break markers follow. */
  part: string;
  title: string;
  bodyClass: string;
  /** The hash of everything its bytes depend on but the view and the other chapters' ids. */
  key: string;
  /** What its template may read, over the book's tracked view. */
  view: Record<string, unknown>;
  /** The lesson whose body `draft` renders, so it can be rendered ahead on the workers. */
  lesson?: Lesson;
  draft(): ChapterDraft;
  /** Its page template around the body's markup, reading `view`. */
  page(bodyHtml: string, view: Record<string, unknown>): string;
}

/** A chapter on its way into the book: reused from a record, or drafted to be finished. */
interface ChapterState {
  plan: ChapterPlan;
  record?: ChapterRecord;
  draft?: ChapterDraft;
}

const manifestId = (filename: string): string => filename.replace(/\.xhtml$/, '').replace(/[^A-Za-z0-9-]/g, '-');
const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');
const checkName = (file: string, id: string | undefined): string => (id === undefined ? file : `${file}#${id}`);

/** The container document every EPUB has, pointing at the package document. */
const containerXml =
  '<?xml version="1.0" encoding="UTF-8" ?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>';

/** Where the PDF edition's pages begin within one part, as a key ingredient. */
function partStarts(starts: PageStarts | undefined, part: string): [number, number][] | null {
  return starts ? [...starts].filter(([, place]) => place.part === part).map(([page, place]) => [page, place.block]) : null;
}

/**
 * Composes one book from its chapters: each chapter is reused from an earlier build (this book's
 * cached parts, or another book of this build) while its key, what its template read of the view,
 * and the ids its links found in other chapters are unchanged; else it is rendered, linked for this
 * book, filtered by epub-gen-memory, framed by templates/epub/ and kept. Only the cover page, the
 * navigation, the NCX, the package document and the zip are made again for every book.
 * @param context the build context
 * @param tools template environment and stylesheet
 * @param book the book to compose
 * @param view the course as the book's templates see it (chapter addresses), reads tracked
 * @param date the book's date
 * @param nav the book's table of contents (`bookContents`)
 * @param shelf the chapters and deflated files of this build, shared by its books
 * @param edition the PDF of the same sections, whose pages the page list follows
 * @returns the .epub file's bytes
 */
export async function composeBook(
  context: PublishContext,
  tools: BookTools,
  book: BookPlan,
  view: CourseView,
  date: Date,
  nav: NavEntry[],
  shelf: PartsShelf,
  edition?: PdfEdition,
): Promise<Uint8Array> {
  const { course, render, keys } = context;
  const { env } = tools;
  const policy = epubLinkPolicy(course, book);
  const language = course.config.language;
  const direction = view.direction;
  const labels = courseLabels(course);
  const frame = (title: string, bodyClass: string, content: string): string => renderTemplate(env, 'epub/page.njk', { language, direction, title, bodyClass, content });
  const starts = await pageStartsOf(context, edition);
  const parts = await BookParts.open(context.cache, book.path);
  const writer = new PartsWriter();
  const blob = (id: string): DeflatedEntry | undefined => shelf.blobs.get(id) ?? parts.blob(id);
  const assets = (references: { target: { kind: string; absolute?: string } }[]): Promise<string[]> =>
    Promise.all(references.flatMap(({ target }) => (target.kind === 'asset' && target.absolute ? [shelf.assetHash(target.absolute)] : [])));

  const plans: ChapterPlan[] = [];
  for (const section of book.sections) {
    const sectionView = view.sections.find((candidate) => candidate.number === section.number)!;
    const filename = chapterFiles.section(section);
    const title = `${sectionView.label} · ${sectionView.title}`;
    const part = sectionAnchor(section);
    plans.push({
      filename,
      part,
      title,
      bodyClass: 'section-page',
      key: hashOf(
        'epub-chapter',
        keys.base,
        filename,
        title,
        keys.intro(section),
        section.intro ? linkTargets(section.intro, policy) : [],
        await assets(section.intro?.references ?? []),
        partStarts(starts, part),
      ),
      view: { course: view, section: sectionView },
      draft: () => {
        const intro = render.intro(section);
        return { body: intro && section.intro ? rewriteLinks(numberBlocks(structuredClone(intro)), section.intro, policy) : { type: 'root', children: [] } };
      },
      page: (introHtml, chapterView) => renderTemplate(env, 'epub/section.njk', { course: chapterView.course, section: chapterView.section, introHtml, root: '' }),
    });
    for (const [index, lesson] of section.lessons.entries()) {
      const lessonFile = chapterFiles.lesson(lesson);
      const lessonTitle = `${lesson.id} ${lesson.title}`;
      const lessonPart = lessonAnchor(lesson);
      plans.push({
        filename: lessonFile,
        part: lessonPart,
        title: lessonTitle,
        bodyClass: 'lesson-page',
        key: hashOf('epub-chapter', keys.base, lessonFile, lessonTitle, keys.lesson(lesson), linkTargets(lesson, policy), await assets(lesson.references), partStarts(starts, lessonPart)),
        view: { course: view, section: sectionView, lesson: sectionView.lessons[index] },
        lesson,
        draft: () => {
          // Solutions leave for their chapter first, so the lesson's blocks are numbered as the PDF numbers them.
          const body = rewriteLinks(structuredClone(render.body(lesson)), lesson, policy);
          const solutions = takeLessonSolutions(body, lesson, lessonFile, labels);
          return { body: numberBlocks(body), ...(solutions ? { solutions } : {}) };
        },
        page: (bodyHtml, chapterView) => renderTemplate(env, 'epub/chapter.njk', { course: chapterView.course, section: chapterView.section, lesson: chapterView.lesson, bodyHtml }),
      });
    }
  }

  // A chapter is reused while what its template read of the view reads the same, else drafted.
  const memo = new WeakMap<object, Map<string, string>>();
  const usable = (plan: ChapterPlan, record: ChapterRecord | undefined): record is ChapterRecord =>
    record !== undefined && blob(record.text) !== undefined && (!record.solutions || blob(record.solutions) !== undefined) && stillReads(plan.view, record.reads, memo);
  const start = (plan: ChapterPlan): ChapterState => {
    const record = shelf.records.get(plan.key) ?? parts.record(plan.key);
    return usable(plan, record) ? { plan, record } : { plan, draft: plan.draft() };
  };
  // The bodies of the chapters to draft render ahead, on the worker threads when there are many.
  await render.prepare(plans.flatMap((plan) => (plan.lesson && !usable(plan, shelf.records.get(plan.key) ?? parts.record(plan.key)) ? [plan.lesson] : [])));
  const states = plans.map(start);

  // The Solutions chapter gathers the solutions of the book's lessons, reused or drafted.
  const solved = states.flatMap((state) => {
    if (state.record?.solutions) {
      const id = state.record.solutions;
      return [{ id, solutions: () => JSON.parse(inflateRawSync(blob(id)!.deflated).toString('utf8')) as LessonSolutions }];
    }
    const solutions = state.draft?.solutions;
    return solutions ? [{ id: sha256(JSON.stringify(solutions)), solutions: () => solutions }] : [];
  });
  if (solved.length > 0) {
    const title = labels.format('solutions');
    states.push(
      start({
        filename: solutionsFile,
        part: solutionsAnchor,
        title,
        bodyClass: 'solutions-page',
        key: hashOf(
          'epub-chapter',
          keys.base,
          solutionsFile,
          title,
          solved.map((entry) => entry.id),
          partStarts(starts, solutionsAnchor),
        ),
        view: {},
        draft: () => ({
          body: numberBlocks(
            solutionsChapter(
              solved.map((entry) => entry.solutions()),
              labels,
            ),
          ),
        }),
        page: (html) => html,
      }),
    );
  }

  // Every chapter's ids are known before any link is settled; a reused chapter's links must find what they found.
  const anchors = new Map<string, ReadonlySet<string>>([
    [chapterFiles.cover, new Set()],
    [chapterFiles.nav, new Set(['toc', 'landmarks'])],
    ...states.map((state) => [state.plan.filename, new Set(state.record ? state.record.anchors : anchorIds(state.draft!.body))] as const),
  ]);
  const resolves: AnchorResolver = (file, id) => {
    const ids = anchors.get(file);
    return ids !== undefined && (id === undefined || ids.has(id));
  };
  const resolvesName = (name: string): boolean => {
    const cut = name.indexOf('#');
    return cut < 0 ? resolves(name, undefined) : resolves(name.slice(0, cut), name.slice(cut + 1));
  };
  for (const state of states) {
    if (state.record && !state.record.checks.every(([name, found]) => resolvesName(name) === found)) {
      state.record = undefined;
      state.draft = state.plan.draft();
    }
  }

  const records = states.map((state): ChapterRecord => {
    const { plan } = state;
    if (state.record) {
      shelf.reused++;
      shelf.records.set(plan.key, state.record);
      // Another book of this build may use the chapter too: its blobs go on the shelf with it.
      for (const id of [state.record.text, state.record.solutions]) if (id && !shelf.blobs.has(id)) shelf.blobs.set(id, blob(id)!);
      return state.record;
    }
    const record = finishChapter(context, plan, state.draft!, resolves, starts, frame, shelf);
    shelf.rendered++;
    shelf.records.set(plan.key, record);
    return record;
  });

  // The book names its images in reading order; a chapter's bytes carry the names.
  const images = new Map<string, { image: ChapterImage; name: string }>();
  for (const record of records) for (const image of record.images) if (!images.has(image.url)) images.set(image.url, { image, name: imageName(image, images.size) });
  const entries = new Map<string, DeflatedEntry>();
  const keep = (id: string, make: () => DeflatedEntry): DeflatedEntry => {
    const entry = blob(id) ?? make();
    shelf.blobs.set(id, entry);
    writer.blob(id, entry);
    return entry;
  };
  const addFile = (name: string, bytes: Uint8Array | string): void => {
    const raw = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    entries.set(
      name,
      keep(`file-${sha256(raw)}`, () => deflateEntry(raw)),
    );
  };
  for (const [index, record] of records.entries()) {
    const { plan } = states[index]!;
    writer.record(plan.key, record, (id) => blob(id)!);
    if (record.images.length === 0) {
      entries.set(`OEBPS/${plan.filename}`, blob(record.text)!);
      continue;
    }
    const names = record.images.map((image) => images.get(image.url)!.name);
    entries.set(
      `OEBPS/${plan.filename}`,
      keep(hashOf('named', record.text, names), () => {
        let text = inflateRawSync(blob(record.text)!.deflated).toString('utf8');
        for (const [at, name] of names.entries()) text = text.replaceAll(imageToken(at), name);
        return deflateEntry(text);
      }),
    );
  }
  const chapters = records.map((record, index) => ({ ...record, filename: states[index]!.plan.filename, title: states[index]!.plan.title }));
  const pageList: PageListEntry[] = chapters.flatMap((chapter) => chapter.pages.map((page) => ({ label: String(page), href: `${chapter.filename}#${pageBreakId(page)}` })));

  const bookView = { title: book.title, subtitle: book.subtitle, identifier: book.identifier };
  const coverView = { course: view, book: bookView, section: book.section ? view.sections.find((candidate) => candidate.number === book.section!.number) : undefined };
  const cover = await bookCover(course, context.browser, env, coverView, context.cache);
  const coverPage = renderTemplate(env, 'epub/cover-page.njk', { ...coverView, coverHref: cover.name });

  const visuals = chapters.reduce((sum, { visuals: v }) => ({ count: sum.count + v.count, withoutText: sum.withoutText + v.withoutText, media: sum.media + v.media }), {
    count: 0,
    withoutText: 0,
    media: 0,
  });
  const math = chapters.some((chapter) => chapter.properties.includes('mathml'));
  const contents: NavEntry[] = solved.length > 0 ? [...nav, { kind: 'section', label: labels.format('solutions'), href: solutionsFile, children: [] }] : nav;
  const ncx = ncxPoints(contents);
  const bodymatter = chapters[0];
  const pkg = packageView(course, book, {
    date,
    accessibility: accessibilityView({ visuals, math, ...(pageList.length && edition ? { pageSource: edition.source } : {}) }, labels),
    cover: { href: cover.name, mediaType: cover.mediaType },
    documents: [{ id: 'cover', href: chapterFiles.cover, properties: [] }, ...chapters.map(({ filename, properties }) => ({ id: manifestId(filename), href: filename, properties }))],
  });
  const bookImages = [...images.values()].map(({ image, name }, index) => ({ id: `image-${index + 1}`, href: name, mediaType: image.mediaType, properties: '' }));

  // The navigation, NCX and package document are kept by the hash of their data and what their templates read of the view.
  const bookDocument = (name: string, template: string, data: Record<string, unknown>, documentView: Record<string, unknown>): void => {
    const key = hashOf('epub-document', keys.base, template, data);
    const known = shelf.documents.get(key) ?? parts.document(key);
    let record: DocumentRecord;
    if (known && blob(known.text) && stillReads(documentView, known.reads, memo)) record = known;
    else {
      const tracked = trackReads(documentView);
      const text = Buffer.from(renderTemplate(env, template, { ...data, ...Object.fromEntries(Object.keys(documentView).map((field) => [field, tracked.view[field]])) }), 'utf8');
      const id = `file-${sha256(text)}`;
      if (!blob(id)) shelf.blobs.set(id, deflateEntry(text));
      record = { reads: tracked.readSet(), text: id };
    }
    shelf.documents.set(key, record);
    const entry = blob(record.text)!;
    shelf.blobs.set(record.text, entry);
    writer.document(key, record, entry);
    entries.set(name, entry);
  };
  addFile('META-INF/container.xml', containerXml);
  addFile('OEBPS/style.css', tools.css);
  addFile(`OEBPS/${chapterFiles.cover}`, frame(book.title, 'cover-page', coverPage));
  addFile(`OEBPS/${cover.name}`, cover.bytes);
  for (const { image, name } of images.values()) addFile(`OEBPS/${name}`, await safeAssetBytes(fileURLToPath(image.url)));
  bookDocument(
    `OEBPS/${chapterFiles.nav}`,
    'epub/nav.njk',
    { language, direction, book: bookView, entries: contents, pageList, bodymatter: bodymatter && { href: bodymatter.filename, title: bodymatter.title } },
    { course: view },
  );
  bookDocument('OEBPS/toc.ncx', 'epub/toc.ncx.njk', { language, book: bookView, authors: course.config.authors, ...ncx }, {});
  bookDocument('OEBPS/content.opf', 'epub/package.opf.njk', { book: pkg, direction, manifest: [...pkg.manifest, ...bookImages] }, {});
  const zipped = await writeZip(entries, date);
  await writer.save(context.cache, book.path);
  return zipped;
}

/**
 * Finishes a drafted chapter: settles its links against the book's chapters (noting what each
 * found), marks the PDF edition's pages, adapts it for readers, puts it in its page template
 * (reads tracked), filters it through epub-gen-memory and frames it; keeps its deflated XHTML.
 */
function finishChapter(
  context: PublishContext,
  plan: ChapterPlan,
  draft: ChapterDraft,
  resolves: AnchorResolver,
  starts: PageStarts | undefined,
  frame: (title: string, bodyClass: string, content: string) => string,
  shelf: PartsShelf,
): ChapterRecord {
  const anchors = [...anchorIds(draft.body)];
  const checks = new Map<string, boolean>();
  const settled = settleReferences(
    draft.body,
    context.course,
    (file, id) => {
      const found = resolves(file, id);
      checks.set(checkName(file, id), found);
      return found;
    },
    plan.filename,
  );
  const pages = starts ? markPageBreaks(settled, plan.part, starts) : [];
  const body = readerBody(settled, context.render.html);
  const tracked = trackReads(plan.view);
  const filtered = filterChapter({ filename: plan.filename, title: plan.title, content: plan.page(body.html, tracked.view) }, context.log);
  const text = frame(plan.title, plan.bodyClass, restoreKept(filtered.markup, body.kept));
  const textId = `text-${sha256(text)}`;
  if (!shelf.blobs.has(textId)) shelf.blobs.set(textId, deflateEntry(text));
  let solutions: string | undefined;
  if (draft.solutions) {
    const json = JSON.stringify(draft.solutions);
    solutions = `solutions-${sha256(json)}`;
    if (!shelf.blobs.has(solutions)) shelf.blobs.set(solutions, deflateEntry(json));
  }
  return {
    anchors,
    checks: [...checks].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    reads: tracked.readSet(),
    pages,
    properties: body.properties,
    visuals: body.visuals,
    images: filtered.images,
    text: textId,
    ...(solutions ? { solutions } : {}),
  };
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
