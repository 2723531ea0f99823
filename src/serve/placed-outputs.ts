import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { OutputCache, type CachedOutput } from '../cache/outputs.js';
import { separator, stillReads, trackReads, valueAt, type ReadSet } from '../cache/reads.js';

/**
 * The paths a template read that start at one property of its view (`course`, `lesson`), and the
 * values found there. Pages share most of their view, so the same group of paths on the same object
 * is evaluated once per rebuild, however many pages read it.
 */
interface ReadGroup {
  head: string;
  /** Paths below `head`, split into segments; interned, so equal lists are one array. */
  rests: string[][];
  /** The values found, one per path. */
  values: string[];
}

/** What made a file now in serve's folder: the producer's key and what its template read, by group. */
interface Placed {
  key: string;
  reads?: ReadGroup[];
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
  /** Group digests found in the current views, by the object a group starts from. */
  private groupMemo = new WeakMap<object, Map<string[][], string[]>>();
  private readonly interned = new Map<string, string[][]>();
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

  /** Extras already read, by format, key and name: an entry's extras never change under its key. */
  private readonly extras = new Map<string, string>();

  override async extra(format: string, key: string, name: string): Promise<string | undefined> {
    const id = `${format}#${key}#${name}`;
    const known = this.extras.get(id);
    if (known !== undefined) return known;
    const text = await super.extra(format, key, name);
    // Kept only while small (a lesson's search text, a section's shard), so a long session stays lean.
    if (text !== undefined && text.length < 1_000_000) this.extras.set(id, text);
    return text;
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
    // An output with no files (a search shard kept only as an extra) is known by its key.
    const id = files.length > 0 ? `${format}\n${files.join('\n')}` : `${format}#${key}`;
    const known = this.placed.get(id);
    if (known?.key === key && (!view || (known.reads && this.stillGroups(view, known.reads)))) return true;
    this.placed.delete(id);
    if (view) {
      const stored = await this.extra(format, key, readsName);
      const reads = stored === undefined ? undefined : (JSON.parse(stored) as ReadSet);
      if (reads && stillReads(view, reads, this.placedReadMemo) && (await this.reuse(format, key, outDir, files))) return this.place(id, { key, reads: this.groups(view, reads) }, files, true);
      const tracked = trackReads(view);
      const extras = (await output.produce(tracked.view)) ?? {};
      const readSet = tracked.readSet();
      await this.store(format, key, outDir, files, { ...extras, [readsName]: JSON.stringify(readSet) });
      return this.place(id, { key, reads: this.groups(view, readSet) }, files, false);
    }
    if (await this.reuse(format, key, outDir, files)) return this.place(id, { key }, files, true);
    const extras = (await output.produce(undefined as unknown as View)) ?? {};
    await this.store(format, key, outDir, files, extras);
    return this.place(id, { key }, files, false);
  }

  /**
   * Starts a rebuild: views are made anew, so digests found in the last one no longer apply.
   * Note: call before the writers run; within one rebuild views never change.
   */
  startRebuild(): void {
    this.groupMemo = new WeakMap();
  }

  /** A read set as groups of paths by their first segment, with the values they find in `view`. */
  private groups(view: object, reads: ReadSet): ReadGroup[] {
    const byHead = new Map<string, string[]>();
    for (const readPath of reads.paths) {
      const cut = readPath.indexOf(separator);
      const head = cut < 0 ? '' : readPath.slice(0, cut);
      let rests = byHead.get(head);
      if (!rests) byHead.set(head, (rests = []));
      rests.push(cut < 0 ? readPath : readPath.slice(cut + 1));
    }
    return [...byHead].map(([head, rests]) => {
      const joined = rests.join('\n');
      let shared = this.interned.get(joined);
      if (!shared) this.interned.set(joined, (shared = rests.map((rest) => rest.split(separator))));
      return { head, rests: shared, values: this.valuesOf(view, head, shared) };
    });
  }

  /** The values at a group's paths in `view`; once per starting object and rebuild. */
  private valuesOf(view: object, head: string, rests: string[][]): string[] {
    const start: unknown = head === '' ? undefined : Reflect.get(view, head);
    if (start === null || typeof start !== 'object') return rests.map((rest) => valueAt(view, head === '' ? rest : [head, ...rest]));
    let known = this.groupMemo.get(start);
    if (!known) this.groupMemo.set(start, (known = new Map()));
    let values = known.get(rests);
    if (values === undefined) known.set(rests, (values = rests.map((rest) => valueAt(start, rest))));
    return values;
  }

  /** Whether every group still finds the same values in `view`. */
  private stillGroups(view: object, groups: ReadGroup[]): boolean {
    return groups.every((group) => {
      const values = this.valuesOf(view, group.head, group.rests);
      return values === group.values || values.every((value, index) => value === group.values[index]);
    });
  }

  private place(id: string, placed: Placed, files: string[], reused: boolean): boolean {
    this.placed.set(id, placed);
    this.written.push(...files);
    return reused;
  }
}
