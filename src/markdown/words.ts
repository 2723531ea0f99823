import type { Nodes, Root } from 'mdast';

/** Node types whose text is not read as prose: code, raw HTML, frontmatter and link definitions. */
const skipped = new Set(['code', 'html', 'yaml', 'definition', 'image', 'imageReference']);

/** A word: a whitespace-separated token with at least one letter or digit. */
const wordPattern = /[\p{L}\p{N}]/u;

/**
 * Counts the words a reader reads in a lesson.
 * Counted: paragraphs, headings, lists, tables, block quotes, footnotes, link text and inline code.
 * Not counted: fenced and indented code blocks (diagrams included), raw HTML, image alt text, URLs.
 * @param tree the lesson's mdast
 */
export function countWords(tree: Root): number {
  let words = 0;
  const walk = (node: Nodes): void => {
    if (skipped.has(node.type)) return;
    if (node.type === 'text' || node.type === 'inlineCode') {
      for (const token of node.value.split(/\s+/)) if (wordPattern.test(token)) words++;
      return;
    }
    if ('children' in node) for (const child of node.children) walk(child);
  };
  walk(tree);
  return words;
}

/**
 * Reading time in whole minutes: words divided by the reading speed, rounded, at least 1.
 * @param words counted words
 * @param wordsPerMinute the course's reading speed
 */
export function readingMinutes(words: number, wordsPerMinute: number): number {
  return Math.max(1, Math.round(words / wordsPerMinute));
}
