import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, type PDFContext, type PDFDocument } from 'pdf-lib';
import type { ContentsEntry } from './book-html.js';

/** Where the anchors of a printed PDF landed. */
export interface Destinations {
  /** Anchor (decoded) → 1-based page number. */
  pages: Map<string, number>;
  /** Anchor → the destination array Chromium wrote ([page /XYZ left top zoom]). */
  targets: Map<string, PDFArray>;
}

/**
 * Reads the named destinations Chromium writes for every in-document link target, and the page
 * each is on. Chromium names a destination by its URL fragment, percent-encoded.
 * @param doc the printed PDF
 */
export function readDestinations(doc: PDFDocument): Destinations {
  const pageNumbers = new Map(doc.getPages().map((page, index) => [page.ref.toString(), index + 1]));
  const pages = new Map<string, number>();
  const targets = new Map<string, PDFArray>();
  const dests = doc.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
  for (const [name, value] of dests?.entries() ?? []) {
    const target = doc.context.lookupMaybe(value, PDFArray);
    const page = target?.get(0);
    if (!target || !(page instanceof PDFRef)) continue;
    const number = pageNumbers.get(page.toString());
    if (number === undefined) continue;
    let anchor = name.decodeText();
    try {
      anchor = decodeURIComponent(anchor);
    } catch {
      // Not percent-encoded after all: the name is the anchor.
    }
    pages.set(anchor, number);
    targets.set(anchor, target);
  }
  return { pages, targets };
}

/** The text of a bookmark: "Section 4 · Distributed Systems", "4.5 Distributed Consensus", "Raft". */
function bookmarkTitle(entry: ContentsEntry, depth: number): string {
  if (!entry.label) return entry.title;
  return depth === 0 ? `${entry.label} · ${entry.title}` : `${entry.label} ${entry.title}`;
}

/**
 * Writes one level of bookmarks under a parent and returns its first and last items and how many
 * items show when the parent is open. Sections open, deeper levels closed.
 */
function writeLevel(context: PDFContext, parent: PDFRef, entries: ContentsEntry[], targets: Map<string, PDFArray>, depth: number): { first?: PDFRef; last?: PDFRef; visible: number } {
  const items = entries.filter((entry) => targets.has(entry.anchor));
  const refs = items.map(() => context.nextRef());
  let visible = items.length;
  items.forEach((entry, index) => {
    const item = context.obj({}) as PDFDict;
    item.set(PDFName.of('Title'), PDFHexString.fromText(bookmarkTitle(entry, depth)));
    item.set(PDFName.of('Parent'), parent);
    item.set(PDFName.of('Dest'), targets.get(entry.anchor)!);
    if (index > 0) item.set(PDFName.of('Prev'), refs[index - 1]!);
    if (index < refs.length - 1) item.set(PDFName.of('Next'), refs[index + 1]!);
    const children = writeLevel(context, refs[index]!, entry.children, targets, depth + 1);
    if (children.first && children.last) {
      const open = depth === 0;
      item.set(PDFName.of('First'), children.first);
      item.set(PDFName.of('Last'), children.last);
      item.set(PDFName.of('Count'), PDFNumber.of(open ? children.visible : -children.visible));
      if (open) visible += children.visible;
    }
    context.assign(refs[index]!, item);
  });
  return { ...(refs[0] ? { first: refs[0] } : {}), ...(refs.at(-1) ? { last: refs.at(-1)! } : {}), visible };
}

/**
 * Replaces the PDF's bookmarks with the book's contents: sections, their lessons ("4.5 Distributed
 * Consensus"), and each lesson's h2 headings, each pointing where Chromium placed its anchor.
 * The reader opens with the bookmarks shown.
 * @param doc the printed PDF
 * @param contents the book's contents
 * @param targets the destinations read by `readDestinations`
 */
export function writeOutline(doc: PDFDocument, contents: ContentsEntry[], targets: Map<string, PDFArray>): void {
  const { context, catalog } = doc;
  const root = context.nextRef();
  const level = writeLevel(context, root, contents, targets, 0);
  const outlines = context.obj({ Type: 'Outlines' }) as PDFDict;
  if (level.first && level.last) {
    outlines.set(PDFName.of('First'), level.first);
    outlines.set(PDFName.of('Last'), level.last);
    outlines.set(PDFName.of('Count'), PDFNumber.of(level.visible));
    catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
  }
  context.assign(root, outlines);
  catalog.set(PDFName.of('Outlines'), root);
}
