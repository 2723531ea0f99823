import { createRequire } from 'node:module';
import os from 'node:os';
import type { BrowserSession } from '../browser/chromium.js';
import type { DiagramResult } from './cache.js';
import { diagramConfig } from './config.js';

const require = createRequire(import.meta.url);

/**
 * Renders diagrams with mermaid inside the build's Chromium: each source is parsed (a syntax error
 * becomes mermaid's own message) and drawn once per theme.
 * Note: the page has no network (every request is aborted) and mermaid runs with
 * securityLevel "strict", so a diagram's labels cannot inject markup or scripts.
 * @param browser the build's browser session (started here only if there is work)
 * @param sources diagram sources by hash
 */
export async function renderInBrowser(browser: BrowserSession, sources: Map<string, string>): Promise<Map<string, DiagramResult>> {
  const results = new Map<string, DiagramResult>();
  if (sources.size === 0) return results;
  // Each page renders in its own renderer process: one page per core when there is enough work.
  const entries = [...sources.entries()];
  const pages = Math.max(1, Math.min(os.availableParallelism(), Math.floor(entries.length / 8)));
  const chunks = Array.from({ length: pages }, (_, index) => entries.filter((_, position) => position % pages === index));
  for (const chunk of await Promise.all(chunks.map((chunk) => renderOnPage(browser, chunk)))) for (const [hash, result] of chunk) results.set(hash, result);
  return results;
}

/** Renders some diagrams on one fresh page. */
async function renderOnPage(browser: BrowserSession, entries: [string, string][]): Promise<Map<string, DiagramResult>> {
  const results = new Map<string, DiagramResult>();
  const page = await (await browser.get()).newPage();
  try {
    await page.setRequestInterception(true);
    page.on('request', (request) => void (request.url().startsWith('data:') ? request.continue() : request.abort('blockedbyclient')));
    await page.setContent('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body></body></html>');
    await page.addScriptTag({ path: require.resolve('mermaid/dist/mermaid.min.js') });
    const rendered = await page.evaluate(
      async (items: [string, string][], config: typeof diagramConfig) => {
        const api = (window as unknown as { mermaid: { initialize(c: object): void; parse(s: string): Promise<unknown>; render(id: string, s: string): Promise<{ svg: string }> } }).mermaid;
        const base = {
          startOnLoad: false,
          securityLevel: 'strict',
          htmlLabels: false,
          fontFamily: config.fontFamily,
          flowchart: { ...config.flowchart, htmlLabels: false },
          sequence: { ...config.sequence, actorFontFamily: config.fontFamily, noteFontFamily: config.fontFamily, messageFontFamily: config.fontFamily },
        };
        const out: Record<string, { light?: string; dark?: string; error?: string }> = {};
        for (const variant of ['light', 'dark'] as const) {
          const theme = config[variant];
          api.initialize({ ...base, theme: theme.theme, themeVariables: { ...theme.themeVariables, fontFamily: config.fontFamily } });
          for (const [hash, source] of items) {
            if (out[hash]?.error) continue;
            try {
              await api.parse(source);
              const { svg } = await api.render(`d${hash.slice(0, 12)}-${variant}`, source);
              out[hash] = { ...out[hash], [variant]: svg };
            } catch (error) {
              out[hash] = { error: String((error as Error)?.message ?? error) };
            }
            for (const node of document.querySelectorAll('body > [id^="d"]')) node.remove();
          }
        }
        return out;
      },
      entries,
      diagramConfig,
    );
    for (const [hash] of entries) {
      const result = rendered[hash];
      if (result?.light && result.dark) results.set(hash, { ok: true, light: result.light, dark: result.dark });
      else results.set(hash, { ok: false, error: result?.error ?? 'mermaid produced no SVG' });
    }
  } finally {
    await page.close();
  }
  return results;
}
