import { toString } from 'mdast-util-to-string';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Course, Point } from '../model/course.js';
import { courseLabels } from '../render/labels.js';
import { covers, installedCoverage, type Coverage } from './fontconfig.js';

/** Characters that draw nothing: spaces, controls, format characters, variation selectors. */
const invisible = /[\p{Cc}\p{Cf}\p{Z}\p{M}]|[\u{fe00}-\u{fe0f}]|[\u{e0100}-\u{e01ef}]/u;

/** The Debian package that has fonts for a character's script; private-use characters belong to the font that defines them. */
function fontPackage(character: string): string {
  if (/\p{Co}/u.test(character)) return 'the icon font that defines them';
  if (/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}]/u.test(character)) return 'fonts-noto-cjk';
  if (/\p{Extended_Pictographic}/u.test(character)) return 'fonts-noto-color-emoji';
  if (/[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Thai}\p{Script=Devanagari}]/u.test(character)) return 'fonts-noto-core';
  return 'fonts-noto-extra';
}

/** Per coverage, what is known of each code point: 1 drawn (or invisible), 2 missing, 0 not yet asked. */
const verdicts = new WeakMap<Coverage, Uint8Array>();

/**
 * The distinct characters of a text that no installed font has.
 * Note: a course is megabytes of text but a few hundred distinct characters, so each code point is
 * tested against the coverage and the invisible set once per process, then looked up.
 */
function uncovered(text: string, coverage: Coverage): string[] {
  let known = verdicts.get(coverage);
  if (!known) verdicts.set(coverage, (known = new Uint8Array(0x110000)));
  const missing = new Set<string>();
  for (let index = 0; index < text.length; index++) {
    const codePoint = text.codePointAt(index)!;
    if (codePoint > 0xffff) index++;
    let verdict = known[codePoint];
    if (verdict === 0) {
      verdict = invisible.test(String.fromCodePoint(codePoint)) || covers(coverage, codePoint) ? 1 : 2;
      known[codePoint] = verdict;
    }
    if (verdict === 2) missing.add(String.fromCodePoint(codePoint));
  }
  return [...missing];
}

/** "U+E000 ()". */
const describe = (character: string): string => `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} (${character})`;

/** Where a character first occurs in a source text, 1-based. */
function placeOf(text: string, character: string): Point | undefined {
  const index = text.indexOf(character);
  if (index < 0) return undefined;
  return { line: text.slice(0, index).split('\n').length, column: index - text.lastIndexOf('\n', index - 1) };
}

function report(file: string, what: string, missing: string[], source = ''): Diagnostic {
  const packages = [...new Set(missing.map(fontPackage))];
  return diagnostic(
    'font-missing',
    file,
    placeOf(source, missing[0]!),
    `${what} has characters no installed font has, so PDFs and covers print them as boxes: ${missing.slice(0, 12).map(describe).join(', ')}${missing.length > 12 ? `, and ${missing.length - 12} more` : ''}. Install a font that has them (${packages.map((name) => (name.startsWith('fonts-') ? `Debian's ${name}` : name)).join(' or ')}), or remove them.`,
  );
}

/**
 * `font-missing`: every character the build prints (titles, labels, lesson text and code) has a
 * glyph in some installed font, as fontconfig reports it.
 * Note: reads the installed fonts once per process; without fontconfig nothing is checked.
 * @param course the loaded course
 */
export async function checkGlyphs(course: Course): Promise<Diagnostic[]> {
  const coverage = await installedCoverage();
  if (!coverage) return [];
  const found: Diagnostic[] = [];
  const labels = courseLabels(course);
  const { config } = course;
  const courseText = [config.title, config.subtitle ?? '', ...config.authors, labels.format('contents'), labels.format('section', { number: 1 }), labels.readingTime(100)].join(' ');
  const courseMissing = uncovered(courseText, coverage);
  if (courseMissing.length > 0) found.push(report('course.yml', 'The course title, authors or labels', courseMissing));
  for (const section of course.sections) {
    const sectionMissing = uncovered(`${section.title} ${section.summary} ${section.intro ? toString(section.intro) : ''}`, coverage);
    if (sectionMissing.length > 0) found.push(report(section.path, `Section ${section.number}`, sectionMissing, section.file ? String(section.file.value) : ''));
    for (const lesson of section.lessons) {
      // The parse kept the lesson's distinct characters; the source is read only to place a finding.
      const missing = uncovered(lesson.distinctCharacters, coverage);
      if (missing.length > 0) found.push(report(lesson.path, `Lesson ${lesson.id}`, missing, String(lesson.file.value)));
    }
  }
  return found;
}
