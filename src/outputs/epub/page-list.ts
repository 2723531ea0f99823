import type { Element, ElementContent, Root as HastRoot } from 'hast';
import { visit } from 'unist-util-visit';
import { blockNumber, type PageStarts } from '../pdf/page-blocks.js';

/** An entry of the navigation document's page list: a page of the PDF edition and where it begins. */
export interface PageListEntry {
  label: string;
  href: string;
}

/** The id of the marker where PDF page `page` begins. */
export const pageBreakId = (page: number): string => `coursebook-page-${page}`;

/** Parents inside which a marker cannot stand beside a block, only within it (a list, a table row). */
const containers = new Set(['ol', 'ul', 'menu', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'dl']);

const marker = (page: number): Element => ({
  type: 'element',
  tagName: 'span',
  properties: { 'epub:type': 'pagebreak', role: 'doc-pagebreak', id: pageBreakId(page), ariaLabel: String(page) },
  children: [],
});

/**
 * Puts a page-break marker where each page of the PDF edition begins that begins in this part:
 * before the block the page begins with (inside it when it is a list item or a table row, where
 * nothing may stand beside it), or at the top for the part's opening.
 * @param body the part's body, its blocks numbered by `numberBlocks` (changed in place)
 * @param part the part's anchor in the PDF (a lesson's or a section's)
 * @param starts where each PDF page begins
 * @returns the pages marked, in order
 */
export function markPageBreaks(body: HastRoot, part: string, starts: PageStarts): number[] {
  const byBlock = new Map<number, number[]>();
  for (const [page, place] of starts) if (place.part === part) byBlock.set(place.block, [...(byBlock.get(place.block) ?? []), page]);
  const marked: number[] = [];
  const markers = (block: number): Element[] => {
    const pages = byBlock.get(block) ?? [];
    marked.push(...pages);
    return pages.map(marker);
  };
  const targets: { node: Element; parent: Element | HastRoot; index: number; block: number }[] = [];
  visit(body, 'element', (node, index, parent) => {
    const block = blockNumber(node);
    if (block !== undefined && parent && index !== undefined && byBlock.has(block)) targets.push({ node, parent, index, block });
  });
  // Last first, so an insertion never moves a place still to be marked.
  for (const { node, parent, index, block } of targets.reverse()) {
    const spans = markers(block);
    if (node.tagName === 'tr') node.children.find((child): child is Element => child.type === 'element')?.children.unshift(...spans);
    else if (parent.type === 'element' && containers.has(parent.tagName)) node.children.unshift(...spans);
    else parent.children.splice(index, 0, ...(spans as ElementContent[]));
  }
  body.children.unshift(...markers(-1));
  return marked.sort((a, b) => a - b);
}
