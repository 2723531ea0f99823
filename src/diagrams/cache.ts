import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A rendered diagram, or mermaid's message when it does not parse. */
export type DiagramResult = { ok: true; light: string; dark: string } | { ok: false; error: string };

/**
 * A folder of rendered diagrams keyed by hash. A missing, unreadable or malformed entry is a miss,
 * never trusted; entries are written to a temporary name and renamed, so a reader never sees half a file.
 */
export class DiagramCache {
  /** @param folder the cache folder, or undefined for no persistent cache (`--no-cache`) */
  constructor(private readonly folder: string | undefined) {}

  private file(hash: string): string | undefined {
    return this.folder ? path.join(this.folder, 'diagrams', `${hash}.json`) : undefined;
  }

  /** Reads a cached result, or undefined on a miss. */
  async get(hash: string): Promise<DiagramResult | undefined> {
    const file = this.file(hash);
    if (!file) return undefined;
    try {
      const value = JSON.parse(await readFile(file, 'utf8')) as DiagramResult & { hash?: string };
      if (value.hash !== hash) return undefined;
      if (value.ok === true && typeof value.light === 'string' && typeof value.dark === 'string' && value.light.startsWith('<svg')) return { ok: true, light: value.light, dark: value.dark };
      if (value.ok === false && typeof value.error === 'string') return { ok: false, error: value.error };
      return undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores a result; failures to write only cost a re-render next time. */
  async set(hash: string, result: DiagramResult): Promise<void> {
    const file = this.file(hash);
    if (!file) return;
    try {
      await mkdir(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify({ hash, ...result }));
      await rename(temporary, file);
    } catch {
      // A read-only or full disk makes the cache useless, not the build wrong.
    }
  }
}
