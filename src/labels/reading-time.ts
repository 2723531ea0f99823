import type { Labels } from './catalogue.js';

/** A declared reading time as read: whole minutes, or hours (to one decimal). */
export type DeclaredReadingTime = { unit: 'minutes' | 'hours'; value: number };

/** The first code point of each run of decimal digits NFKC leaves alone (Arabic-Indic, Persian, Devanagari, Bengali, Thai). */
const digitZeros = [0x0660, 0x06f0, 0x0966, 0x09e6, 0x0e50];

/** Marks of "about" that a label may carry or omit: `~`, `≈`, 约, 約, 약, Hebrew כ־. */
const approximately = /[~≈约約약]|^כ[־-]?|about|approx\.?|ca\./giu;

/** Text with digits made ASCII, approximation marks and spaces removed, lower-cased. */
function normalise(text: string): string {
  const ascii = text.normalize('NFKC').replace(/\p{Nd}/gu, (digit) => {
    const code = digit.codePointAt(0)!;
    const zero = digitZeros.find((start) => code >= start && code < start + 10);
    return zero === undefined ? digit : String(code - zero);
  });
  return ascii
    .replace(approximately, '')
    .replace(/[\s\u00a0\u202f]+/gu, '')
    .toLowerCase();
}

/** The unit words of a label, as `normalise` leaves them, for several values (plural forms differ). */
function unitsOf(labels: Labels, unit: 'minutes' | 'hours'): Set<string> {
  const values = unit === 'minutes' ? [1, 2, 3, 5, 11, 21, 100] : [1.5, 2, 3, 5, 11, 21];
  const units = new Set(unit === 'minutes' ? ['', 'm', 'min', 'mins', 'minute', 'minutes'] : ['h', 'hr', 'hrs', 'hour', 'hours']);
  for (const value of values) units.add(normalise(labels.format(unit, unit === 'minutes' ? { minutes: value } : { hours: value })).replace(/[\d,.]+/g, ''));
  return units;
}

/**
 * Reads a declared section reading time: a number is minutes; a text is a number and a unit in
 * the course's language or in English ("100 min", "~1.7 h", "约 1.7 小时", "~1,7 Std.").
 * @param declared the `readingTime` field
 * @param labels the course's labels
 * @returns the value and unit, or undefined when the text is not a reading time
 */
export function readDeclaredReadingTime(declared: string | number, labels: Labels): DeclaredReadingTime | undefined {
  if (typeof declared === 'number') return { unit: 'minutes', value: declared };
  const text = normalise(declared);
  const numbers = text.match(/\d+(?:[.,]\d+)?/g);
  if (numbers?.length !== 1) return undefined;
  const value = Number(numbers[0]!.replace(',', '.'));
  const unit = text.replace(numbers[0]!, '').replace(/\./g, '');
  if (unitsOf(labels, 'minutes').has(unit) && Number.isInteger(value)) return { unit: 'minutes', value };
  if (unitsOf(labels, 'hours').has(unit)) return { unit: 'hours', value };
  return undefined;
}

/**
 * Whether a declared reading time says the same as a total: equal minutes, or hours equal to the
 * total rounded to one decimal, as labels print it.
 * @param declared the declared time, as read
 * @param minutes the lessons' total minutes
 */
export function sameReadingTime(declared: DeclaredReadingTime, minutes: number): boolean {
  return declared.unit === 'minutes' ? declared.value === minutes : declared.value === Math.round(minutes / 6) / 10;
}
