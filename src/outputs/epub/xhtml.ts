import type { Element, ElementContent, Root as HastRoot } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { toString as hastToString } from 'hast-util-to-string';
import { SKIP, visit } from 'unist-util-visit';

/** A chapter body ready for epub-gen-memory, whose attribute filter it passes through. */
export interface ReaderBody {
  /** The body as HTML, with a placeholder comment where each kept fragment goes. */
  html: string;
  /** XHTML fragments the filter would break (inline SVG loses viewBox, xmlns, paths), restored by `restoreKept`. */
  kept: string[];
  /** Manifest properties the chapter needs: `svg`, `scripted`, `mathml`. */
  properties: string[];
  /** Images and diagrams in the chapter, how many of them have no text alternative, and its time-based media. */
  visuals: { count: number; withoutText: number; media: number };
}

const placeholder = (index: number): string => `coursebook-keep-${index}`;
const placeholderPattern = /<!--coursebook-keep-(\d+)-->/g;
const svgNamespace = 'http://www.w3.org/2000/svg';
const mathNamespace = 'http://www.w3.org/1998/Math/MathML';
const xlinkNamespace = 'http://www.w3.org/1999/xlink';

const classesOf = (node: Element): string[] => (Array.isArray(node.properties.className) ? node.properties.className.map(String) : []);

/** Footnote semantics for readers that show notes as pop-ups, from the marks GFM footnotes carry. */
function footnoteType(node: Element, parent: Element | HastRoot): string | undefined {
  if (node.tagName === 'a' && node.properties.dataFootnoteRef !== undefined) return 'noteref';
  if (node.tagName === 'a' && node.properties.dataFootnoteBackref !== undefined) return 'backlink';
  if (node.tagName === 'section' && node.properties.dataFootnotes !== undefined) return 'endnotes';
  if (node.tagName === 'li' && parent.type === 'element' && parent.tagName === 'ol' && String(node.properties.id ?? '').startsWith('user-content-fn-')) return 'endnote';
  return undefined;
}

/**
 * The DPUB-ARIA role each `epub:type` of a chapter body carries, the pairs Ace by DAISY checks
 * (`epub-type-has-matching-role`). Note: `endnote` has none; `doc-endnote` is deprecated in
 * DPUB-ARIA 1.1, and its list's `doc-endnotes` says the same.
 */
const typeRoles: Readonly<Record<string, string>> = { noteref: 'doc-noteref', backlink: 'doc-backlink', endnotes: 'doc-endnotes' };

/** Whether a table header cell names nothing: no text and no element (an image) inside. */
const emptyHeader = (cell: Element): boolean => cell.tagName === 'th' && !hastToString(cell).trim() && !cell.children.some((child) => child.type === 'element');

/**
 * Serialises an inline SVG as XML that EPUB's SVG 1.1 schema accepts: in the SVG namespace, style
 * text escaped (XHTML is parsed as XML, where a `<` or `&` in CSS would end the document), with
 * the sizes SVG 1.1 requires of a `<rect>` (0, what SVG 2 assumes when they are missing), and
 * without the sizes it forbids on a `<circle>`.
 */
function svgXml(svg: Element): string {
  let usesXlink = false;
  visit(svg, 'element', (node) => {
    if (Object.keys(node.properties).some((name) => name.startsWith('xLink'))) usesXlink = true;
    if (node.tagName === 'rect') {
      node.properties.width ??= 0;
      node.properties.height ??= 0;
    }
    // A circle is sized by its radius; mermaid's state diagrams give theirs a width and height too.
    if (node.tagName === 'circle') {
      delete node.properties.width;
      delete node.properties.height;
    }
    if (node.tagName === 'style' || node.tagName === 'script') {
      for (const child of node.children) if (child.type === 'text') child.value = child.value.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    }
  });
  svg.properties = { ...svg.properties, xmlns: svgNamespace, ...(usesXlink ? { xmlnsXLink: xlinkNamespace } : {}) };
  return toHtml(svg, { space: 'svg', closeEmptyElements: true });
}

/** Serialises MathML (Temml's) as XML in the MathML namespace; its text and attributes are already escaped. */
function mathXml(math: Element): string {
  math.properties = { ...math.properties, xmlns: mathNamespace };
  return toHtml(math);
}

/**
 * Adapts a chapter body for e-readers and for epub-gen-memory: drops the dark variant of diagrams
 * (readers have no colour-scheme switch), turns task-list checkboxes into ☑/☐ (the filter drops
 * `checked`), marks footnotes with epub:type and its DPUB-ARIA role, makes empty header cells
 * ordinary cells, drops data-* attributes and comments, and sets
 * inline SVG aside behind placeholder comments so the filter cannot damage it.
 * @param body the chapter body, links already settled (changed in place)
 * @param stringify serialises the body: the render processor's rehype-stringify (CourseRenderer.html)
 */
export function readerBody(body: HastRoot, stringify: (body: HastRoot) => string): ReaderBody {
  const kept: string[] = [];
  const properties = new Set<string>();
  const visuals = { count: 0, withoutText: 0, media: 0 };
  visit(body, (node, index, parent) => {
    if (!parent || index === undefined) return undefined;
    if (node.type === 'comment') {
      parent.children.splice(index, 1);
      return [SKIP, index];
    }
    if (node.type !== 'element') return undefined;
    if (classesOf(node).includes('diagram-dark')) {
      parent.children.splice(index, 1);
      return [SKIP, index];
    }
    if (node.tagName === 'input' && node.properties.type === 'checkbox') {
      const done = Boolean(node.properties.checked);
      const box: ElementContent = {
        type: 'element',
        tagName: 'span',
        properties: { className: ['task-box'], role: 'img', ariaLabel: done ? 'done' : 'not done' },
        children: [{ type: 'text', value: done ? '☑' : '☐' }],
      };
      parent.children[index] = box;
      return SKIP;
    }
    const epubType = footnoteType(node, parent as Element | HastRoot);
    if (epubType) {
      node.properties['epub:type'] = epubType;
      if (typeRoles[epubType]) node.properties.role = typeRoles[epubType];
    }
    // A header cell that heads nothing (the corner of a GFM table) is an ordinary cell.
    if (emptyHeader(node)) node.tagName = 'td';
    for (const name of Object.keys(node.properties)) if (/^data[A-Z]/.test(name)) delete node.properties[name];
    if (node.tagName === 'script') properties.add('scripted');
    // Audio, video and GIFs (which may animate) are content whose hazards Coursebook cannot judge.
    if (node.tagName === 'audio' || node.tagName === 'video' || (node.tagName === 'img' && /\.gif$/i.test(String(node.properties.src ?? '')))) visuals.media++;
    if (node.tagName === 'math') {
      // epub-gen-memory's filter would drop MathML attributes (display, mathvariant, alttext).
      properties.add('mathml');
      kept.push(mathXml(node));
      parent.children[index] = { type: 'comment', value: placeholder(kept.length - 1) };
      return SKIP;
    }
    if (node.tagName === 'img') {
      visuals.count++;
      if (!String(node.properties.alt ?? '').trim()) visuals.withoutText++;
    }
    if (node.tagName === 'svg') {
      // A decorative icon (a callout's) is neither an image nor a missing text alternative.
      if (node.properties.ariaHidden !== 'true') visuals.count++;
      const named = node.properties.ariaLabel || node.properties.ariaLabelledBy || node.children.some((child) => child.type === 'element' && child.tagName === 'title');
      if (!named && node.properties.ariaHidden !== 'true') visuals.withoutText++;
      properties.add('svg');
      kept.push(svgXml(node));
      parent.children[index] = { type: 'comment', value: placeholder(kept.length - 1) };
      return SKIP;
    }
    return undefined;
  });
  return { html: stringify(body), kept, properties: [...properties].sort(), visuals };
}

/**
 * Puts the kept fragments back in place of their placeholders, after epub-gen-memory's filter.
 * @param markup the filtered chapter markup
 * @param kept the fragments `readerBody` set aside
 */
export function restoreKept(markup: string, kept: readonly string[]): string {
  return markup.replace(placeholderPattern, (_match, index: string) => kept[Number(index)] ?? '');
}
