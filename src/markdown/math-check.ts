import type { Root } from 'mdast';
import temml from 'temml';
import type { VFile } from 'vfile';
import { visit } from 'unist-util-visit';
import type { RuleId } from '../diagnostics/catalogue.js';

/** Temml's options for every formula: MathML with the TeX as its annotation, errors thrown. */
export const temmlOptions = { annotate: true, throwOnError: true, trust: false } as const;

/**
 * Checks every `$…$` and `$$…$$` formula with the renderer the writers use (Temml): one that does
 * not parse is a `math-syntax` message at its line (for a display formula, the line inside it
 * where Temml stopped), with Temml's own message.
 */
export default function remarkMathCheck() {
  return (tree: Root, file: VFile): void => {
    visit(tree, (node) => {
      if (node.type !== 'math' && node.type !== 'inlineMath') return;
      try {
        temml.renderToString(node.value, { ...temmlOptions, displayMode: node.type === 'math' });
      } catch (error) {
        const start = node.position?.start;
        const offset = (error as { position?: number }).position;
        // A display formula's TeX starts on the line after its opening `$$`.
        const inside = node.type === 'math' && offset !== undefined ? node.value.slice(0, offset).split('\n').length : 0;
        const place = start ? { line: start.line + inside, column: inside > 0 ? 1 : start.column } : undefined;
        const reason = String((error as Error).message ?? error)
          .replace(/^ParseError: /, '')
          .replace(/\s+/g, ' ')
          .trim();
        file.message(`Formula does not parse: ${reason}. Fix the TeX of this formula.`, { ...(place ? { place } : {}), ruleId: 'math-syntax' satisfies RuleId, source: 'coursebook' });
      }
    });
  };
}
