import type { BrowserSession } from '../browser/chromium.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Course } from '../model/course.js';
import type { DiagramCache, DiagramResult } from './cache.js';
import { collectDiagrams } from './collect.js';
import { renderInBrowser } from './render.js';

/** Every diagram of a build, rendered (or failed) once per distinct source. */
export interface PreparedDiagrams {
  results: Map<string, DiagramResult>;
  diagnostics: Diagnostic[];
  /** How many distinct diagrams were rendered in this run (cache misses). */
  rendered: number;
  /** How many came from the cache. */
  cached: number;
}

/** Cleans mermaid's error text into one readable line or a few. */
function mermaidMessage(error: string): string {
  return error
    .replace(/\n-+\^/g, '')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

/**
 * Renders every distinct diagram that is not cached, and reports syntax errors as `diagram-syntax`
 * diagnostics at the block's line. A course without diagrams, or with all of them cached, never
 * starts a browser.
 * @param course the loaded course
 * @param options the cache (folder or none) and the build's browser session
 */
export async function prepareDiagrams(course: Course, options: { cache: DiagramCache; browser: BrowserSession }): Promise<PreparedDiagrams> {
  const diagrams = collectDiagrams(course);
  const results = new Map<string, DiagramResult>();
  const missing = new Map<string, string>();
  for (const diagram of diagrams) {
    if (results.has(diagram.hash) || missing.has(diagram.hash)) continue;
    const hit = await options.cache.get(diagram.hash);
    if (hit) results.set(diagram.hash, hit);
    else missing.set(diagram.hash, diagram.source);
  }
  const cached = results.size;
  const fresh = await renderInBrowser(options.browser, missing);
  for (const [hash, result] of fresh) {
    results.set(hash, result);
    await options.cache.set(hash, result);
  }
  const diagnostics: Diagnostic[] = [];
  for (const diagram of diagrams) {
    const result = results.get(diagram.hash);
    if (result && !result.ok) {
      // mermaid counts lines from the diagram's first line; the fence sits one line above it.
      const line = /on line (\d+)/.exec(result.error)?.[1];
      const at = line ? { line: diagram.position.line + Number(line), column: 1 } : diagram.position;
      diagnostics.push(diagnostic('diagram-syntax', diagram.file, at, `Diagram does not parse: ${mermaidMessage(result.error)} Fix the mermaid source of this block.`));
    }
    if (!diagram.caption) {
      diagnostics.push(
        diagnostic(
          'diagram-caption',
          diagram.file,
          diagram.position,
          "Diagram has no caption: add a first line `%% caption: what the diagram shows`. It becomes the figure caption and the diagram's accessible name.",
        ),
      );
    }
  }
  return { results, diagnostics, rendered: fresh.size, cached };
}
