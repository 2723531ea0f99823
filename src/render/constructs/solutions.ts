import type { Element, ElementContent, Root as HastRoot } from 'hast';
import { SKIP, visit } from 'unist-util-visit';

/** A solution or quiz answer taken out of a lesson body, for a book's Solutions section. */
export interface TakenSolution {
  kind: 'exercise' | 'quiz';
  /** The id of the exercise or quiz it answers, as it is in the body (books may prefix ids). */
  targetId: string;
  /** The exercise's or quiz's number, "4.5.2" (its `data-number`). */
  number: string;
  /** The solution's content (for a quiz: the right answer and the explanation). */
  content: ElementContent[];
}

const hasClass = (node: Element, name: string): boolean => Array.isArray(node.properties.className) && node.properties.className.includes(name);

/** The content of a solution's `<details>`: what is inside its body wrapper, without the summary. */
function detailsContent(details: Element): ElementContent[] {
  const body = details.children.find((child): child is Element => child.type === 'element' && child.tagName === 'div');
  return body ? body.children : details.children.filter((child) => !(child.type === 'element' && child.tagName === 'summary'));
}

/**
 * Takes every exercise's solution and every quiz's answer out of a body, for books, which collect
 * them at the end: each `<details>` is replaced by what `replace` returns (a link to the solution),
 * and the exercise or quiz is marked with `practice` / `assessment` semantics by the caller.
 * @param body a clone of a lesson body (changed in place)
 * @param replace what stands where the solution was, given the solution; undefined for nothing
 * @returns the solutions, in reading order
 */
export function takeSolutions(body: HastRoot, replace: (solution: TakenSolution) => ElementContent | undefined): TakenSolution[] {
  const taken: TakenSolution[] = [];
  visit(body, 'element', (node) => {
    const kind = hasClass(node, 'exercise') ? 'exercise' : hasClass(node, 'quiz') ? 'quiz' : undefined;
    if (!kind || typeof node.properties.id !== 'string') return undefined;
    const number = String(node.properties.dataNumber ?? '');
    node.children = node.children.flatMap((child) => {
      if (child.type !== 'element' || child.tagName !== 'details' || !(hasClass(child, 'solution') || hasClass(child, 'quiz-answer'))) return [child];
      const solution: TakenSolution = { kind, targetId: String(node.properties.id), number, content: detailsContent(child) };
      taken.push(solution);
      const stand = replace(solution);
      return stand ? [stand] : [];
    });
    return SKIP;
  });
  return taken;
}
