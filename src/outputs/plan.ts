import type { Course, Lesson, Section } from '../model/course.js';
import type { WriterEntry } from './index.js';
import type { Writer } from './writer.js';

/** What an artifact covers: the whole site, the course as one book, one section, or one lesson. */
export type ArtifactScope = 'site' | 'course' | 'section' | 'lesson';

/** One file a writer promises to make, as the writer declares it (the plan adds its format). */
export interface ArtifactSpec {
  scope: ArtifactScope;
  /** Where it is published, relative to the output root, with forward slashes. */
  path: string;
  /** What readers are shown for it: "Download PDF", a page's title. */
  label: string;
  /** The section it covers (scope `section` and `lesson`). */
  section?: Section;
  /** The lesson it covers (scope `lesson`). */
  lesson?: Lesson;
  /** Offered for download on pages and in the catalogue (books are; pages are not). */
  download?: boolean;
}

/** An artifact of the publication plan: a spec with the format that makes it. */
export interface Artifact extends ArtifactSpec {
  format: string;
}

/** Every file a build publishes, by writer, and the questions other outputs ask of it. */
export interface PublicationPlan {
  /** Every artifact, writers in build order, each writer's in its own order. */
  artifacts: readonly Artifact[];
  /** The selected writers, in build order. */
  writers: readonly Writer[];
  /** The artifacts one writer makes. */
  of(format: string): Artifact[];
  /**
   * The downloads offered for the course (no section) or for one section, in build order.
   * @param section the section, or undefined for the course's own downloads
   */
  downloads(section?: Section): Artifact[];
  /**
   * Formats that offer downloads at all, built in this run or not (every registered writer), so
   * the catalogue can say `null` for a known format that was not built.
   */
  downloadFormats: readonly string[];
}

/**
 * Plans a build: asks each selected writer which files it will make, so that downloads on pages,
 * the catalogue, the build summary, progress and cache reuse all read one list.
 * @param course the checked course
 * @param selected the writers of this build, in build order
 * @param registered every writer that could be selected (for `downloadFormats`)
 */
export function plan(course: Course, selected: readonly Writer[], registered: readonly WriterEntry[] = selected): PublicationPlan {
  const artifacts = selected.flatMap((writer) => writer.artifacts(course).map((spec): Artifact => ({ ...spec, format: writer.name })));
  const byFormat = new Map<string, Artifact[]>();
  for (const artifact of artifacts) {
    let list = byFormat.get(artifact.format);
    if (!list) byFormat.set(artifact.format, (list = []));
    list.push(artifact);
  }
  const downloadFormats = registered.filter((writer) => writer.offersDownloads).map((writer) => writer.name);
  return {
    artifacts,
    writers: selected,
    of: (format) => byFormat.get(format) ?? [],
    downloads: (section) => artifacts.filter((artifact) => artifact.download && (section ? artifact.scope === 'section' && artifact.section === section : artifact.scope === 'course')),
    downloadFormats,
  };
}
