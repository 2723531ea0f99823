import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import type { CourseSettings } from './schemas.js';

/** A 1-based line and column in a source file. */
export interface Point {
  line: number;
  column: number;
}

/** The course's settings after defaults and derivations: what every stage reads. */
export interface CourseConfig extends Omit<CourseSettings, 'author'> {
  /** Authors in order; empty when course.yml names none. */
  authors: string[];
  /** Stable identifier: course.yml's, or a name-based `urn:uuid:` derived from the title. */
  identifier: string;
}

/** A heading of a lesson body, with the anchor id every output gives it. */
export interface LessonHeading {
  depth: number;
  text: string;
  id: string;
  position: Point;
}

/** What a link or image in a lesson points at, resolved once by the loader. */
export type ReferenceTarget =
  | { kind: 'external'; url: string }
  | { kind: 'anchor'; fragment: string }
  | { kind: 'lesson'; path: string; fragment?: string }
  | { kind: 'section'; path: string; fragment?: string }
  | { kind: 'asset'; path: string; absolute: string }
  | { kind: 'missing'; path: string; fragment?: string }
  | { kind: 'outside'; path: string };

/** A link or image found in a lesson, with where it is written and what it resolves to. */
export interface LessonReference {
  type: 'link' | 'image';
  url: string;
  position: Point;
  target: ReferenceTarget;
  /** Alt text, for images. */
  alt?: string;
}

/** One lesson: its frontmatter, its source file and its Markdown tree, parsed exactly once. */
export interface Lesson {
  /** "4.1": section number and position, as the frontmatter declares it (or as the file implies). */
  id: string;
  /** Position within the section, 1-based, from the declared number. */
  lessonNumber: number;
  /** The section number part of the declared lesson number. */
  declaredSection: number;
  /** File name without the NN- prefix and extension, e.g. "distributed-consensus". */
  slug: string;
  /** Path relative to the content root, with forward slashes. */
  path: string;
  /** The NN- position prefix of the file name, if it has one. */
  filePosition?: number;
  title: string;
  summary: string;
  group?: string;
  /** Declared reading time in minutes (falls back to the computed one when not declared). */
  minutes: number;
  /** Reading time computed from the text at the course's reading speed. */
  computedMinutes: number;
  words: number;
  /** Han and kana characters, read one by one (see markdown/words.ts). */
  characters: number;
  /** Which rate the characters are read at: Japanese when the text has kana. */
  characterScript: 'chinese' | 'japanese';
  headings: LessonHeading[];
  references: LessonReference[];
  /** Where each frontmatter field is written, for diagnostics. */
  fieldPositions: Record<string, Point>;
  /** Whether the frontmatter parsed as a YAML map; rules about its fields skip a lesson whose did not. */
  frontmatterParsed: boolean;
  /** No body beyond frontmatter and comments. */
  isEmpty: boolean;
  /** The last line of the file. */
  endLine: number;
  /** ```mermaid blocks: where they are and their source. */
  diagrams: { position: Point; source: string }[];
  /** Languages of the lesson's code blocks. */
  codeLanguages: string[];
  /** The source file (its value is the decoded text). */
  file: VFile;
  /**
   * The lesson's mdast, heading ids assigned.
   * Note: parsed on first access; a lesson whose outputs all come from the cache is never parsed.
   */
  readonly tree: Root;
}

/** A lesson group of a section, in the order section.md declares. */
export interface LessonGroup {
  title: string;
  lessons: Lesson[];
}

/** One section: its frontmatter, optional intro text and its lessons in file order. */
export interface Section {
  number: number;
  /** Folder name without the NN- prefix. */
  slug: string;
  /** Folder path relative to the content root. */
  dir: string;
  /** The NN- prefix of the folder name, if it has one. */
  folderPosition?: number;
  /** Path of section.md relative to the content root (it may be missing, see `hasSectionFile`). */
  path: string;
  hasSectionFile: boolean;
  /** Whether section.md's frontmatter parsed as a YAML map (rules that need its fields skip it otherwise). */
  frontmatterParsed: boolean;
  title: string;
  summary: string;
  groupTitles: string[];
  declaredLessons?: number;
  /** The declared total: a label in the course language ("~1.7 h") or whole minutes. */
  declaredReadingTime?: string | number;
  fieldPositions: Record<string, Point>;
  /** Lessons grouped as declared; lessons without a declared group sit in an untitled group. */
  groups: LessonGroup[];
  lessons: Lesson[];
  file?: VFile;
  intro?: Root;
}

/** The whole course: what `check` and every writer read. */
export interface Course {
  /** Absolute path of the content root. */
  root: string;
  config: CourseConfig;
  sections: Section[];
  /**
   * Every file and folder the loader listed, relative to the root: the root's entries, each
   * section folder's and each other top-level folder's, and those of every folder that holds a
   * referenced asset. Rules about names read it; undefined for a course not made by `loadCourse`.
   */
  listedPaths?: string[];
}
