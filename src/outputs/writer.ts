import type { Course } from '../model/course.js';
import type { BrowserSession } from '../browser/chromium.js';
import type { BuildKeys } from '../cache/keys.js';
import type { OutputCache } from '../cache/outputs.js';
import type { CourseRenderer } from '../render/renderer.js';
import type { Artifact, ArtifactSpec, PublicationPlan } from './plan.js';

/** What every writer gets: the checked course, the plan, and the folder it writes into. */
export interface PublishContext {
  course: Course;
  /** A fresh staging folder; the pipeline swaps it into place only when every writer succeeded. */
  outDir: string;
  /** Every file this build publishes, by format: downloads and links to other formats read it. */
  plan: PublicationPlan;
  /** This writer's own artifacts, from the plan. */
  artifacts: Artifact[];
  /** The date of the course's newest source, or SOURCE_DATE_EPOCH (see `sourceDate` for a book's own). */
  buildDate: Date;
  /**
   * The date of a set of sources: their newest modification, or SOURCE_DATE_EPOCH when set, so a
   * book changes only when its own sources do.
   * @param files source paths relative to the content root
   */
  sourceDate(files: string[]): Promise<Date>;
  /** Lesson bodies, rendered once per build and shared by every writer. */
  render: CourseRenderer;
  /** One Chromium per build, started on first use (PDF printing, covers, diagrams) and closed by the pipeline. */
  browser: BrowserSession;
  /** Finished outputs of earlier builds; `cache.cached()` reuses or makes one. */
  cache: OutputCache;
  /** Hashes to build cache keys from. */
  keys: BuildKeys;
  /** A detail line, shown with --verbose. */
  log: (line: string) => void;
  /** Fine-grained progress of this writer (pages printed, books zipped), shown on a terminal. */
  progress: (done: number, total: number, label?: string) => void;
}

/** One output format: everything about it lives here, and in no other module. */
export interface Writer {
  /** The format's name as `--format` takes it. */
  name: string;
  /** A one-line description, for `--help` and the README. */
  description: string;
  /** Whether its artifacts are offered as downloads (books); the catalogue lists such formats. */
  offersDownloads?: boolean;
  /**
   * The files it makes of a course, for the publication plan.
   * @param course the checked course
   */
  artifacts(course: Course): ArtifactSpec[];
  /** Writes its artifacts into `context.outDir`; may return a one-line summary ("13 pages"). */
  publish(context: PublishContext): Promise<string | undefined>;
}
