import { createHash } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stillReads, trackReads, type ReadSet } from './reads.js';

const extrasFolder = '.extras';
/** One file per entry with everything besides the outputs: one read on reuse, not three. */
const metaName = 'entry.json';
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** What the manifest keeps of each stored file: its hash, and the size and modification time it had when stored. */
interface StoredFile {
  sha256: string;
  size: number;
  mtimeMs: number;
}

/**
 * Hard-links a cached file to its place in the output: the link is tried first, and its folder made
 * or an old file removed only when it fails for that reason (two system calls fewer per file).
 */
async function linkInto(source: string, target: string): Promise<void> {
  try {
    await link(source, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') await mkdir(path.dirname(target), { recursive: true });
    else if (code === 'EEXIST') await rm(target, { force: true });
    else throw error;
    await link(source, target);
  }
}

/** What an entry keeps beside its files. */
interface EntryMeta {
  files: Record<string, StoredFile>;
  /** What the producer read of its view, when it had one. */
  reads?: ReadSet;
  /** Texts the producer kept (see `extra()`). */
  extras: Record<string, string>;
}

/**
 * Whether a stored file is still what was stored: unchanged size and modification time (nothing
 * Coursebook does changes a stored file in place, and anything else that writes it moves its
 * modification time), else the same hash.
 */
async function intact(file: string, stored: StoredFile | undefined): Promise<boolean> {
  if (!stored || typeof stored !== 'object') return false;
  const info = await stat(file);
  if (info.size === stored.size && info.mtimeMs === stored.mtimeMs) return true;
  return info.size === stored.size && sha256(await readFile(file)) === stored.sha256;
}

/** One output made through the cache: what it is made from, where it goes, and how to make it. */
export interface CachedOutput<View extends object> {
  /** The writer's name. */
  format: string;
  /**
   * The hash of every input the producer takes besides the view: sources, templates, tool code,
   * settings, and for printed output the browser and fonts.
   */
  key: string;
  /** Paths relative to the output folder that `produce` writes. */
  files: string[];
  /**
   * The view the producer's template receives. What the producer reads of it is recorded, and the
   * entry is reused only while the same reads give the same values.
   */
  view?: View;
  /**
   * Writes `files` into the output folder; returns texts to keep beside them (see `extra()`).
   * @param view the view, wrapped so that reads are recorded
   */
  produce(view: View): Promise<Record<string, string> | undefined>;
}

/**
 * Finished output files kept by the inputs that made them (a key the writer computes from content
 * hashes, the tool, templates and config). A hit hard-links the files into the new build, so an
 * unchanged page is neither rendered nor copied.
 * Note: output files are always written to a new name and renamed (see outputs/files.ts), so a
 * file shared by the cache and a build is never changed in place.
 */
export class OutputCache {
  private readonly used = new Map<string, Set<string>>();

  /** @param folder the cache folder, or undefined for no cache */
  constructor(private readonly folder: string | undefined) {}

  private entry(format: string, key: string): string | undefined {
    return this.folder ? path.join(this.folder, 'outputs', format, key) : undefined;
  }

  /**
   * Links a cached entry's files into the output. Returns false (and links nothing usable) on a miss.
   * @param format the writer's name
   * @param key the inputs' hash
   * @param outDir the staging folder
   * @param files paths relative to `outDir`
   */
  async reuse(format: string, key: string, outDir: string, files: string[]): Promise<boolean> {
    const entry = this.entry(format, key);
    const meta = await this.meta(format, key);
    if (!entry || !meta) return false;
    try {
      // Every file is checked against what was recorded when it was stored: a damaged entry is a miss.
      for (const file of files) {
        if (!(await intact(path.join(entry, ...file.split('/')), meta.files[file]))) return false;
      }
      for (const file of files) await linkInto(path.join(entry, ...file.split('/')), path.join(outDir, ...file.split('/')));
    } catch {
      return false;
    }
    this.markUsed(format, key);
    return true;
  }

  /**
   * Keeps files the writer just produced under their key.
   * @param format the writer's name
   * @param key the inputs' hash
   * @param outDir the staging folder
   * @param files paths relative to `outDir`
   * @param extras texts (or bytes) to keep beside the files, read back with `extra()` (or `extraBytes()`)
   */
  async store(format: string, key: string, outDir: string, files: string[], extras: Record<string, string | Uint8Array> = {}, reads?: ReadSet): Promise<void> {
    const entry = this.entry(format, key);
    if (!entry) return;
    const temporary = `${entry}.${process.pid}.tmp`;
    try {
      await rm(temporary, { recursive: true, force: true });
      for (const file of files) {
        const target = path.join(temporary, ...file.split('/'));
        await mkdir(path.dirname(target), { recursive: true });
        await link(path.join(outDir, ...file.split('/')), target);
      }
      // Texts go into entry.json; bytes (a book's deflated parts) are files of their own beside it.
      const texts: Record<string, string> = {};
      await mkdir(path.join(temporary, extrasFolder), { recursive: true });
      for (const [name, value] of Object.entries(extras)) {
        if (typeof value === 'string') texts[name] = value;
        else await writeFile(path.join(temporary, extrasFolder, name), value);
      }
      const meta: EntryMeta = { files: {}, ...(reads ? { reads } : {}), extras: texts };
      for (const file of files) {
        const stored = path.join(temporary, ...file.split('/'));
        const { size, mtimeMs } = await stat(stored);
        meta.files[file] = { sha256: sha256(await readFile(stored)), size, mtimeMs };
      }
      await writeFile(path.join(temporary, extrasFolder, metaName), JSON.stringify(meta));
      await rm(entry, { recursive: true, force: true });
      await rename(temporary, entry);
      this.metas.set(`${format}/${key}`, Promise.resolve(meta));
      this.markUsed(format, key);
    } catch {
      // A cache that cannot be written costs speed next time, never correctness.
      await rm(temporary, { recursive: true, force: true }).catch(() => {});
    }
  }

  /**
   * Reads a text kept beside an entry's files (such as a page's search text), or undefined.
   * @param format the writer's name
   * @param key the inputs' hash
   * @param name the extra's name
   */
  async extra(format: string, key: string, name: string): Promise<string | undefined> {
    const text = (await this.meta(format, key))?.extras[name];
    if (text !== undefined) this.markUsed(format, key);
    return text;
  }

  /** An entry's record, read once per build; undefined when it is missing or unreadable. */
  private meta(format: string, key: string): Promise<EntryMeta | undefined> {
    const entry = this.entry(format, key);
    if (!entry) return Promise.resolve(undefined);
    const id = `${format}/${key}`;
    let meta = this.metas.get(id);
    if (!meta) {
      meta = readFile(path.join(entry, extrasFolder, metaName), 'utf8').then(
        (text) => {
          const parsed = JSON.parse(text) as EntryMeta;
          return parsed && typeof parsed.files === 'object' && typeof parsed.extras === 'object' ? parsed : undefined;
        },
        () => undefined,
      );
      this.metas.set(id, meta);
    }
    return meta.catch(() => undefined);
  }

  private readonly metas = new Map<string, Promise<EntryMeta | undefined>>();

  /**
   * Reads bytes kept beside an entry's files (such as a book's cached parts), or undefined.
   * Note: an extra stored as bytes is read with this, one stored as text with `extra()`.
   * @param format the writer's name
   * @param key the inputs' hash
   * @param name the extra's name
   */
  async extraBytes(format: string, key: string, name: string): Promise<Buffer | undefined> {
    const entry = this.entry(format, key);
    if (!entry) return undefined;
    const bytes = await readFile(path.join(entry, extrasFolder, name)).catch(() => undefined);
    if (bytes !== undefined) this.markUsed(format, key);
    return bytes;
  }

  /**
   * Links an output from an earlier build made from the same inputs, or makes it and keeps it: the
   * one sequence every writer follows (reuse, else produce, then store).
   * @param outDir the staging folder
   * @param output what to make, its key, its view and its producer
   * @returns true when the files came from the cache
   */
  async cached<View extends object>(outDir: string, output: CachedOutput<View>): Promise<boolean> {
    const { format, key, files, view } = output;
    if (await this.stillValid(format, key, view)) {
      if (await this.reuse(format, key, outDir, files)) return true;
    }
    if (!view) {
      const extras = (await output.produce(undefined as unknown as View)) ?? {};
      await this.store(format, key, outDir, files, extras);
      return false;
    }
    const tracked = trackReads(view);
    const extras = (await output.produce(tracked.view)) ?? {};
    await this.store(format, key, outDir, files, extras, tracked.readSet());
    return false;
  }

  /** Whether a view gives what the entry's producer read, or true when no view is tracked. */
  private async stillValid(format: string, key: string, view: object | undefined): Promise<boolean> {
    if (!view) return true;
    const reads = (await this.meta(format, key))?.reads;
    if (!reads) return false;
    try {
      return stillReads(view, reads, this.readMemo);
    } catch {
      return false;
    }
  }

  /** Values found at view paths in this build, shared by every page that starts from the same object. */
  private readonly readMemo = new WeakMap<object, Map<string, string>>();

  private markUsed(format: string, key: string): void {
    let keys = this.used.get(format);
    if (!keys) this.used.set(format, (keys = new Set()));
    keys.add(key);
  }

  /**
   * Removes the entries of the given formats that this build did not use, so the cache holds one
   * build's worth of outputs.
   * @param formats the formats built in this run
   */
  async prune(formats: readonly string[]): Promise<void> {
    if (!this.folder) return;
    for (const format of formats) {
      const folder = path.join(this.folder, 'outputs', format);
      let names: string[] = [];
      try {
        names = await readdir(folder);
      } catch {
        continue;
      }
      const keep = this.used.get(format) ?? new Set();
      await Promise.all(names.filter((name) => !keep.has(name)).map((name) => rm(path.join(folder, name), { recursive: true, force: true })));
    }
  }
}
