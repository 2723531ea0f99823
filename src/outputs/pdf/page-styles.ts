import type { CourseConfig } from '../../model/course.js';

/** The running heads of the pages of one part of a book (the contents, a section opening, a lesson). */
export interface RunningHead {
  /** The part's anchor, also its CSS page name: an identifier of ASCII letters, digits and dashes. */
  anchor: string;
  /** Text at the top left, e.g. "Section 4 · Distributed Systems". */
  left: string;
  /** Text at the top right, e.g. "4.5 Distributed Consensus". */
  right: string;
}

/**
 * Quotes text as a CSS string. Control characters become spaces, and `<` is escaped so the text
 * cannot close the `<style>` element it is printed in.
 * @param text any text
 */
export function cssString(text: string): string {
  const escaped = text
    .replace(/[\\"]/g, '\\$&')
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/</g, '\\3c ');
  return `"${escaped}"`;
}

const paperSizes: Record<CourseConfig['paper'], string> = { a4: 'A4', letter: 'letter' };

/**
 * The generated page rules of one printing: the paper size from course.yml, the number of its
 * first page, and a named page per part so that each carries its own running heads.
 * Note: Chromium does not support `string-set`, so a running head cannot come from the text; each
 * part is its own named page, which also starts it on a new page. Chromium gives the page counter
 * no start value (`counter-reset` on `@page` resets it on every page), but an increment on the first
 * page alone carries on: `counter-increment: page 41` there numbers the pages 41, 42, 43…
 * @param paper course.yml's `paper`
 * @param heads the running heads of each part
 * @param firstPage the number printed on the first page
 */
export function pageStyles(paper: CourseConfig['paper'], heads: RunningHead[], firstPage: number): string {
  const rules = [`@page { size: ${paperSizes[paper]}; }`];
  if (firstPage !== 1) rules.push(`@page :first { counter-increment: page ${firstPage}; }`);
  for (const head of heads) {
    rules.push(`#${head.anchor} { page: ${head.anchor}; }`, `@page ${head.anchor} { @top-left { content: ${cssString(head.left)}; } @top-right { content: ${cssString(head.right)}; } }`);
  }
  return `${rules.join('\n')}\n`;
}
