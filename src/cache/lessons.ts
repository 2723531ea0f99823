import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LessonSummary } from '../load/lesson.js';
import { hashOf } from './fingerprint.js';

/**
 * Lesson summaries from earlier runs, by lesson path and source hash, in one file. The file is
 * trusted only when it was written by the same tool build with the same reading speed; anything
 * malformed is ignored and rebuilt.
 */
export class LessonCache {
  private entries = new Map<string, { hash: string; summary: LessonSummary }>();
  private changed = false;

  private constructor(
    private readonly file: string | undefined,
    private readonly key: string,
  ) {}

  /**
   * Opens the cache.
   * @param folder the cache folder, or undefined for none
   * @param key what must match for entries to be trusted (tool fingerprint and settings)
   */
  static async open(folder: string | undefined, key: string): Promise<LessonCache> {
    const cache = new LessonCache(folder ? path.join(folder, 'lessons.json') : undefined, key);
    if (!cache.file) return cache;
    try {
      const stored = JSON.parse(await readFile(cache.file, 'utf8')) as { key?: string; checksum?: string; entries?: unknown };
      // The checksum covers the entries: an edited or truncated file is ignored, not trusted.
      if (stored.key === key && Array.isArray(stored.entries) && stored.checksum === hashOf(stored.entries)) {
        cache.entries = new Map(stored.entries as [string, { hash: string; summary: LessonSummary }][]);
      }
    } catch {
      // No cache yet, or an unreadable one: start empty.
    }
    return cache;
  }

  /** The summary of a lesson whose source has this hash, if known. */
  get(lessonPath: string, hash: string): LessonSummary | undefined {
    const entry = this.entries.get(lessonPath);
    return entry && entry.hash === hash ? entry.summary : undefined;
  }

  /** Remembers a lesson's summary. */
  set(lessonPath: string, hash: string, summary: LessonSummary): void {
    this.entries.set(lessonPath, { hash, summary });
    this.changed = true;
  }

  /**
   * Writes the cache if anything changed, keeping only the lessons seen in this run.
   * @param seen the lesson paths of this run
   */
  async save(seen: Set<string>): Promise<void> {
    for (const lessonPath of this.entries.keys()) {
      if (!seen.has(lessonPath)) {
        this.entries.delete(lessonPath);
        this.changed = true;
      }
    }
    if (!this.file || !this.changed) return;
    try {
      await mkdir(path.dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      const entries = [...this.entries];
      await writeFile(temporary, JSON.stringify({ key: this.key, checksum: hashOf(entries), entries }));
      await rename(temporary, this.file);
    } catch {
      // A cache that cannot be written costs speed next time, never correctness.
    }
  }
}
