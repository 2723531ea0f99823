import { z } from 'zod';

/** Rule severities a course may set in course.yml. */
export const severitySetting = z.enum(['error', 'warning', 'off']);

/** Paper sizes the PDF writer knows. */
export const paperSize = z.enum(['a4', 'letter']);

/** One plugin in course.yml: its name (a package, or a path from the content root), or `[name, options]`. */
export const pluginSetting = z.union([z.string().min(1), z.tuple([z.string().min(1)]), z.tuple([z.string().min(1), z.unknown()])]);

/**
 * course.yml, the course's metadata and build settings.
 * Note: `identifier` is derived from the title when absent (see config/load.ts), never random.
 */
export const courseConfigSchema = z.object({
  title: z.string().trim().min(1),
  subtitle: z.string().optional(),
  author: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  language: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'must be a BCP 47 tag such as en or pt-BR')
    .default('en'),
  identifier: z.string().min(1).optional(),
  description: z.string().optional(),
  readingSpeed: z.number().int().min(50).max(1000).default(238),
  /** Han and kana characters per minute (IReST, Trauzettel-Klosinski & Dietz 2012): Chinese text, and Japanese text (any with kana). */
  charactersPerMinute: z.object({ chinese: z.number().int().min(50).max(2000).default(255), japanese: z.number().int().min(50).max(2000).default(357) }).default({ chinese: 255, japanese: 357 }),
  readingTimeTolerance: z.number().min(0).max(1).default(0.2),
  baseUrl: z.url().optional(),
  templates: z.string().optional(),
  paper: paperSize.default('a4'),
  cover: z.string().optional(),
  allowScripts: z.boolean().default(false),
  cache: z.string().optional(),
  linkSchemes: z.record(z.string().regex(/^[a-z][a-z0-9+.-]*$/, 'must be a URL scheme such as mdn'), z.url({ protocol: /^https?$/ })).default({}),
  /** LMS packages (scorm12, scorm2004, cc): `sections: true` adds one package per section to the course's. */
  lms: z
    .object({ sections: z.boolean().default(false) })
    .strict()
    .optional(),
  rules: z.record(z.string(), severitySetting).default({}),
  /** remark and rehype plugins for lesson bodies, in order: `{ remark: [["remark-emoji", {}]], rehype: [...] }`. */
  plugins: z.strictObject({ remark: z.array(pluginSetting).default([]), rehype: z.array(pluginSetting).default([]) }).default({ remark: [], rehype: [] }),
  /** Single labels in the course's language, replacing the catalogue's: `{ startWith: "Begin with {lesson}" }`. */
  labels: z.record(z.string(), z.string()).default({}),
});

/**
 * section.md frontmatter. `lessons` and `readingTime` are declared totals that `check` verifies.
 * Note: `summary` is optional; without one, nothing is shown in its place.
 */
export const sectionFrontmatterSchema = z.object({
  section: z.number().int().min(0),
  title: z.string().trim().min(1),
  summary: z.string().trim().min(1).optional(),
  groups: z.array(z.string().trim().min(1)).default([]),
  lessons: z.number().int().min(0).optional(),
  readingTime: z.union([z.string().trim().min(1), z.number().int().min(0)]).optional(),
});

/**
 * A lesson's frontmatter.
 * Note: `lesson` arrives as a string even when written unquoted: the loader reads the raw YAML
 * source of that scalar, so `lesson: 4.10` is "4.10", not the float 4.1.
 */
export const lessonFrontmatterSchema = z.object({
  lesson: z.string().regex(/^\d+\.\d+$/, 'must be a section and lesson number such as "4.1"'),
  title: z.string().trim().min(1),
  summary: z.string().trim().min(1),
  minutes: z.number().int().min(1),
  group: z.string().trim().min(1).optional(),
  /** What the lesson teaches, one sentence each; exercises and quizzes name them by number in `assesses`. */
  objectives: z.array(z.string().trim().min(1)).optional(),
  /** Lesson numbers to read first, such as ["4.2", "3.1"]. */
  requires: z.array(z.string().regex(/^\d+\.\d+$/, 'must be a lesson number such as "4.2"')).optional(),
});

export type CourseSettings = z.output<typeof courseConfigSchema>;
export type SectionFrontmatter = z.output<typeof sectionFrontmatterSchema>;
export type LessonFrontmatter = z.output<typeof lessonFrontmatterSchema>;
