import type { Root } from 'mdast';
import { VFile } from 'vfile';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { assignHeadingIds } from '../markdown/headings.js';
import { parseMarkdown } from '../markdown/parse.js';
import { countWords, readingMinutes } from '../markdown/words.js';
import type { LessonHeading, Point } from '../model/course.js';
import { lessonFrontmatterSchema, sectionFrontmatterSchema, type LessonFrontmatter, type SectionFrontmatter } from '../model/schemas.js';
import { readFrontmatter, validateFields } from './frontmatter.js';
import { collectReferences, type RawReference } from './references.js';

/** A Markdown file parsed once: tree, frontmatter fields and their positions. */
interface ParsedSource {
  file: VFile;
  tree: Root;
  positions: Record<string, Point>;
  diagnostics: Diagnostic[];
}

function parseSource(text: string, path: string): ParsedSource & { fields?: Record<string, unknown>; rawScalars: Record<string, string> } {
  const file = new VFile({ path, value: text });
  const tree = parseMarkdown(file);
  const frontmatter = readFrontmatter(tree, path);
  return { file, tree, positions: frontmatter.positions, diagnostics: frontmatter.diagnostics, fields: frontmatter.fields, rawScalars: frontmatter.rawScalars };
}

/** A lesson file after parsing, before cross-file resolution. */
export interface ParsedLesson extends ParsedSource {
  frontmatter: Partial<LessonFrontmatter>;
  words: number;
  computedMinutes: number;
  headings: LessonHeading[];
  rawReferences: RawReference[];
}

/**
 * Parses a lesson's text: frontmatter validated field by field, heading ids, words, references.
 * @param text the decoded source
 * @param path the lesson's path relative to the content root
 * @param wordsPerMinute the course's reading speed
 */
export function parseLesson(text: string, path: string, wordsPerMinute: number): ParsedLesson {
  const source = parseSource(text, path);
  const fields = source.fields === undefined ? undefined : { ...source.fields };
  // `lesson: 4.10` unquoted is the float 4.1 to YAML; the raw source keeps what the author wrote.
  if (fields && typeof fields.lesson === 'number' && source.rawScalars.lesson) fields.lesson = source.rawScalars.lesson;
  const start = { line: 1, column: 1 };
  const checked = validateFields(lessonFrontmatterSchema, { fields, positions: source.positions }, { file: path, rule: 'frontmatter-schema', start, what: 'the lesson frontmatter' });
  const headings = assignHeadingIds(source.tree);
  const words = countWords(source.tree);
  return {
    ...source,
    diagnostics: [...source.diagnostics, ...checked.diagnostics],
    frontmatter: checked.value,
    words,
    computedMinutes: readingMinutes(words, wordsPerMinute),
    headings,
    rawReferences: collectReferences(source.tree),
  };
}

/** A section.md after parsing. */
export interface ParsedSection extends ParsedSource {
  fields?: Record<string, unknown>;
  frontmatter: Partial<SectionFrontmatter>;
}

/**
 * Parses a section.md: its frontmatter and optional introduction.
 * @param text the decoded source
 * @param path the file's path relative to the content root
 */
export function parseSection(text: string, path: string): ParsedSection {
  const source = parseSource(text, path);
  const checked = validateFields(sectionFrontmatterSchema, { fields: source.fields, positions: source.positions }, { file: path, rule: 'frontmatter-schema', start: { line: 1, column: 1 }, what: 'section.md' });
  assignHeadingIds(source.tree);
  return { ...source, diagnostics: [...source.diagnostics, ...checked.diagnostics], frontmatter: checked.value };
}
