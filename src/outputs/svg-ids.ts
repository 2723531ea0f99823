import type { CustomPlugin, XastElement } from 'svgo';

/** An XML name without colons, in ASCII: what EPUB and XHTML accept as an id. */
const validId = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Rewrites `#old` references (in `url(#…)`, `href="#…"` and CSS) to `#new`, as written or URI-encoded. */
function rewriteReferences(value: string, renames: ReadonlyMap<string, string>): string {
  let result = value;
  for (const [from, to] of renames) {
    for (const written of new Set([from, encodeURI(from)])) {
      result = result.replaceAll(`url(#${written})`, `url(#${to})`).replaceAll(`url("#${written}")`, `url(#${to})`).replaceAll(`url('#${written}')`, `url(#${to})`);
      if (result === `#${written}`) result = `#${to}`;
    }
  }
  return result;
}

/**
 * An svgo plugin that makes every id left after `cleanupIds` and `prefixIds` a valid XML name that
 * occurs once, renaming the rest to `<prefix>-<n>` and rewriting references to them.
 * Note: `cleanupIds` leaves ids alone in an SVG with a `<style>` element (its CSS may name them),
 * and `prefixIds` keeps an id's characters, so `id="https://x.y"` and repeated ids survive both;
 * EPUB readers and epubcheck reject them. A repeated id keeps its first element, which is the one
 * `url(#…)` and `href="#…"` resolve to.
 * @param prefix this asset's id prefix, a valid XML name
 */
export function uniqueValidIds(prefix: string): CustomPlugin {
  return {
    name: 'uniqueValidIds',
    fn: () => {
      const elements: XastElement[] = [];
      const renames = new Map<string, string>();
      const seen = new Set<string>();
      let counter = 0;
      return {
        element: {
          enter: (node) => {
            elements.push(node);
            const id = node.attributes.id;
            if (id === undefined) return;
            if (validId.test(id) && !seen.has(id)) {
              seen.add(id);
              return;
            }
            let fresh: string;
            do fresh = `${prefix}-${++counter}`;
            while (seen.has(fresh));
            seen.add(fresh);
            if (!renames.has(id) && !validId.test(id)) renames.set(id, fresh);
            node.attributes.id = fresh;
          },
        },
        root: {
          exit: () => {
            if (renames.size === 0) return;
            for (const node of elements) {
              for (const [name, value] of Object.entries(node.attributes) as [string, string][]) {
                if (name !== 'id' && value.includes('#')) node.attributes[name] = rewriteReferences(value, renames);
              }
            }
          },
        },
      };
    },
  };
}
