import type { Element, ElementContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { visit } from 'unist-util-visit';
import type { DiagramResult } from './cache.js';

/** Parses one SVG document into its `<svg>` element. */
function svgElement(svg: string): Element {
  const root = fromHtml(svg, { fragment: true });
  const element = root.children.find((node): node is Element => node.type === 'element' && node.tagName === 'svg');
  if (!element) throw new Error('mermaid output has no <svg> element');
  return element;
}

const text = (value: string): ElementContent => ({ type: 'text', value });

/**
 * Attributes mermaid writes that are not SVG attributes and that HTML does not allow inside an
 * inline `<svg>` (the W3C Nu checker reports each): `name` on rects and lines, `datatype` on
 * groups. They are mermaid's own hooks and nothing reads them once the SVG is drawn.
 */
const foreignAttributes = ['name', 'dataType'] as const;

/** Removes from an SVG, in place, the attributes HTML does not allow there (`foreignAttributes`). */
function dropForeignAttributes(svg: Element): void {
  visit(svg, 'element', (node) => {
    for (const attribute of foreignAttributes) delete node.properties[attribute];
  });
}

/**
 * Gives every id inside an SVG its root's id as a prefix, and rewrites the references to them
 * (`#id` links and `url(#id)` paints). mermaid names sequence-diagram markers and actors the same
 * in every diagram (`arrowhead`, `actor0`), which would repeat ids on a page with two of them.
 */
function scopeIds(svg: Element): void {
  const scope = String(svg.properties.id ?? '');
  if (!scope) return;
  const renamed = new Map<string, string>();
  visit(svg, 'element', (node) => {
    const id = node.properties.id;
    if (node === svg || typeof id !== 'string' || id.startsWith(scope)) return;
    renamed.set(id, `${scope}-${id}`);
    node.properties.id = `${scope}-${id}`;
  });
  if (renamed.size === 0) return;
  const rewrite = (value: string): string =>
    value
      .replace(/url\(#([^)]+)\)/g, (whole, id: string) => (renamed.has(id) ? `url(#${renamed.get(id)})` : whole))
      .replace(/^#(.+)$/, (whole, id: string) => (renamed.has(id) ? `#${renamed.get(id)}` : whole));
  visit(svg, 'element', (node) => {
    for (const [name, value] of Object.entries(node.properties)) {
      if (typeof value === 'string' && (value.includes('url(#') || value.startsWith('#'))) node.properties[name] = rewrite(value);
    }
  });
}

/**
 * Builds the figure for a rendered diagram: the light SVG and the dark one (hidden from assistive
 * technology; stylesheets show one or the other), with the caption as the figure caption and as
 * the SVG's accessible name (`<title>`) and description (`<desc>`).
 * Note: formats without dark mode remove the `.diagram-dark` SVG (see dropDarkDiagrams).
 * @param result a successfully rendered diagram
 * @param caption the block's caption
 * @param hash the diagram's hash, for stable ids
 */
export function diagramFigure(result: Extract<DiagramResult, { ok: true }>, caption: string, hash: string): Element {
  const id = `diagram-${hash.slice(0, 12)}`;
  const light = svgElement(result.light);
  const dark = svgElement(result.dark);
  for (const svg of [light, dark]) {
    scopeIds(svg);
    dropForeignAttributes(svg);
  }
  const kind = String(light.properties.ariaRoleDescription ?? 'diagram').replace(/-v\d+$/, '');
  const name = caption || `A ${kind} diagram`;
  light.properties = { ...light.properties, role: 'img', ariaLabelledBy: [`${id}-title`], ariaDescribedBy: [`${id}-desc`], className: ['diagram-svg', 'diagram-light'] };
  light.children.unshift(
    { type: 'element', tagName: 'title', properties: { id: `${id}-title` }, children: [text(name)] },
    { type: 'element', tagName: 'desc', properties: { id: `${id}-desc` }, children: [text(`${kind[0]?.toUpperCase() ?? ''}${kind.slice(1)} diagram: ${name}`)] },
  );
  dark.properties = { ...dark.properties, ariaHidden: 'true', className: ['diagram-svg', 'diagram-dark'] };
  delete dark.properties.role;
  delete dark.properties.ariaRoledescription;
  const children: ElementContent[] = [light, dark];
  if (caption) children.push({ type: 'element', tagName: 'figcaption', properties: {}, children: [text(caption)] });
  return { type: 'element', tagName: 'figure', properties: { className: ['diagram'], dataDiagram: hash.slice(0, 12) }, children };
}
