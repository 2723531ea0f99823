import type { Nodes, Root } from 'mdast';

/** Node types whose text is not read as prose: code, raw HTML, frontmatter and link definitions. */
const skipped = new Set(['code', 'html', 'yaml', 'definition', 'image', 'imageReference']);

/** Directives whose text is practice (exercises with their solutions, quizzes), not reading. */
const practice = new Set(['exercise', 'quiz']);

/** A word: a segment with at least one letter or digit. */
const wordPattern = /[\p{L}\p{N}]/u;

/** Characters read one by one rather than as space-separated words: Han ideographs and Japanese kana (with ー, the long-vowel mark). */
const characterPattern = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc]/gu;

/** Kana: text that has them is Japanese, and its Han characters are read at the Japanese rate. */
const kanaPattern = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** Scripts written without spaces between words, which need a dictionary to find them. */
const unspacedPattern = /[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/** Word boundaries for scripts written without spaces (Thai, Khmer, Lao, Burmese). */
const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

/**
 * Adds one whitespace-separated token to a count.
 * Note: only tokens in unspaced scripts go through `Intl.Segmenter`, and one token at a time:
 * segmenting a whole 100 KB paragraph at once takes ICU minutes.
 */
function countToken(token: string, count: ReadingCount): void {
  const characters = token.match(characterPattern)?.length ?? 0;
  count.characters += characters;
  const rest = characters > 0 ? token.split(characterPattern) : [token];
  for (const part of rest) {
    if (!wordPattern.test(part)) continue;
    if (!unspacedPattern.test(part)) {
      count.words++;
      continue;
    }
    for (const { segment, isWordLike } of segmenter.segment(part)) if (isWordLike && wordPattern.test(segment)) count.words++;
  }
}

/** How much prose a lesson holds, by the unit each script is read in. */
export interface ReadingCount {
  /** Words of scripts written with spaces or segmented into words (Latin, Cyrillic, Hangul, Thai, …). */
  words: number;
  /** Han and kana characters. */
  characters: number;
  /** Whether the characters are Japanese (the text has kana) rather than Chinese. */
  japanese: boolean;
}

/** Reading speeds: words per minute, and characters per minute for Chinese and Japanese. */
export interface ReadingSpeeds {
  words: number;
  chinese: number;
  japanese: number;
}

/**
 * Counts what a reader reads in a lesson: words, and Han and kana characters one by one.
 * Counted: paragraphs, headings, lists, tables, block quotes, footnotes, link text and inline code.
 * Not counted: fenced and indented code blocks (diagrams included), raw HTML, image alt text, URLs,
 * formulas, and exercises and quizzes inside `tree` (practice time, see practice.ts).
 * Note: a Latin term inside Chinese prose is one word and the Chinese around it is counted by
 * characters; Thai, Khmer, Lao and Burmese are split into words with `Intl.Segmenter`.
 * @param tree the lesson's mdast, or one exercise or quiz of it (whose own text is then counted)
 */
export function countReading(tree: Root | Nodes): ReadingCount {
  const count: ReadingCount = { words: 0, characters: 0, japanese: false };
  const walk = (node: Nodes): void => {
    if (skipped.has(node.type)) return;
    if (node.type === 'containerDirective' && practice.has(node.name) && node !== tree) return;
    if (node.type === 'text' || node.type === 'inlineCode') {
      if (!count.japanese && kanaPattern.test(node.value)) count.japanese = true;
      for (const token of node.value.split(/\s+/)) countToken(token, count);
      return;
    }
    if ('children' in node) for (const child of node.children) walk(child);
  };
  walk(tree);
  return count;
}

/**
 * Reading time in whole minutes: words at the word rate plus characters at the Chinese or
 * Japanese character rate, rounded, at least 1.
 * @param count what the lesson holds
 * @param speeds the course's reading speeds
 */
export function readingMinutes(count: ReadingCount, speeds: ReadingSpeeds): number {
  const characterRate = count.japanese ? speeds.japanese : speeds.chinese;
  return Math.max(1, Math.round(count.words / speeds.words + count.characters / characterRate));
}

/**
 * The reading speeds of a course, from course.yml.
 * @param config the course settings
 */
export function readingSpeeds(config: { readingSpeed: number; charactersPerMinute: { chinese: number; japanese: number } }): ReadingSpeeds {
  return { words: config.readingSpeed, ...config.charactersPerMinute };
}
