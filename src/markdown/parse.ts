import type { Paragraph, Root } from 'mdast';
import remarkDirective from 'remark-directive';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import remarkParse from 'remark-parse';
import { unified, type Preset } from 'unified';
import { VFile } from 'vfile';
import { location } from 'vfile-location';
import type { RuleId } from '../diagnostics/catalogue.js';
import remarkCallouts from './callouts.js';
import remarkCourseDirectives from './directives.js';
import remarkMathCheck from './math-check.js';
import { maxNesting, maxStrayCloserWork, measureMarkdown } from './parse-limits.js';

/**
 * The Markdown dialect: CommonMark, GFM, YAML frontmatter, directives (exercises, quizzes) and
 * math. Shared by the parse processor (below) and the render processor (render/processor.ts), so
 * both read the same syntax.
 */
export const remarkSyntax: Preset = {
  plugins: [remarkParse, [remarkFrontmatter, ['yaml']], remarkGfm, remarkDirective, remarkMath],
};

/**
 * The parse processor: the dialect plus the course transforms, which mark and check course
 * constructs (callouts from GitHub's alerts, exercises, quizzes, math) and add no HTML.
 * Note: the course transforms run here only, once per lesson (in parse workers); the render
 * processor starts from the tree this returns and never runs them again.
 */
const parser = unified().use(remarkSyntax).use(remarkCallouts).use(remarkCourseDirectives).use(remarkMathCheck).freeze();

/** The frontmatter block at the start of a source, `---` lines included, or ''. */
function frontmatterOf(text: string): string {
  return /^---[ \t]*\r?\n(?:[\s\S]*?\r?\n)??---[ \t]*(?=\r?\n|$)/.exec(text)?.[0] ?? '';
}

/**
 * What a refused file becomes: its frontmatter, parsed as usual, and its body as one paragraph of
 * plain text, so the frontmatter is still checked and the words still counted.
 */
function unparsedTree(file: VFile, text: string): Root {
  const frontmatter = frontmatterOf(text);
  const tree: Root = frontmatter ? (parser.parse(new VFile({ path: file.path, value: frontmatter })) as Root) : ({ type: 'root', children: [] } satisfies Root);
  const where = location(text);
  const body = text.slice(frontmatter.length);
  const start = frontmatter.length + (body.length - body.trimStart().length);
  if (start >= text.length) return tree;
  const position = { start: { ...where.toPoint(start)!, offset: start }, end: { ...where.toPoint(text.length)!, offset: text.length } };
  const paragraph: Paragraph = { type: 'paragraph', children: [{ type: 'text', value: text.slice(start), position }], position };
  tree.children.push(paragraph);
  return tree;
}

/**
 * Parses a Markdown source (with YAML frontmatter and GitHub-flavoured Markdown) into mdast.
 * This is the one parse a lesson gets per build; every rule and writer reads the tree it returns.
 * Note: a source the parser would take minutes over, or overflow the stack on (nested more than
 * `maxNesting` deep, or with too many stray closers), is not parsed: it gets a `file-unreadable`
 * message on `file` and a tree of its frontmatter and its body as plain text.
 * @param file the source file; its value must already be decoded text; messages are added to it
 */
export function parseMarkdown(file: VFile): Root {
  const text = String(file.value);
  // The frontmatter is YAML, not Markdown: its brackets and dashes nest nothing.
  const frontmatter = frontmatterOf(text);
  const bodyLine = frontmatter.split('\n').length - 1;
  const { nesting, strayClosers } = measureMarkdown(text.slice(frontmatter.length));
  if (nesting.depth > maxNesting) {
    return refuse(
      file,
      text,
      bodyLine + nesting.line,
      `This file nests lists, block quotes, emphasis or links about ${nesting.depth} levels deep; Coursebook reads at most ${maxNesting}, so it is not read as Markdown. Flatten the nesting.`,
    );
  }
  if (strayClosers.work > maxStrayCloserWork) {
    return refuse(
      file,
      text,
      bodyLine + strayClosers.line,
      `This file has ${strayClosers.count} \`*\`, \`_\`, \`~\` or \`]\` that close nothing, in long paragraphs; parsing them would take minutes, so it is not read as Markdown. Escape them (\`\\]\`) or split the paragraphs.`,
    );
  }
  try {
    return parser.runSync(parser.parse(file), file) as Root;
  } catch (error) {
    // A safety net: the estimate is from above (test/fuzz.test.ts checks it), so this should not happen.
    if (!(error instanceof RangeError)) throw error;
    return refuse(file, text, 1, 'This file nests too deeply for the Markdown parser, so it is not read as Markdown. Flatten the nesting.');
  }
}

function refuse(file: VFile, text: string, line: number, reason: string): Root {
  file.message(reason, { place: { line, column: 1 }, ruleId: 'file-unreadable' satisfies RuleId, source: 'coursebook' });
  return unparsedTree(file, text);
}
