import GithubSlugger from 'github-slugger';
import type { Code, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { Point } from '../model/course.js';

/**
 * A code fence CommonMark reads differently from what the author meant: one that is never closed,
 * or a line that looks like an opening fence but is not one, because its info string has a backtick.
 */
export interface FenceProblem {
  kind: 'unclosed' | 'backtick-info';
  /** Where the fence, or the line that looks like one, starts. */
  position: Point;
  /** The fence characters as written: "```" or "````". */
  fence: string;
  /** What follows the fence on its line. */
  info: string;
  /**
   * The code block that took in lines meant as prose: for `unclosed` the block itself, for
   * `backtick-info` the block opened by the bare fence meant to close it (absent if there is none).
   */
  swallowed?: { from: number; to: number; toEndOfFile: boolean; headings: string[]; anchors: string[] };
}

const fenceLine = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const atxHeading = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;

/** Lines of a source, 1-based (index 0 is unused), without their line endings. */
function linesOf(text: string): string[] {
  return ['', ...text.split(/\r?\n|\r/)];
}

/** The heading-looking lines of a code block, and the anchors they would have had as headings. */
function swallowedBlock(node: Code, lines: string[], textLength: number): NonNullable<FenceProblem['swallowed']> {
  const from = node.position?.start.line ?? 1;
  const to = node.position?.end.line ?? from;
  const headings: string[] = [];
  for (let line = from + 1; line <= to; line++) {
    const match = atxHeading.exec(lines[line] ?? '');
    if (match?.[1]) headings.push(match[1]);
  }
  const slugger = new GithubSlugger();
  const anchors = headings.map((heading) => /\{#([^\s{}]+)\}\s*$/.exec(heading)?.[1] ?? slugger.slug(heading));
  return { from, to, toEndOfFile: (node.position?.end.offset ?? 0) >= textLength, headings, anchors };
}

/** Whether a fenced code block ends with a closing fence (else it ran to the end of its container). */
function isClosed(node: Code, lines: string[]): boolean {
  const opening = fenceLine.exec(lines[node.position?.start.line ?? 1] ?? '')?.[1] ?? '';
  const closing = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(lines[node.position?.end.line ?? 1] ?? '')?.[1] ?? '';
  return node.position?.end.line !== node.position?.start.line && closing[0] === opening[0] && closing.length >= opening.length;
}

/**
 * Finds code fences that swallow prose: a fenced block that runs to the end of the file, and lines
 * that look like an opening backtick fence but, having a backtick in their info string, are prose.
 * Note: lines inside code blocks and raw HTML are content, not fences, and are never reported; a
 * block opened by the fence meant to close a misread one is part of that one's problem.
 * @param tree the lesson's mdast
 * @param text the lesson's source
 */
export function findFenceProblems(tree: Root, text: string): FenceProblem[] {
  const lines = linesOf(text);
  const problems: FenceProblem[] = [];
  const literal = new Set<number>();
  const blocks: Code[] = [];
  visit(tree, (node) => {
    if ((node.type !== 'code' && node.type !== 'html' && node.type !== 'yaml') || !node.position) return;
    for (let line = node.position.start.line; line <= node.position.end.line; line++) literal.add(line);
    if (node.type === 'code' && fenceLine.test(lines[node.position.start.line] ?? '')) blocks.push(node);
  });
  for (const node of blocks) {
    if ((node.position?.end.offset ?? 0) < text.trimEnd().length || isClosed(node, lines)) continue;
    const [, fence = '', info = ''] = fenceLine.exec(lines[node.position!.start.line] ?? '') ?? [];
    problems.push({
      kind: 'unclosed',
      position: { line: node.position!.start.line, column: node.position!.start.column },
      fence,
      info: info.trim(),
      swallowed: swallowedBlock(node, lines, text.length),
    });
  }
  for (let line = 1; line < lines.length; line++) {
    const match = /^( {0,3})(`{3,})(.*`.*)$/.exec(lines[line] ?? '');
    if (!match || literal.has(line)) continue;
    const [, indent = '', fence = '', info = ''] = match;
    // The bare fence meant to close this one opens a block instead, when it is the next block.
    const next = blocks.find((node) => (node.position?.start.line ?? 0) > line);
    const problem: FenceProblem = { kind: 'backtick-info', position: { line, column: indent.length + 1 }, fence, info: info.trim() };
    if (next && /^ {0,3}(`{3,}|~{3,})[ \t]*$/.test(lines[next.position?.start.line ?? 0] ?? '')) problem.swallowed = swallowedBlock(next, lines, text.length);
    problems.push(problem);
  }
  // A block opened by the fence meant to close a misread one is reported with it, once.
  const explained = new Set(problems.flatMap((problem) => (problem.kind === 'backtick-info' && problem.swallowed ? [problem.swallowed.from] : [])));
  return problems.filter((problem) => problem.kind !== 'unclosed' || !explained.has(problem.position.line)).sort((a, b) => a.position.line - b.position.line);
}
