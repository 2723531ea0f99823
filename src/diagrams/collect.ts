import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { Course, Point } from '../model/course.js';
import { splitDiagramCaption } from './caption.js';
import { diagramConfig } from './config.js';

const require = createRequire(import.meta.url);

/** The installed mermaid version: part of every cache key, so an upgrade re-renders. */
export const mermaidVersion: string = (require('mermaid/package.json') as { version: string }).version;

/** A ```mermaid block found in a lesson. */
export interface DiagramSource {
  /** Lesson path relative to the content root. */
  file: string;
  position: Point;
  source: string;
  caption: string;
  /** sha256 of source, mermaid version and rendering config: the cache key. */
  hash: string;
}

/**
 * The cache key of a diagram: its source, the mermaid version and the themes it is drawn in.
 * @param source the diagram source
 */
export function diagramHash(source: string): string {
  return createHash('sha256')
    .update(JSON.stringify([source, mermaidVersion, diagramConfig]))
    .digest('hex');
}

function diagramsOf(tree: Root | undefined, file: string, into: DiagramSource[]): void {
  if (!tree) return;
  visit(tree, 'code', (node) => {
    if (node.lang !== 'mermaid') return;
    const { caption } = splitDiagramCaption(node.value);
    const position = { line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 };
    into.push({ file, position, source: node.value, caption, hash: diagramHash(node.value) });
  });
}

/**
 * Lists every diagram of the course, in course order.
 * @param course the loaded course
 */
export function collectDiagrams(course: Course): DiagramSource[] {
  const found: DiagramSource[] = [];
  for (const section of course.sections) {
    diagramsOf(section.intro?.tree, section.path, found);
    for (const lesson of section.lessons) {
      for (const { position, source } of lesson.diagrams) found.push({ file: lesson.path, position, source, caption: splitDiagramCaption(source).caption, hash: diagramHash(source) });
    }
  }
  return found;
}
