import type { Element } from 'hast';
import { visit } from 'unist-util-visit';
import { readableOn } from './contrast.js';
import { bundledLanguages, createHighlighter, type BundledLanguage, type Highlighter } from 'shiki';

/** The two themes every code block carries: light by default, dark through CSS variables. */
export const codeThemes = { light: 'github-light', dark: 'github-dark' } as const;

let highlighter: Promise<Highlighter> | undefined;
const loaded = new Set<string>();

/** Languages shiki knows under a name or alias. */
export function isKnownLanguage(lang: string): lang is BundledLanguage {
  return Object.hasOwn(bundledLanguages, lang);
}

/**
 * Prepares the highlighter with every language a build needs, so highlighting itself is synchronous.
 * Note: the highlighter is created once per process and shared by every writer.
 * @param languages language names used by code blocks (unknown ones are ignored)
 */
export async function prepareHighlighter(languages: Iterable<string>): Promise<Highlighter> {
  highlighter ??= createHighlighter({ themes: [codeThemes.light, codeThemes.dark], langs: [] });
  const instance = await highlighter;
  const missing = [...new Set(languages)].filter((lang) => isKnownLanguage(lang) && !loaded.has(lang));
  if (missing.length > 0) {
    await instance.loadLanguage(...(missing as BundledLanguage[]));
    for (const lang of missing) loaded.add(lang);
  }
  return instance;
}

/**
 * Darkens, in place, every token colour of a highlighted block that is below WCAG's 4.5:1 on the
 * block's own background (github-light's orange is 3.5:1 on white), so code reads in every format
 * and passes axe and Ace; dark-mode colours (`--shiki-dark`) are left as they are.
 * @param pre the highlighted `<pre>`
 */
function legibleColours(pre: Element): void {
  const background = /(?:^|;)background-color:(#[0-9a-f]{3,6})\b/i.exec(String(pre.properties.style ?? ''))?.[1] ?? '#ffffff';
  visit(pre, 'element', (node) => {
    const style = node.properties.style;
    if (typeof style !== 'string') return;
    node.properties.style = style.replace(/(^|;)color:(#[0-9a-f]{6}|#[0-9a-f]{3})\b/i, (_, lead: string, colour: string) => `${lead}color:${readableOn(colour, background)}`);
  });
}

/**
 * Highlights a code block into a `<pre>` element with inline light colours and `--shiki-dark` variables.
 * @param instance a prepared highlighter
 * @param code the source
 * @param lang the fence's language; unknown languages are rendered as plain text
 */
export function highlightCode(instance: Highlighter, code: string, lang: string | undefined): Element {
  const language = lang && loaded.has(lang) ? lang : 'text';
  const root = instance.codeToHast(code.replace(/\n$/, ''), {
    lang: language,
    themes: codeThemes,
    defaultColor: 'light',
    // Shiki stops colouring a line after 500 ms by default, so a loaded machine would give other
    // colours than an idle one: the same sources must give the same bytes, however busy the build.
    tokenizeTimeLimit: 0,
  });
  const pre = root.children.find((node): node is Element => node.type === 'element');
  if (!pre) throw new Error(`Shiki returned no <pre> for a ${language} block`);
  legibleColours(pre);
  pre.properties.dataLanguage = lang ?? 'text';
  // Code reads left to right in a right-to-left course too; an attribute, since EPUB style sheets may not set `direction`.
  pre.properties.dir = 'ltr';
  return pre;
}
