import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { OutputCache, type CachedOutput } from '../cache/outputs.js';
import { stillReads, trackReads, type ReadSet } from '../cache/reads.js';

/** What made a file now in serve's folder: the producer's key and what its template read. */
interface Placed {
  key: string;
  reads?: ReadSet;
}

const readsName = 'reads.json';

/**
 * The output cache of `serve`, whose writers write in place into serve's own folder. It remembers,
 * in memory, the key and the template reads of every file it put there, so a rebuild after a save
 * leaves a page alone (no read, no hash, no link) while the same reads give the same values, and
 * renders only the pages whose inputs changed. Misses fall back to the persistent cache, then to
 * rendering, exactly as in `build`.
 * Note: a file linked from the persistent cache arrives under a temporary name and is renamed into
 * place, so a page being served is never missing or half-written.
 */
export class PlacedOutputs extends OutputCache {
  private readonly placed = new Map<string, Placed>();
  private readonly placedReadMemo = new WeakMap<object, Map<string, string>>();
  /** Files rendered, or linked from the persistent cache, since the last `takeWritten()`. */
  private written: string[] = [];

  /**
   * @param folder the persistent cache folder, or undefined for none
   * @param outDir serve's output folder
   */
  constructor(
    folder: string | undefined,
    private readonly outDir: string,
  ) {
    super(folder);
  }

  /** Forgets every placed file: the folder was replaced by a full build. */
  forget(): void {
    this.placed.clear();
    this.written = [];
  }

  /** The files written since the last call, sorted. */
  takeWritten(): string[] {
    const files = [...new Set(this.written)].sort();
    this.written = [];
    return files;
  }

  override async reuse(format: string, key: string, outDir: string, files: string[]): Promise<boolean> {
    if (outDir !== this.outDir) return super.reuse(format, key, outDir, files);
    // Linked beside the folder first (same file system), then renamed over the served file.
    const landing = `${this.outDir}.${process.pid}.landing`;
    try {
      if (!(await super.reuse(format, key, landing, files))) return false;
      for (const file of files) {
        const target = path.join(outDir, ...file.split('/'));
        await mkdir(path.dirname(target), { recursive: true });
        await rename(path.join(landing, ...file.split('/')), target);
      }
      return true;
    } finally {
      await rm(landing, { recursive: true, force: true });
    }
  }

  override async cached<View extends object>(outDir: string, output: CachedOutput<View>): Promise<boolean> {
    const { format, key, files, view } = output;
    const id = `${format}\n${files.join('\n')}`;
    const known = this.placed.get(id);
    if (known?.key === key && (!view || (known.reads && stillReads(view, known.reads, this.placedReadMemo)))) return true;
    this.placed.delete(id);
    if (view) {
      const stored = await this.extra(format, key, readsName);
      const reads = stored === undefined ? undefined : (JSON.parse(stored) as ReadSet);
      if (reads && stillReads(view, reads, this.placedReadMemo) && (await this.reuse(format, key, outDir, files))) return this.place(id, { key, reads }, files, true);
      const tracked = trackReads(view);
      const extras = (await output.produce(tracked.view)) ?? {};
      const produced = { key, reads: tracked.readSet() };
      await this.store(format, key, outDir, files, { ...extras, [readsName]: JSON.stringify(produced.reads) });
      return this.place(id, produced, files, false);
    }
    if (await this.reuse(format, key, outDir, files)) return this.place(id, { key }, files, true);
    const extras = (await output.produce(undefined as unknown as View)) ?? {};
    await this.store(format, key, outDir, files, extras);
    return this.place(id, { key }, files, false);
  }

  private place(id: string, placed: Placed, files: string[], reused: boolean): boolean {
    this.placed.set(id, placed);
    this.written.push(...files);
    return reused;
  }
}
