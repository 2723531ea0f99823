import { z } from 'zod';

/**
 * The JSON catalogue API's documents. These zod schemas are the one source of truth: the writer's
 * TypeScript types are inferred from them, every document is parsed through them before it is
 * written, and the published JSON Schemas are generated from them.
 */

/**
 * The API version every document carries: the major part changes only when a document changes
 * incompatibly, the minor part when fields are added (1.1: objectives, prerequisites, exercises,
 * quizzes and practice minutes).
 */
export const apiVersion = '1.2';

/**
 * A published URL: relative to the site root, or absolute under course.yml's `baseUrl`.
 * Note: `uri-reference`, not `uri`, because without `baseUrl` the URLs are relative.
 */
const publishedUrl = z.string().min(1).meta({ format: 'uri-reference' });

/** A download that is not built in this run is `null`, so consumers never follow a dead link. */
const downloadUrl = publishedUrl.nullable();

const downloadsSchema = z
  .record(z.string().min(1), downloadUrl)
  .meta({ description: 'Download URLs by format (e.g. "pdf", "epub"), for every format that offers downloads; null when that format was not built.' });

const documentHeader = {
  $schema: publishedUrl.meta({ description: "The URL of the JSON Schema this document follows: absolute under baseUrl, else relative to this document's own URL." }),
  apiVersion: z.literal(apiVersion),
};

/** The schema.org data of a document's subject, as its site page carries it in JSON-LD (added in 1.2). */
const schemaOrgSchema = z.looseObject({ '@context': z.literal('https://schema.org'), '@type': z.string().min(1) }).meta({
  description: 'schema.org JSON-LD of the subject (a Course for the course and sections, a LearningResource for a lesson), the same data as its web page carries; URLs as elsewhere in the API.',
});

/** A heading of a lesson body, with the anchor id every output gives it. */
const headingSchema = z.object({
  depth: z.int().min(1).max(6),
  text: z.string(),
  id: z.string().meta({ description: 'The anchor id: append #id to the lesson URL.' }),
});

/** An exercise of a lesson, without its solution. */
const exerciseSchema = z.object({
  id: z.string().min(1).meta({ description: 'The anchor id: append #id to the lesson URL.' }),
  title: z.string(),
  number: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/)
    .meta({ description: 'Lesson number and position, e.g. "4.5.2" for "Exercise 4.5.2".' }),
  difficulty: z.enum(['easy', 'medium', 'hard']).nullable(),
  minutes: z.int().min(1).meta({ description: 'Practice minutes: as the author wrote them, else the words of the exercise and its solution at the reading speed.' }),
});

/** A quiz of a lesson: its question, never its answer. */
const quizSchema = z.object({
  id: z.string().min(1).meta({ description: 'The anchor id: append #id to the lesson URL.' }),
  question: z.string().meta({ description: "The question's plain text." }),
});

/** A lesson as the catalogue and its section list it. */
const lessonEntrySchema = z.object({
  id: z
    .string()
    .regex(/^\d+\.\d+$/)
    .meta({ description: 'Section and position, e.g. "4.1"; "4.10" stays "4.10".' }),
  slug: z.string().min(1),
  title: z.string().min(1),
  summary: z.string(),
  group: z.string().nullable().meta({ description: 'The declared group; null when the section declares none.' }),
  minutes: z.object({
    declared: z.int().min(1),
    computed: z.int().min(1).meta({ description: "From the lesson's words at the course's reading speed." }),
    label: z.string().meta({ description: 'The declared time as shown, e.g. "7 min".' }),
  }),
  words: z.int().min(0).meta({ description: 'Words read: exercises, solutions and quizzes are practice and not counted.' }),
  practice: z.object({
    minutes: z.int().min(0).meta({ description: 'The sum of the minutes of its exercises and quizzes; not part of `minutes`.' }),
    label: z.string().meta({ description: 'e.g. "12 min practice"; empty without exercises and quizzes.' }),
  }),
  objectives: z.array(z.string()).meta({ description: 'What the lesson teaches; exercises and quizzes name them by 1-based number in `assesses`.' }),
  requires: z.array(z.string().regex(/^\d+\.\d+$/)).meta({ description: 'Ids of the lessons to read first.' }),
  exercises: z.array(exerciseSchema),
  quizzes: z.array(quizSchema),
  headings: z.array(headingSchema),
  url: publishedUrl.meta({ description: "The lesson's page." }),
  apiUrl: publishedUrl.meta({ description: "The lesson's own API document, with its body." }),
  contentHash: z
    .string()
    .regex(/^sha256:[0-9a-f]{64}$/)
    .meta({ description: 'sha256 of the lesson source text as loaded (UTF-8, without a BOM): changes exactly when the source does.' }),
});

/** A group of a section's lessons, in the order section.md declares. */
const groupSchema = z.object({
  title: z.string().min(1).nullable().meta({ description: 'null for the trailing group of lessons without a declared group.' }),
  lessons: z.array(z.string()).meta({ description: 'Lesson ids, in order.' }),
});

/** A section as the catalogue lists it, with its lessons. */
const sectionEntrySchema = z.object({
  number: z.int().min(0),
  slug: z.string().min(1),
  title: z.string().min(1),
  summary: z.string(),
  url: publishedUrl.meta({ description: "The section's page." }),
  apiUrl: publishedUrl.meta({ description: "The section's own API document." }),
  totals: z.object({
    lessons: z.int().min(0),
    minutes: z.int().min(0).meta({ description: "The sum of the lessons' declared minutes." }),
    readingTime: z.string().meta({ description: 'e.g. "~1.7 h" or "45 min".' }),
    practiceMinutes: z.int().min(0).meta({ description: "The sum of the lessons' practice minutes (exercises and quizzes)." }),
    label: z.string().meta({ description: 'e.g. "11 lessons · ~1.7 h reading", with " · 40 min practice" when there is practice.' }),
  }),
  downloads: downloadsSchema,
  groups: z.array(groupSchema),
  lessons: z.array(lessonEntrySchema),
});

/** The course's metadata, from course.yml. */
const courseEntrySchema = z.object({
  title: z.string().min(1),
  subtitle: z.string().nullable(),
  authors: z.array(z.string()),
  language: z.string(),
  identifier: z.string().min(1),
  description: z.string().nullable(),
  url: publishedUrl.meta({ description: "The site's home page." }),
  downloads: downloadsSchema,
  totals: z.object({
    lessons: z.int().min(0),
    minutes: z.int().min(0).meta({ description: "The sum of every lesson's declared reading minutes." }),
    practiceMinutes: z.int().min(0).meta({ description: "The sum of every lesson's practice minutes." }),
  }),
});

/** api/catalogue.json: the whole course, its sections and lessons, without lesson bodies. */
export const catalogueDocumentSchema = z
  .object({
    ...documentHeader,
    generated: z.iso.datetime().meta({ description: 'The build date (SOURCE_DATE_EPOCH or the newest source change), not the time of the build.' }),
    course: courseEntrySchema,
    sections: z.array(sectionEntrySchema),
    schemaOrg: schemaOrgSchema,
  })
  .meta({ title: 'Coursebook catalogue', description: 'The whole course, its sections and lessons.' });

/** api/sections/<number>.json: one section with its lessons. */
export const sectionDocumentSchema = z
  .object({ ...documentHeader, section: sectionEntrySchema, schemaOrg: schemaOrgSchema })
  .meta({ title: 'Coursebook section', description: 'One section, its groups and lessons.' });

/** api/lessons/<id>.json: one lesson with its rendered body. */
export const lessonDocumentSchema = z
  .object({
    ...documentHeader,
    section: sectionEntrySchema.pick({ number: true, title: true, url: true, apiUrl: true }),
    lesson: lessonEntrySchema.extend({
      html: z.string().meta({ description: 'The rendered body (from the first ## on), links absolute or relative to the site root.' }),
      text: z.string().meta({ description: 'The plain text of the body, one block per line.' }),
    }),
    schemaOrg: schemaOrgSchema,
  })
  .meta({ title: 'Coursebook lesson', description: 'One lesson with its rendered body and plain text.' });

/** Every document kind of the API, by the name its schema is published under. */
export const apiDocumentSchemas = {
  catalogue: catalogueDocumentSchema,
  section: sectionDocumentSchema,
  lesson: lessonDocumentSchema,
} as const;

/** A document kind: `catalogue`, `section` or `lesson`. */
export type ApiDocumentKind = keyof typeof apiDocumentSchemas;

/** A lesson as the catalogue lists it. */
export type LessonEntry = z.infer<typeof lessonEntrySchema>;
/** A section as the catalogue lists it. */
export type SectionEntry = z.infer<typeof sectionEntrySchema>;
/** The course's metadata as published. */
export type CourseEntry = z.infer<typeof courseEntrySchema>;
/** api/catalogue.json. */
export type CatalogueDocument = z.infer<typeof catalogueDocumentSchema>;
/** api/sections/<number>.json. */
export type SectionDocument = z.infer<typeof sectionDocumentSchema>;
/** api/lessons/<id>.json. */
export type LessonDocument = z.infer<typeof lessonDocumentSchema>;

/**
 * The JSON Schema (draft 2020-12) of a document kind, generated from its zod schema.
 * @param kind the document kind
 * @param id the schema's `$id`: the URL it is published at
 * Note: without `baseUrl` the `$id` is the schema's file name, which resolves to the schema file
 * itself (a JSON Schema tool resolves a relative `$id` against the file's own location).
 */
export function apiJsonSchema(kind: ApiDocumentKind, id: string): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(apiDocumentSchemas[kind], { target: 'draft-2020-12' });
  return { $schema, $id: id, ...rest };
}
