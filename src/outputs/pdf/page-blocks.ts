import type { Element, Root as HastRoot } from 'hast';
import { SKIP, visit } from 'unist-util-visit';

/**
 * Block-level elements whose printed page the PDF records, so the EPUB of the same book can mark
 * where each PDF page begins. Code lines and table rows count, so long code and tables have a
 * block starting on nearly every page they fill.
 */
const blockTags = new Set(['p', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'tr', 'figure', 'dt', 'dd', 'blockquote']);

const classesOf = (node: Element): string[] => (Array.isArray(node.properties.className) ? node.properties.className.map(String) : String(node.properties.className ?? '').split(' '));

/**
 * Numbers the blocks of a rendered body 0, 1, 2… in document order, as `data-page-block`, skipping
 * diagrams' insides and their dark copies. The PDF and the EPUB number a clone of the same shared
 * body, so block n is the same text in both.
 * @param body a clone of a rendered lesson body or section introduction (changed in place)
 * @returns the body
 */
export function numberBlocks(body: HastRoot): HastRoot {
  let count = 0;
  visit(body, 'element', (node) => {
    if (node.tagName === 'svg' || classesOf(node).includes('diagram-dark')) return SKIP;
    if (blockTags.has(node.tagName) || (node.tagName === 'span' && classesOf(node).includes('line'))) node.properties.dataPageBlock = count++;
    return undefined;
  });
  return body;
}

/** The number `numberBlocks` gave an element, if any. */
export function blockNumber(node: Element): number | undefined {
  const value = node.properties.dataPageBlock;
  return value === undefined ? undefined : Number(value);
}

/** A place in a book whose printed page is recorded: a part's opening (block -1) or one of its blocks. */
export interface BlockPlace {
  /** The part: a lesson's anchor ("lesson-4-5") or a section's ("section-4"). */
  part: string;
  /** The block's number in the part's body; -1 for the part's opening (its title). */
  block: number;
}

/** Where each PDF page begins, for a book the EPUB marks: page number → the first place printed on it. */
export type PageStarts = ReadonlyMap<number, BlockPlace>;

/**
 * The first recorded place of each page, from where every place was printed. A page on which no
 * block begins (the middle of one long paragraph) starts in the block that began before it.
 * Note: pages before the first part (the cover and the table of contents) have no place: the EPUB
 * has a cover and a contents of its own.
 * @param places every recorded place in reading order, with its page
 * @param pageCount the PDF's number of pages
 */
export function pageStarts(places: readonly (BlockPlace & { page: number })[], pageCount: number): Map<number, BlockPlace> {
  const starts = new Map<number, BlockPlace>();
  let current: BlockPlace | undefined;
  let index = 0;
  for (let page = 1; page <= pageCount; page++) {
    let first: BlockPlace | undefined;
    while (index < places.length && places[index]!.page <= page) {
      const place = places[index++]!;
      if (place.page === page && !first) first = place;
      current = { part: place.part, block: place.block };
    }
    const start = first ?? current;
    if (start) starts.set(page, start);
  }
  return starts;
}
