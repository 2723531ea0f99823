import { describe, expect, it } from 'vitest';
import { parseLessonTree } from '../src/load/lesson.js';
import { countReading, readingMinutes } from '../src/markdown/words.js';

const count = (markdown: string) => countReading(parseLessonTree(markdown, 'x.md'));
const speeds = { words: 238, chinese: 255, japanese: 357 };

describe('counting what readers read', () => {
  it('counts English by words', () => {
    expect(count('Closures capture variables, not values.')).toEqual({ words: 5, characters: 0, japanese: false });
  });

  it('counts Chinese by characters and the English terms inside it by words', () => {
    // 闭包让函数记住它被创建时的作用域 = 16 Han characters; JavaScript, let = 2 words; punctuation is neither.
    expect(count('在 JavaScript 中，闭包让函数记住它被创建时的作用域。用 `let` 声明。')).toEqual({ words: 2, characters: 21, japanese: false });
  });

  it('reads Japanese text (any with kana) at the Japanese rate', () => {
    const japanese = count('クロージャは関数とその環境の組み合わせです。');
    expect(japanese.japanese).toBe(true);
    expect(japanese.characters).toBe(21);
  });

  it('segments Thai, written without spaces, into words', () => {
    // "ภาษาไทยเขียนโดยไม่เว้นวรรค" is several words, not one token.
    expect(count('ภาษาไทยเขียนโดยไม่เว้นวรรค').words).toBeGreaterThan(3);
  });

  it('skips code blocks', () => {
    expect(count('闭包\n\n```js\nconst 变量 = 1;\n```\n').characters).toBe(2);
  });

  it('turns characters into minutes at the research rate', () => {
    expect(readingMinutes({ words: 0, characters: 2700, japanese: false }, speeds)).toBe(11);
    expect(readingMinutes({ words: 0, characters: 2700, japanese: true }, speeds)).toBe(8);
    expect(readingMinutes({ words: 476, characters: 510, japanese: false }, speeds)).toBe(4);
  });
});
