import type { Element, ElementContent, Root as HastRoot } from 'hast';
import { toString as hastToString } from 'hast-util-to-string';
import { defaultSchema, type Options as Schema } from 'rehype-sanitize';
import type { Highlighter } from 'shiki';
import { visit, SKIP } from 'unist-util-visit';
import type { VFile } from 'vfile';
import type {} from './constructs/index.js';
import { splitDiagramCaption, type DiagramBlock } from '../diagrams/caption.js';
import { highlightCode } from './highlight.js';

/**
 * The sanitising schema for raw HTML in lessons: GitHub's, keeping heading ids as written
 * (our anchors are checked, so they are not prefixed) and classes on any element.
 */
export const lessonSchema: Schema = {
  ...defaultSchema,
  clobber: [],
  attributes: {
    ...defaultSchema.attributes,
    '*': [...(defaultSchema.attributes?.['*'] ?? []), 'className'],
  },
};

export { splitDiagramCaption, type DiagramBlock };

/** Options of the Coursebook rehype plugin: code highlighting and diagram figures. */
export interface CoursebookRehypeOptions {
  highlighter: Highlighter;
  /**
   * Renders a diagram to an element (an inline SVG figure). When absent, the diagram is kept as a
   * captioned code block.
   */
  renderDiagram?: ((block: DiagramBlock) => Element | undefined) | undefined;
}

/** Builds the figure for a mermaid block whose SVG is not available. */
function diagramFallback(block: DiagramBlock, highlighter: Highlighter): Element {
  const children: ElementContent[] = [highlightCode(highlighter, block.source, 'text')];
  if (block.caption) children.push({ type: 'element', tagName: 'figcaption', properties: {}, children: [{ type: 'text', value: block.caption }] });
  return { type: 'element', tagName: 'figure', properties: { className: ['diagram', 'diagram-source'] }, children };
}

/**
 * Fills the construct placeholders (callouts, exercises, quizzes, MathML) of the body being
 * rendered, with the slots the renderer put in `file.data.constructs`.
 * Note: runs after the sanitiser: this is Coursebook's markup, made after the author's is cleaned.
 */
export function rehypeFillConstructs(): (tree: HastRoot, file: VFile) => void {
  return (tree, file) => file.data.constructs?.slots.fill(tree);
}

/**
 * The Coursebook rehype plugin, last before stringifying: code highlighted with Shiki, mermaid
 * blocks as diagram figures, table alignment as classes and tables wrapped for scrolling.
 * @param options the highlighter and the diagram renderer
 */
export function rehypeCoursebook(options: CoursebookRehypeOptions): (tree: HastRoot) => void {
  return (body) => {
    visit(body, 'element', (node, index, parent) => {
      if (node.tagName === 'pre' && parent && index !== undefined) {
        const code = node.children[0];
        if (code?.type !== 'element' || code.tagName !== 'code') return;
        const classes = (code.properties.className as string[] | undefined) ?? [];
        const lang = classes.find((name) => name.startsWith('language-'))?.slice('language-'.length);
        // mdast-util-to-hast appends a newline to code; drop it so diagram hashes match the mdast source.
        const text = hastToString(code).replace(/\n$/, '');
        const replacement =
          lang === 'mermaid' ? (options.renderDiagram?.(splitDiagramCaption(text)) ?? diagramFallback(splitDiagramCaption(text), options.highlighter)) : highlightCode(options.highlighter, text, lang);
        parent.children[index] = replacement;
        return SKIP;
      }
      if ((node.tagName === 'td' || node.tagName === 'th') && typeof node.properties.align === 'string') {
        node.properties.className = [...((node.properties.className as string[] | undefined) ?? []), `align-${node.properties.align}`];
        delete node.properties.align;
      }
      if (node.tagName === 'table' && parent && index !== undefined) {
        // Wrapped in place; the walk still descends into the table's own cells.
        parent.children[index] = { type: 'element', tagName: 'div', properties: { className: ['table-wrap'] }, children: [node] };
      }
      return undefined;
    });
  };
}

/**
 * The plain text of a body, for search and the catalogue: block boundaries become newlines.
 * @param body a rendered body
 */
export function bodyText(body: HastRoot): string {
  const blocks = new Set(['p', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'tr', 'figcaption', 'blockquote', 'dt', 'dd']);
  const parts: string[] = [];
  visit(body, 'element', (node) => {
    if (node.tagName === 'svg') return SKIP;
    if (!blocks.has(node.tagName)) return undefined;
    parts.push(hastToString(node).replace(/\s+/g, ' ').trim());
    return SKIP;
  });
  return parts.filter(Boolean).join('\n');
}
