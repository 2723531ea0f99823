import type { Root } from 'mdast';
import { VFile } from 'vfile';
import { isRuleId } from '../diagnostics/catalogue.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { findFenceProblems } from '../markdown/fences.js';
import { assignHeadingIds } from '../markdown/headings.js';
import { parseMarkdown } from '../markdown/parse.js';
import { collectPractice } from '../markdown/practice.js';
import { countReading, readingMinutes, type ReadingSpeeds } from '../markdown/words.js';
import { visit } from 'unist-util-visit';
import type { Lesson, LessonHeading, Point } from '../model/course.js';
import { lessonFrontmatterSchema, sectionFrontmatterSchema, type LessonFrontmatter, type SectionFrontmatter } from '../model/schemas.js';
import { validateFields } from '../shared/fields.js';
import { readFrontmatter } from './frontmatter.js';
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
  return { file, tree, positions: frontmatter.positions, diagnostics: [...parserDiagnostics(file), ...frontmatter.diagnostics], fields: frontmatter.fields, rawScalars: frontmatter.rawScalars };
}

/** What the parser reported on a file (a source it refused to parse), as diagnostics. */
function parserDiagnostics(file: VFile): Diagnostic[] {
  return file.messages.map((message) =>
    diagnostic(message.ruleId && isRuleId(message.ruleId) ? message.ruleId : 'file-unreadable', file.path, { line: message.line ?? 1, column: message.column ?? 1 }, message.reason),
  );
}

/**
 * What the loader and every rule need of a lesson, without its tree: small, plain data that the
 * lesson cache keeps between builds, so an unchanged lesson is not parsed again.
 */
/**
 * What the lesson cache keeps of a parsed lesson: the fields a `Lesson` takes over as they are,
 * plus what the loader still has to resolve or validate (diagnostics, raw references, frontmatter).
 * Derived from `Lesson`, so the two can never disagree on a field.
 */
export type LessonSummary = Pick<Lesson, (typeof summaryFields)[number]> & {
  diagnostics: Diagnostic[];
  positions: Record<string, Point>;
  frontmatter: Partial<LessonFrontmatter>;
  rawReferences: RawReference[];
};

/** The fields a lesson copies from its summary unchanged. */
export const summaryFields = [
  'words',
  'characters',
  'characterScript',
  'computedMinutes',
  'headings',
  'frontmatterParsed',
  'isEmpty',
  'endLine',
  'diagrams',
  'codeLanguages',
  'practice',
  'fenceProblems',
  'distinctCharacters',
] as const satisfies readonly (keyof Lesson)[];

/**
 * Parses a lesson's text into its tree (heading ids assigned). Every parse of a lesson goes
 * through here, so a tree parsed late (for rendering) is the tree the summary was made from.
 * @param text the decoded source
 * @param path the lesson's path relative to the content root
 */
export function parseLessonTree(text: string, path: string): Root {
  const tree = parseMarkdown(new VFile({ path, value: text }));
  assignHeadingIds(tree);
  return tree;
}

/**
 * Parses a lesson's text and summarises it: frontmatter validated field by field, heading ids,
 * words, references, diagrams.
 * @param text the decoded source
 * @param path the lesson's path relative to the content root
 * @param speeds the course's reading speeds
 */
export function summariseLesson(text: string, path: string, speeds: ReadingSpeeds): { summary: LessonSummary; tree: Root } {
  const file = new VFile({ path, value: text });
  const tree = parseMarkdown(file);
  const frontmatter = readFrontmatter(tree, path);
  const fields = frontmatter.fields === undefined ? undefined : { ...frontmatter.fields };
  // `lesson: 4.10` unquoted is the float 4.1 to YAML; the raw source keeps what the author wrote.
  if (fields && typeof fields.lesson === 'number' && frontmatter.rawScalars.lesson) fields.lesson = frontmatter.rawScalars.lesson;
  const start = { line: 1, column: 1 };
  const checked = validateFields(lessonFrontmatterSchema, { fields, positions: frontmatter.positions }, { file: path, rule: 'frontmatter-schema', start, what: 'the lesson frontmatter' });
  const headings = assignHeadingIds(tree);
  const reading = countReading(tree);
  const diagrams: LessonSummary['diagrams'] = [];
  const codeLanguages = new Set<string>();
  visit(tree, 'code', (node) => {
    if (node.lang === 'mermaid') diagrams.push({ position: { line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 }, source: node.value });
    else if (node.lang) codeLanguages.add(node.lang);
  });
  const body = tree.children.filter((node) => node.type !== 'yaml' && !(node.type === 'html' && /^\s*<!--[\s\S]*-->\s*$/.test(node.value)));
  const summary: LessonSummary = {
    diagnostics: [...parserDiagnostics(file), ...frontmatter.diagnostics, ...checked.diagnostics],
    positions: frontmatter.positions,
    frontmatter: checked.value,
    words: reading.words,
    characters: reading.characters,
    characterScript: reading.japanese ? 'japanese' : 'chinese',
    computedMinutes: readingMinutes(reading, speeds),
    headings,
    rawReferences: collectReferences(tree),
    frontmatterParsed: fields !== undefined,
    isEmpty: body.length === 0,
    endLine: tree.position?.end.line ?? 1,
    diagrams,
    codeLanguages: [...codeLanguages].sort(),
    practice: collectPractice(tree, speeds),
    fenceProblems: findFenceProblems(tree, text),
    distinctCharacters: distinctCharacters(text),
  };
  return { summary, tree };
}

/** The distinct characters of a text, in code point order. */
export function distinctCharacters(text: string): string {
  const seen = new Set<number>();
  for (let index = 0; index < text.length; index++) {
    const codePoint = text.codePointAt(index)!;
    if (codePoint > 0xffff) index++;
    seen.add(codePoint);
  }
  return [...seen]
    .sort((a, b) => a - b)
    .map((codePoint) => String.fromCodePoint(codePoint))
    .join('');
}

/** A section.md after parsing. */
export interface ParsedSection extends ParsedSource {
  fields?: Record<string, unknown>;
  /** The introduction's headings, ids assigned. */
  headings: LessonHeading[];
  frontmatter: Partial<SectionFrontmatter>;
}

/**
 * Parses a section.md: its frontmatter and optional introduction.
 * @param text the decoded source
 * @param path the file's path relative to the content root
 */
export function parseSection(text: string, path: string): ParsedSection {
  const source = parseSource(text, path);
  const checked = validateFields(
    sectionFrontmatterSchema,
    { fields: source.fields, positions: source.positions },
    { file: path, rule: 'frontmatter-schema', start: { line: 1, column: 1 }, what: 'section.md' },
  );
  const headings = assignHeadingIds(source.tree);
  return { ...source, headings, diagnostics: [...source.diagnostics, ...checked.diagnostics], frontmatter: checked.value };
}
