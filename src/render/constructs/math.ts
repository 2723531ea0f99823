import type { Element, ElementContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import type { InlineMath, Math } from 'mdast-util-math';
import type { Handler } from 'mdast-util-to-hast';
import temml from 'temml';
import { temmlOptions } from '../../markdown/math-check.js';
import type { ConstructSlots } from './slots.js';

/**
 * A formula as MathML, rendered at build time by Temml: no script and no image. It carries its TeX
 * as an `alttext` and as a TeX annotation, for readers and tools without MathML.
 * @param tex the formula's TeX
 * @param display whether it is a display formula (`$$…$$`)
 */
export function mathElement(tex: string, display: boolean): Element {
  // A formula that does not parse stops the build at `math-syntax`; this never shows Temml's error markup.
  const markup = temml.renderToString(tex, { ...temmlOptions, throwOnError: false, displayMode: display });
  const math = fromHtml(markup, { fragment: true }).children.find((node): node is Element => node.type === 'element' && node.tagName === 'math')!;
  math.properties = { ...math.properties, alttext: tex.trim() };
  return display ? { type: 'element', tagName: 'div', properties: { className: ['math-display'] }, children: [math] } : math;
}

/**
 * remark-rehype handlers for `math` and `inlineMath` (remark-math) that put MathML in place.
 * @param slots the body's placeholders (MathML is made after sanitising)
 */
export function mathHandlers(slots: ConstructSlots): { math: Handler; inlineMath: Handler } {
  return {
    math: (_state, node: Math) => slots.slot('div', [], (): ElementContent => mathElement(node.value, true)),
    inlineMath: (_state, node: InlineMath) => slots.slot('span', [], (): ElementContent => mathElement(node.value, false)),
  };
}
