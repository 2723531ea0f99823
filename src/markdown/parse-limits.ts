/**
 * How deep lists, block quotes, footnotes, emphasis and link brackets may nest before a source is
 * refused. Note: the Markdown parser slows down with the cube of list nesting and the square of
 * emphasis and bracket nesting, and tree walks recurse, so a few kilobytes nested 10,000 deep would
 * hang a build for minutes or overflow the stack. No course nests anything near 100 deep
 * (markdown-it's default limit is the same).
 */
export const maxNesting = 100;

/**
 * How much work stray closers may make the parser do before a source is refused: the sum, over
 * every `*`, `_`, `~` or `]` that closes nothing, of how far into its paragraph it is (in characters).
 * Note: the parser looks back over the whole paragraph for each of them, so 100,000 `]` on one line
 * take it minutes. This budget is about a second of parsing; prose with a few stray closers per
 * paragraph stays far below it.
 */
export const maxStrayCloserWork = 100_000_000;

/** What a source would cost the parser, measured without parsing it. */
export interface ParseLoad {
  /** The deepest nesting, and the first line deeper than `maxNesting` (else where the deepest is). */
  nesting: { depth: number; line: number };
  /** Closers that close nothing: how many, the work they cause, and the line of the first. */
  strayClosers: { count: number; work: number; line: number };
}

const space = 0x20;
const tab = 0x09;

/** What opens a container: a block quote, a list item, a footnote definition. */
const containerMarker = /(?:>|[-+*](?=[ \t\r]|$)|\d{1,9}[.)](?=[ \t\r]|$)|\[\^[^\]\s]+\]:)/y;

/**
 * Block nesting of one line: the list markers, `>` and footnote labels in its container prefix,
 * plus what its indentation can continue (two columns or more per list level) when a marker follows.
 * Note: a thematic break written as spaced dashes counts as list markers; an estimate from above.
 */
function lineBlockDepth(line: string): number {
  let depth = 0;
  let pending = 0;
  let at = 0;
  for (;;) {
    let columns = 0;
    while (line.charCodeAt(at) === space || line.charCodeAt(at) === tab) {
      columns += line.charCodeAt(at) === tab ? 4 - (columns % 4) : 1;
      at++;
    }
    pending += Math.floor(columns / 2);
    containerMarker.lastIndex = at;
    const marker = containerMarker.exec(line);
    if (!marker) return depth;
    depth += pending + 1;
    pending = 0;
    at += marker[0].length;
    // The one column after a list marker belongs to it, not to the next level's indentation.
    if (marker[0] !== '>' && (line.charCodeAt(at) === space || line.charCodeAt(at) === tab)) at++;
  }
}

function isWhitespace(char: string | undefined): boolean {
  return char === undefined || /\s/.test(char);
}

function isPunctuation(char: string | undefined): boolean {
  return char !== undefined && /[\p{P}\p{S}]/u.test(char);
}

/** A delimiter of inline nesting: a run of `*`, `_` or `~`, or a bracket. */
interface Delimiter {
  kind: string;
  units: number;
  canOpen: boolean;
  canClose: boolean;
  /** Characters from the start of its paragraph. */
  offset: number;
  line: number;
}

/** Finds the delimiters of a paragraph, with CommonMark's flanking rules for emphasis runs. */
function delimitersOf(text: string, firstLine: number): Delimiter[] {
  const found: Delimiter[] = [];
  let line = firstLine;
  for (let at = 0; at < text.length; at++) {
    const char = text[at]!;
    if (char === '\n') line++;
    else if (char === '\\') at++;
    else if (char === '[' || char === ']') found.push({ kind: '[', units: 1, canOpen: char === '[', canClose: char === ']', offset: at, line });
    else if (char === '*' || char === '_' || char === '~') {
      let end = at;
      while (text[end + 1] === char) end++;
      const before = text[at - 1];
      const after = text[end + 1];
      const left = !isWhitespace(after) && (!isPunctuation(after) || isWhitespace(before) || isPunctuation(before));
      const right = !isWhitespace(before) && (!isPunctuation(before) || isWhitespace(after) || isPunctuation(after));
      const strict = char === '_';
      found.push({
        kind: char,
        units: end - at + 1,
        canOpen: left && (!strict || !right || isPunctuation(before)),
        canClose: right && (!strict || !left || isPunctuation(after)),
        offset: at,
        line,
      });
      at = end;
    }
  }
  return found;
}

/**
 * Measures one paragraph: openers are matched to closers like brackets (a closing run closes as
 * many units as it has); the most matched pairs open at once is its depth, and closers that match
 * nothing are stray.
 */
function measureParagraph(delimiters: Delimiter[], load: ParseLoad): void {
  const opened = new Array<number>(delimiters.length).fill(0);
  const closed = new Array<number>(delimiters.length).fill(0);
  const stacks = new Map<string, { index: number; units: number }[]>();
  delimiters.forEach((delimiter, index) => {
    const stack = stacks.get(delimiter.kind) ?? [];
    stacks.set(delimiter.kind, stack);
    let units = delimiter.units;
    while (delimiter.canClose && units > 0 && stack.length > 0) {
      const top = stack.at(-1)!;
      const taken = Math.min(units, top.units);
      opened[top.index]! += taken;
      closed[index]! += taken;
      units -= taken;
      top.units -= taken;
      if (top.units === 0) stack.pop();
    }
    if (delimiter.canClose && closed[index] === 0) {
      if (load.strayClosers.count === 0) load.strayClosers.line = delimiter.line;
      load.strayClosers.count++;
      load.strayClosers.work += delimiter.offset;
    }
    if (delimiter.canOpen && units > 0) stack.push({ index, units });
  });
  let open = 0;
  delimiters.forEach((delimiter, index) => {
    open += opened[index]! - closed[index]!;
    deeper(load, open, delimiter.line);
  });
}

/** Records a depth, keeping the first line past the limit once there is one. */
function deeper(load: ParseLoad, depth: number, line: number): void {
  if (depth <= load.nesting.depth) return;
  load.nesting = { depth, line: load.nesting.depth > maxNesting ? load.nesting.line : line };
}

/**
 * Measures, without parsing, what a Markdown source would cost the parser: how deep it nests
 * (block containers per line; emphasis and brackets per run of non-blank lines, since a paragraph
 * cannot span a blank line) and how much work its stray closers cause.
 * Note: estimates from above, in linear time, so they can run before the parser on any input.
 * Code is measured like prose: skipping it would let a fence the parser closes early hide the rest.
 * @param text the decoded source
 */
export function measureMarkdown(text: string): ParseLoad {
  const load: ParseLoad = { nesting: { depth: 0, line: 1 }, strayClosers: { count: 0, work: 0, line: 1 } };
  const lines = text.split('\n');
  let paragraphStart = 0;
  const endParagraph = (end: number): void => {
    if (end > paragraphStart) measureParagraph(delimitersOf(lines.slice(paragraphStart, end).join('\n'), paragraphStart + 1), load);
    paragraphStart = end + 1;
  };
  lines.forEach((line, index) => {
    deeper(load, lineBlockDepth(line), index + 1);
    if (line.trim() === '') endParagraph(index);
  });
  endParagraph(lines.length);
  return load;
}
