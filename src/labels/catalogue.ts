import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { parse as parseYaml } from 'yaml';

/**
 * Every label key, in the order of `templates/labels/en.yml`. Each language file has these keys;
 * a key it lacks falls back to English.
 */
export const labelKeys = [
  'skipToContent',
  'searchLabel',
  'searchPlaceholder',
  'searchSubmit',
  'searchNoResults',
  'builtWith',
  'breadcrumb',
  'lessonNavigation',
  'onThisPage',
  'previous',
  'next',
  'contents',
  'cover',
  'landmarks',
  'section',
  'lessonCount',
  'minutes',
  'hours',
  'lessonReadingTime',
  'totals',
  'startWith',
  'downloadPdf',
  'downloadEpub',
  'coverAlt',
  'coverAltBy',
  'calloutNote',
  'calloutTip',
  'calloutImportant',
  'calloutWarning',
  'calloutCaution',
  'exerciseNumber',
  'difficultyEasy',
  'difficultyMedium',
  'difficultyHard',
  'showSolution',
  'quizNumber',
  'showAnswer',
  'checkAnswer',
  'rightAnswer',
  'quizRight',
  'quizWrong',
  'youWillLearn',
  'beforeThisLesson',
  'practiceTime',
  'solutions',
  'solutionToExercise',
  'answerToQuiz',
  'solutionAtEnd',
  'answerAtEnd',
  'solutionOnPage',
  'answerOnPage',
  'exerciseOnPage',
  'quizOnPage',
  'a11yStructure',
  'a11yDescribed',
  'a11yUndescribed',
  'a11yNoImages',
  'a11yCode',
  'a11yPageList',
  'a11yMedia',
  'a11yConforms',
  'a11yNoClaim',
] as const;

/** Labels that take no values: the view model hands templates these already formatted. */
export const plainLabelKeys = [
  'skipToContent',
  'searchLabel',
  'searchPlaceholder',
  'searchSubmit',
  'builtWith',
  'breadcrumb',
  'lessonNavigation',
  'onThisPage',
  'previous',
  'next',
  'contents',
  'cover',
  'landmarks',
  'downloadPdf',
  'downloadEpub',
] as const satisfies readonly (typeof labelKeys)[number][];

/** A label that takes no values. */
export type PlainLabelKey = (typeof plainLabelKeys)[number];

/** A label key: a word or message shown to readers. */
export type LabelKey = (typeof labelKeys)[number];

/** Values a message inserts: `{number}`, `{count, plural, …}`. */
export type LabelParams = Record<string, string | number>;

/** Whether a string is a label key. */
export function isLabelKey(value: string): value is LabelKey {
  return (labelKeys as readonly string[]).includes(value);
}

/** The labels of one language, ready to format. */
export interface Labels {
  /** The BCP 47 tag numbers and plural forms follow (the course's language, or `en` when Intl does not know it). */
  language: string;
  /** Writing direction of the language's script. */
  direction: 'ltr' | 'rtl';
  /** The catalogue files used, most general first (English always first). */
  files: string[];
  /** Keys no file of the course's language has and course.yml does not set: English is used for them. */
  missing: LabelKey[];
  /**
   * Formats a label.
   * @param key the label
   * @param params the values it inserts
   */
  format(key: LabelKey, params?: LabelParams): string;
  /**
   * A reading time: `N min` under an hour, else hours to one decimal with a trailing `.0`
   * dropped, in the language's words ("7 min", "~1.7 h"; "7 分钟", "约 1.7 小时").
   * @param minutes whole minutes
   */
  readingTime(minutes: number): string;
}

/** The built-in label catalogues, one YAML file per language. */
export const builtinLabelFolder = path.resolve(import.meta.dirname, '..', '..', 'templates', 'labels');

/** Scripts written right to left (ISO 15924). */
const rtlScripts = new Set(['Arab', 'Hebr', 'Thaa', 'Syrc', 'Nkoo', 'Adlm', 'Rohg', 'Mand', 'Samr']);

/** The language as Intl reads it, or undefined for a tag Intl rejects. */
function intlLocale(language: string): Intl.Locale | undefined {
  try {
    return new Intl.Locale(language);
  } catch {
    return undefined;
  }
}

/**
 * The catalogue names that may hold a language's labels, most general first: `zh-TW` looks in
 * `zh`, `zh-Hant` and `zh-TW`, so Taiwan gets Traditional Chinese; `pt-BR` in `pt`, `pt-Latn`, `pt-BR`.
 * @param language a BCP 47 tag
 */
export function catalogueNames(language: string): string[] {
  const locale = intlLocale(language);
  if (!locale) return [language];
  const { language: base, script, region } = locale.maximize();
  const names = [base, `${base}-${script}`, region ? `${base}-${region}` : '', locale.baseName];
  return [...new Set(names.filter(Boolean))];
}

/**
 * The writing direction of a language, from its (likely) script.
 * @param language a BCP 47 tag
 */
export function textDirection(language: string): 'ltr' | 'rtl' {
  const script = intlLocale(language)?.maximize().script;
  return script && rtlScripts.has(script) ? 'rtl' : 'ltr';
}

const fileCache = new Map<string, Record<string, string>>();

/** One catalogue file's messages (read once per process). */
function readCatalogue(file: string): Record<string, string> {
  let messages = fileCache.get(file);
  if (!messages) {
    const parsed: unknown = parseYaml(readFileSync(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) throw new Error(`${file} is not a map of labels`);
    messages = Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]));
    fileCache.set(file, messages);
  }
  return messages;
}

/** Catalogue files by lower-cased language name, more specific folders winning. */
function catalogueFiles(folders: string[], name: string): string[] {
  const found: string[] = [];
  for (const folder of [...folders].reverse()) {
    if (!existsSync(folder)) continue;
    const match = readdirSync(folder).find((file) => file.toLowerCase() === `${name.toLowerCase()}.yml`);
    if (match) found.push(path.join(folder, match));
  }
  return found;
}

/**
 * Loads the labels of a language: English, then each catalogue of the language from general to
 * specific, then course.yml's overrides, each replacing single keys.
 * @param language the course's BCP 47 tag
 * @param folders label folders, most specific first (a course's own `templates/labels`, then the built-in one)
 * @param overrides course.yml's `labels`
 */
export function loadLabels(language: string, folders: string[] = [builtinLabelFolder], overrides: Record<string, string> = {}): Labels {
  const english = catalogueFiles(folders, 'en');
  const own =
    language.toLowerCase() === 'en'
      ? []
      : catalogueNames(language)
          .filter((name) => name.toLowerCase() !== 'en')
          .flatMap((name) => catalogueFiles(folders, name));
  const messages: Record<string, string> = {};
  for (const file of [...english, ...own]) Object.assign(messages, readCatalogue(file));
  const translated = new Set(own.flatMap((file) => Object.keys(readCatalogue(file))));
  for (const [key, message] of Object.entries(overrides)) {
    if (!isLabelKey(key)) continue;
    messages[key] = message;
    translated.add(key);
  }
  const locale = intlLocale(language) && Intl.PluralRules.supportedLocalesOf([language]).length > 0 ? language : 'en';
  const isEnglish = intlLocale(language)?.language === 'en';
  const formats = new Map<LabelKey, IntlMessageFormat>();
  const format = (key: LabelKey, params: LabelParams = {}): string => {
    let message = formats.get(key);
    if (!message) formats.set(key, (message = new IntlMessageFormat(messages[key] ?? key, locale)));
    return String(message.format(params));
  };
  return {
    language: locale,
    direction: textDirection(language),
    files: [...english, ...own],
    missing: isEnglish ? [] : labelKeys.filter((key) => !translated.has(key)),
    format,
    readingTime: (minutes) => (minutes < 60 ? format('minutes', { minutes }) : format('hours', { hours: Math.round(minutes / 6) / 10 })),
  };
}

/**
 * Formats one built-in label; for code with no course at hand (tests, tools).
 * @param language a BCP 47 tag
 * @param key the label
 * @param params the values it inserts
 */
export function label(language: string, key: LabelKey, params?: LabelParams): string {
  return loadLabels(language).format(key, params);
}
