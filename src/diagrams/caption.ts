/** A diagram block waiting for its SVG: its source and caption. */
export interface DiagramBlock {
  source: string;
  caption: string;
}

/** Reads the `%% caption: …` line of a mermaid block; the rest is the diagram source. */
export function splitDiagramCaption(value: string): DiagramBlock {
  const match = /^\s*%%\s*caption:\s*(.+)$/m.exec(value);
  return { source: value, caption: match?.[1]?.trim() ?? '' };
}
