import type { Colors } from 'picocolors/types.js';
import type { BuildEvent, WrittenSummary } from '../pipeline.js';

/** How much the build says. */
export type Verbosity = 'quiet' | 'normal' | 'verbose';

/** Formats a byte count: "812 B", "14.2 kB", "3.1 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/**
 * Prints build progress. On a terminal one line is redrawn as work proceeds (with counts, such as
 * the PDF pages as they print); elsewhere (CI) each finished step is one plain line with its time.
 * @param write where to write (stderr)
 * @param options terminal or not, colours, verbosity
 */
export function progressPrinter(write: (text: string) => void, options: { tty: boolean; colors: Colors; verbosity: Verbosity }): (event: BuildEvent) => void {
  const { tty, colors: c, verbosity } = options;
  let live = false;
  const clear = (): void => {
    if (live) write('\r\x1b[2K');
    live = false;
  };
  return (event) => {
    if (verbosity === 'quiet') return;
    switch (event.type) {
      case 'step-start':
        if (tty) {
          clear();
          write(`${c.cyan('…')} ${event.step}`);
          live = true;
        } else if (verbosity === 'verbose') {
          write(`… ${event.step}\n`);
        }
        break;
      case 'step-progress':
        if (tty) {
          clear();
          write(`${c.cyan('…')} ${event.step} ${event.done}/${event.total}${event.label ? c.dim(` ${event.label}`) : ''}`);
          live = true;
        }
        break;
      case 'step-end':
        clear();
        write(`${c.green('✓')} ${event.step.padEnd(6)} ${seconds(event.ms).padStart(8)}${event.summary ? `  ${c.dim(event.summary)}` : ''}\n`);
        break;
      case 'log':
        if (verbosity === 'verbose') {
          clear();
          write(`  ${c.dim(`${event.step}:`)} ${event.line}\n`);
        }
        break;
    }
  };
}

/**
 * The final line: what was written, where, and how big, per format.
 * @param written the summary
 * @param outDir the output folder as the user named it
 */
export function writtenLine(written: WrittenSummary, outDir: string): string {
  const parts = Object.entries(written.byFormat)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([format, entry]) => `${format} ${entry.files} ${entry.files === 1 ? 'file' : 'files'} ${formatBytes(entry.bytes)}`);
  return `Wrote ${written.files} files (${formatBytes(written.bytes)}) to ${outDir}: ${parts.join(', ')}`;
}
