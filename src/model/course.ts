import type { Root } from 'mdast';
import type { LessonPractice } from '../markdown/practice.js';
import type { VFile } from 'vfile';
import type { FenceProblem } from '../markdown/fences.js';
import type { CoursePlugins } from '../config/plugins.js';
import type { CourseSettings } from './schemas.js';

/** A 1-based line and column in a source file. */
export interface Point {
  line: number;
  column: number;
}

/** The course's settings after defaults and derivations: what every stage reads. */
export interface CourseConfig extends Omit<CourseSettings, 'author' | 'plugins'> {
  /** course.yml's plugins, found, with their installed versions (so they are part of every cache key that hashes the config). */
  plugins: CoursePlugins;
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
  /** Whether the author wrote the id (`## Title {#id}`) rather than it being made from the text. */
  explicit?: boolean;
  position: Point;
}

/** What a link or image in a lesson points at, resolved once by the loader. */
export type ReferenceTarget =
  | { kind: 'external'; url: string }
  /** A URL whose scheme no reader resolves (not http, https, mailto or tel, and not mapped in course.yml). */
  | { kind: 'scheme'; scheme: string }
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
  /** For links: whether the link shows anything to click (text, inline code, an image with alt text). */
  hasText?: boolean;
}

/**
 * A Markdown body: a lesson's, or a section introduction's. The loader resolves it, the reference
 * rule checks it, and every writer rewrites its links the same way.
 */
export interface Body {
  /** Path of the source file relative to the content root. */
  path: string;
  /** Headings with their anchor ids. */
  headings: LessonHeading[];
  /** Links and images, resolved. */
  references: LessonReference[];
  /**
   * The mdast, heading ids assigned.
   * Note: a lesson's is parsed on first access; a lesson whose outputs all come from the cache is never parsed.
   */
  readonly tree: Root;
}

/** One lesson: its frontmatter, its source file and its Markdown tree, parsed exactly once. */
export interface Lesson extends Body {
  /** "4.1": section number and position, as the frontmatter declares it (or as the file implies). */
  id: string;
  /** Position within the section, 1-based, from the declared number. */
  lessonNumber: number;
  /** The section number part of the declared lesson number. */
  declaredSection: number;
  /** File name without the NN- prefix and extension, e.g. "distributed-consensus". */
  slug: string;
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
  /** What the lesson teaches (frontmatter `objectives`), in order; `assesses` numbers them from 1. */
  objectives: string[];
  /** Lesson numbers to read first (frontmatter `requires`), as written. */
  requires: string[];
  /** Exercises and quizzes, and their practice minutes (not part of `minutes`). */
  practice: LessonPractice;
  /** Code fences CommonMark reads otherwise than meant, swallowing prose as code. */
  fenceProblems: FenceProblem[];
  /**
   * Every distinct character of the source, in code point order: what the font check tests, kept
   * with the parse so a cached lesson's megabytes are not walked again.
   */
  distinctCharacters: string;
  /** The source file (its value is the decoded text). */
  file: VFile;
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
  /** section.md's text below its frontmatter, when it has any. */
  intro?: Body;
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
