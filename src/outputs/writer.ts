import type { Course } from '../model/course.js';
import type { BrowserSession } from '../browser/chromium.js';
import type { BuildKeys } from '../cache/keys.js';
import type { OutputCache } from '../cache/outputs.js';
import type { CourseRenderer } from '../render/renderer.js';

/** What every writer gets: the checked course and the folder it writes into. */
export interface PublishContext {
  course: Course;
  /** A fresh staging folder; the pipeline swaps it into place only when every writer succeeded. */
  outDir: string;
  /** Formats being built in this run, so a writer can link to the others' files (PDF and EPUB downloads). */
  formats: readonly string[];
  /** Build date, from SOURCE_DATE_EPOCH or the newest content change. */
  buildDate: Date;
  /** Lesson bodies, rendered once per build and shared by every writer. */
  render: CourseRenderer;
  /** One Chromium per build, started on first use (PDF printing, covers, diagrams) and closed by the pipeline. */
  browser: BrowserSession;
  /** Finished outputs of earlier builds, by the hash of their inputs. */
  cache: OutputCache;
  /** Hashes to build cache keys from. */
  keys: BuildKeys;
  /** A detail line, shown with --verbose. */
  log: (line: string) => void;
  /** Fine-grained progress of this writer (pages printed, books zipped), shown on a terminal. */
  progress: (done: number, total: number, label?: string) => void;
}

/** One output format. */
export interface Writer {
  /** The format's name as `--format` takes it. */
  name: string;
  /** A one-line description, for `--help` and the README. */
  description: string;
  /** Writes the format into `context.outDir`; may return a one-line summary ("13 pages"). */
  publish(context: PublishContext): Promise<string | void>;
}
