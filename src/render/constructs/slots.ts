import { randomBytes } from 'node:crypto';
import type { Element, ElementContent, Root as HastRoot } from 'hast';

/** Builds a construct's final markup from its content, already sanitised. */
export type SlotFill = (children: ElementContent[]) => ElementContent;

/**
 * Placeholders for markup Coursebook itself makes (callout asides, exercise sections, solution
 * `<details>`, MathML), so that the sanitiser, which must strip such markup from authors' raw
 * HTML, never sees it: remark-rehype handlers emit a placeholder around the author's content, the
 * sanitiser cleans that content, and `fill` then builds the real elements around it.
 * Note: placeholder ids carry a random nonce, so raw HTML cannot forge one; every placeholder is
 * replaced, so the output does not depend on the nonce.
 */
export class ConstructSlots {
  private readonly nonce = `cb${randomBytes(8).toString('hex')}`;
  private readonly fills: SlotFill[] = [];

  /**
   * A placeholder element.
   * @param tagName `span` inside phrasing content (a paragraph), else `div`
   * @param children the author's content, converted as usual
   * @param fill builds the final markup from the sanitised children
   */
  slot(tagName: 'div' | 'span', children: ElementContent[], fill: SlotFill): Element {
    this.fills.push(fill);
    return { type: 'element', tagName, properties: { id: `${this.nonce}-${this.fills.length - 1}` }, children };
  }

  /**
   * Replaces every placeholder in a sanitised tree with its markup, innermost first.
   * @param tree the sanitised body (changed in place)
   */
  fill(tree: HastRoot): void {
    const prefix = `${this.nonce}-`;
    const walk = (parent: HastRoot | Element): void => {
      parent.children = parent.children.map((child) => {
        if (child.type !== 'element') return child;
        walk(child);
        const id = child.properties.id;
        if (typeof id !== 'string' || !id.startsWith(prefix)) return child;
        const fill = this.fills[Number(id.slice(prefix.length))];
        return fill ? fill(child.children) : child;
      }) as typeof parent.children;
    };
    walk(tree);
  }
}
