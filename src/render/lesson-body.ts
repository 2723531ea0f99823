import type { Element, ElementContent, Root as HastRoot } from 'hast';
import { toString as hastToString } from 'hast-util-to-string';
import { raw } from 'hast-util-raw';
import { defaultSchema, sanitize, type Schema } from 'hast-util-sanitize';
import type { Root as MdastRoot } from 'mdast';
import { toHast } from 'mdast-util-to-hast';
import type { Highlighter } from 'shiki';
import { visit, SKIP } from 'unist-util-visit';
import { constructHandlers, type PracticeContext } from './constructs/index.js';
import { splitDiagramCaption, type DiagramBlock } from '../diagrams/caption.js';
import { highlightCode } from './highlight.js';

/**
 * The sanitising schema for raw HTML in lessons: GitHub's, keeping heading ids as written
 * (our anchors are checked, so they are not prefixed) and classes on any element.
 */
const lessonSchema: Schema = {
  ...defaultSchema,
  clobber: [],
  attributes: {
    ...defaultSchema.attributes,
    '*': [...(defaultSchema.attributes?.['*'] ?? []), 'className'],
  },
};

export { splitDiagramCaption, type DiagramBlock };

/** Options for turning a lesson's mdast into its body. */
export interface BodyOptions extends PracticeContext {
  highlighter: Highlighter;
  /** Keep scripts and event handlers in raw HTML (course.yml `allowScripts`). */
  allowScripts: boolean;
  /**
   * Renders a diagram to an element (an inline SVG figure). When absent, the diagram is kept as a
   * captioned code block.
   */
  renderDiagram?: (block: DiagramBlock) => Element | undefined;
}

/** Builds the figure for a mermaid block whose SVG is not available. */
function diagramFallback(block: DiagramBlock, highlighter: Highlighter): Element {
  const children: ElementContent[] = [highlightCode(highlighter, block.source, 'text')];
  if (block.caption) children.push({ type: 'element', tagName: 'figcaption', properties: {}, children: [{ type: 'text', value: block.caption }] });
  return { type: 'element', tagName: 'figure', properties: { className: ['diagram', 'diagram-source'] }, children };
}

/**
 * Turns a lesson's mdast into the medium-neutral body every writer starts from: raw HTML parsed
 * and sanitised, course constructs (callouts, exercises, quizzes, math) made, code highlighted,
 * diagrams figured, table alignment as classes, links as written.
 * Note: the mdast is not modified; writers rewrite links on a clone (see links.ts).
 * @param tree the lesson's mdast
 * @param options highlighter, script policy, diagram renderer, and the lesson's number and practice
 */
export function lessonBodyHast(tree: MdastRoot, options: BodyOptions): HastRoot {
  const constructs = constructHandlers(options);
  const converted = toHast(tree, { allowDangerousHtml: true, handlers: constructs.handlers }) as HastRoot;
  let body = raw(converted) as HastRoot;
  if (!options.allowScripts) body = sanitize(body, lessonSchema) as HastRoot;
  // Callouts, exercises, quizzes and MathML are Coursebook's markup, made after the author's is cleaned.
  constructs.slots.fill(body);
  visit(body, 'element', (node, index, parent) => {
    if (node.tagName === 'pre' && parent && index !== undefined) {
      const code = node.children[0];
      if (code?.type !== 'element' || code.tagName !== 'code') return;
      const classes = (code.properties.className as string[] | undefined) ?? [];
      const lang = classes.find((name) => name.startsWith('language-'))?.slice('language-'.length);
      // mdast-util-to-hast appends a newline to code; drop it so diagram hashes match the mdast source.
      const text = hastToString(code).replace(/\n$/, '');
      const replacement =
        lang === 'mermaid'
          ? (options.renderDiagram?.(splitDiagramCaption(text)) ?? diagramFallback(splitDiagramCaption(text), options.highlighter))
          : highlightCode(options.highlighter, text, lang);
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
  return body;
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
