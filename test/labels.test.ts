import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { builtinLabelFolder, catalogueNames, label, labelKeys, loadLabels } from '../src/labels/catalogue.js';
import { readDeclaredReadingTime, sameReadingTime } from '../src/labels/reading-time.js';

const shipped = readdirSync(builtinLabelFolder).map((file) => file.replace(/\.yml$/, ''));

describe('label catalogues', () => {
  it('ships the languages the README promises', () => {
    expect(shipped.sort()).toEqual(['ar', 'de', 'en', 'es', 'fr', 'he', 'it', 'ja', 'ko', 'nl', 'pl', 'pt', 'ru', 'tr', 'uk', 'zh-Hans', 'zh-Hant']);
  });

  it.each(shipped)('%s has exactly the keys of the code, each a valid ICU message', (language) => {
    const messages = parse(readFileSync(path.join(builtinLabelFolder, `${language}.yml`), 'utf8')) as Record<string, string>;
    expect(Object.keys(messages)).toEqual([...labelKeys]);
    for (const message of Object.values(messages)) expect(() => new IntlMessageFormat(message, language)).not.toThrow();
    expect(loadLabels(language).missing).toEqual([]);
  });

  it('picks plural forms by the language rules and formats numbers for the language', () => {
    expect(label('en', 'lessonCount', { count: 1 })).toBe('1 lesson');
    expect(label('ru', 'lessonCount', { count: 2 })).toBe('2 урока');
    expect(label('ru', 'lessonCount', { count: 5 })).toBe('5 уроков');
    expect(label('pl', 'lessonCount', { count: 22 })).toBe('22 lekcje');
    expect(label('ar', 'lessonCount', { count: 2 })).toBe('درسان');
    expect(loadLabels('de').readingTime(100)).toBe('~1,7 Std.');
    expect(loadLabels('en').readingTime(100)).toBe('~1.7 h');
    expect(loadLabels('en').readingTime(120)).toBe('~2 h');
    expect(loadLabels('zh-CN').readingTime(57)).toBe('57 分钟');
  });

  it('resolves regional tags to the catalogue of their script or language', () => {
    expect(catalogueNames('zh-TW')).toContain('zh-Hant');
    expect(catalogueNames('zh-CN')).toContain('zh-Hans');
    expect(catalogueNames('zh')).toContain('zh-Hans');
    expect(loadLabels('zh-HK').format('contents')).toBe('目錄');
    expect(loadLabels('pt-BR').format('downloadPdf')).toBe('Baixar PDF');
    expect(loadLabels('he-IL').direction).toBe('rtl');
    expect(loadLabels('ar-EG').direction).toBe('rtl');
    expect(loadLabels('fa').direction).toBe('rtl');
    expect(loadLabels('de-AT').direction).toBe('ltr');
  });

  it('falls back to English key by key, and lets course.yml override single labels', () => {
    const swahili = loadLabels('sw', [builtinLabelFolder], { contents: 'Yaliyomo' });
    expect(swahili.format('contents')).toBe('Yaliyomo');
    expect(swahili.format('next')).toBe('Next');
    expect(swahili.missing).not.toContain('contents');
    expect(swahili.missing).toContain('next');
    expect(loadLabels('fr', [builtinLabelFolder], { next: 'Après' }).format('next')).toBe('Après');
  });
});

describe('declared section reading times', () => {
  const read = (language: string, text: string | number) => readDeclaredReadingTime(text, loadLabels(language));
  it.each([
    ['en', '~1.7 h', 100],
    ['en', 100, 100],
    ['en', '100 min', 100],
    ['de', '~1,7 Std.', 100],
    ['de', '57 Min.', 57],
    ['zh-CN', '约 1.7 小时', 100],
    ['zh-CN', '57 分钟', 57],
    ['ja', '約1.7時間', 100],
    ['ar', '٥٧ دقيقة', 57],
    ['he', 'כ־1.7 שעות', 100],
  ] as const)('%s "%s" is %i minutes', (language, text, minutes) => {
    const declared = read(language, text);
    expect(declared).toBeDefined();
    expect(sameReadingTime(declared!, minutes)).toBe(true);
    expect(sameReadingTime(declared!, minutes + 7)).toBe(false);
  });

  it('does not read what is not a time', () => {
    expect(read('en', 'a short while')).toBeUndefined();
    expect(read('en', '1.5 min')).toBeUndefined();
    expect(read('de', '2 Wochen')).toBeUndefined();
  });
});
