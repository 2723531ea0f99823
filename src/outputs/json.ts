import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import type { z } from 'zod';
import {
  apiDocumentSchemas,
  apiJsonSchema,
  apiVersion,
  type ApiDocumentKind,
  type CatalogueDocument,
  type CourseEntry,
  type LessonDocument,
  type LessonEntry,
  type SectionDocument,
  type SectionEntry,
} from './catalogue-schema.js';
import type { Course, Lesson, Section } from '../model/course.js';
import { courseLabels, minutesLabel, sectionMinutes, sectionTotalLabel } from '../render/labels.js';
import { practiceLabel, sectionPracticeMinutes } from '../render/practice-view.js';
import { bodyText } from '../render/lesson-body.js';
import { copyForLinks, relativeUrl, rewriteLinks } from '../render/links.js';
import { courseStructuredData, lessonStructuredData, sectionStructuredData } from '../render/structured-data.js';
import { outputPaths, publicUrl } from '../render/paths.js';
import { apiLinkPolicy } from '../render/site-links.js';
import { hashOf } from '../cache/fingerprint.js';
import { writeOutput } from './files.js';
import { openApiDocument, openApiPath } from './openapi.js';
import type { PublishContext, Writer } from './writer.js';

/** schema-dts types have no index signature; the data is a plain JSON object, which the document schema checks on write. */
const asSchemaOrg = (data: object): CatalogueDocument['schemaOrg'] => data as CatalogueDocument['schemaOrg'];

/** Where a document kind's JSON Schema is published. */
const schemaPath = (kind: ApiDocumentKind): string => `${outputPaths.schemas}/${kind}.schema.json`;

/**
 * The downloads of a section (or of the course), from the plan: every format that offers downloads,
 * with its URL when it is built in this run, else null.
 */
function downloadUrls(context: PublishContext, section?: Section): Record<string, string | null> {
  const built = new Map(context.plan.downloads(section).map((artifact) => [artifact.format, publicUrl(context.course, artifact.path)] as const));
  return Object.fromEntries(context.plan.downloadFormats.map((format) => [format, built.get(format) ?? null]));
}

/** Each lesson's source hash, by lesson: `serve` keeps unchanged lessons between rebuilds, so each text is hashed once. */
const contentHashes = new WeakMap<Lesson, string>();

/** The `sha256:` hash of a lesson's source text. */
function contentHashOf(lesson: Lesson): string {
  let hash = contentHashes.get(lesson);
  if (!hash) contentHashes.set(lesson, (hash = `sha256:${createHash('sha256').update(String(lesson.file.value)).digest('hex')}`));
  return hash;
}

function lessonEntry(course: Course, lesson: Lesson): LessonEntry {
  return {
    id: lesson.id,
    slug: lesson.slug,
    title: lesson.title,
    summary: lesson.summary,
    group: lesson.group ?? null,
    minutes: { declared: lesson.minutes, computed: lesson.computedMinutes, label: minutesLabel(courseLabels(course), lesson.minutes) },
    words: lesson.words,
    practice: { minutes: lesson.practice.minutes, label: practiceLabel(courseLabels(course), lesson.practice.minutes) },
    objectives: lesson.objectives,
    requires: lesson.requires,
    exercises: lesson.practice.exercises.map((exercise) => ({
      id: exercise.id,
      title: exercise.title,
      number: `${lesson.id}.${exercise.position}`,
      difficulty: (exercise.difficulty as 'easy' | 'medium' | 'hard' | undefined) ?? null,
      minutes: exercise.minutes,
    })),
    quizzes: lesson.practice.quizzes.map((quiz) => ({ id: quiz.id, question: quiz.question })),
    headings: lesson.headings.map(({ depth, text, id }) => ({ depth, text, id })),
    url: publicUrl(course, outputPaths.lesson(lesson)),
    apiUrl: publicUrl(course, outputPaths.lessonApi(lesson)),
    contentHash: contentHashOf(lesson),
  };
}

function sectionEntry(context: PublishContext, section: Section): SectionEntry {
  const { course } = context;
  const minutes = sectionMinutes(section);
  return {
    number: section.number,
    slug: section.slug,
    title: section.title,
    summary: section.summary,
    url: publicUrl(course, outputPaths.section(section)),
    apiUrl: publicUrl(course, outputPaths.sectionApi(section)),
    totals: {
      lessons: section.lessons.length,
      minutes,
      readingTime: courseLabels(course).readingTime(minutes),
      practiceMinutes: sectionPracticeMinutes(section),
      label: sectionTotalLabel(courseLabels(course), section),
    },
    downloads: downloadUrls(context, section),
    groups: section.groups.map((group) => ({ title: group.title || null, lessons: group.lessons.map((lesson) => lesson.id) })),
    lessons: section.lessons.map((lesson) => lessonEntry(course, lesson)),
  };
}

function courseEntry(context: PublishContext): CourseEntry {
  const { course } = context;
  const { config } = course;
  return {
    title: config.title,
    subtitle: config.subtitle ?? null,
    authors: config.authors,
    language: config.language,
    identifier: config.identifier,
    description: config.description ?? null,
    url: publicUrl(course, outputPaths.home),
    downloads: downloadUrls(context),
    totals: {
      lessons: course.sections.reduce((sum, section) => sum + section.lessons.length, 0),
      minutes: course.sections.reduce((sum, section) => sum + sectionMinutes(section), 0),
      practiceMinutes: course.sections.reduce((sum, section) => sum + sectionPracticeMinutes(section), 0),
    },
  };
}

/** A lesson's body for the API: the shared body with links relative to the site root (or absolute). */
function lessonBody(context: PublishContext, lesson: Lesson): { html: string; text: string } {
  const body = rewriteLinks(copyForLinks(context.render.body(lesson)), lesson, apiLinkPolicy(context.course, lesson));
  return { html: context.render.html(body), text: bodyText(body) };
}

/** 2-space JSON with a trailing newline. */
const jsonText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Writes one document: parsed through its schema first, so a writer bug fails the build instead of
 * publishing a document its own schema rejects, and keys come out in the schema's order.
 */
async function writeDocument(outDir: string, outputPath: string, schema: z.ZodType, document: unknown): Promise<void> {
  await writeOutput(outDir, outputPath, jsonText(schema.parse(document)));
}

/**
 * The JSON catalogue API: api/catalogue.json, one document per section and per lesson, and the
 * JSON Schema of each document kind under api/schemas/.
 * Note: the only date in the output is the build date, so the same sources give the same bytes.
 */
export const jsonWriter: Writer = {
  name: 'json',
  description: 'a JSON catalogue API with JSON Schemas (api/catalogue.json)',
  artifacts: (course) => [
    { scope: 'site', path: outputPaths.catalogue, label: course.config.title },
    { scope: 'site', path: openApiPath, label: 'OpenAPI description' },
    ...(Object.keys(apiDocumentSchemas) as ApiDocumentKind[]).map((kind) => ({ scope: 'site' as const, path: schemaPath(kind), label: `${kind} schema` })),
    ...course.sections.flatMap((section) => [
      { scope: 'section' as const, path: outputPaths.sectionApi(section), label: section.title, section },
      ...section.lessons.map((lesson) => ({ scope: 'lesson' as const, path: outputPaths.lessonApi(lesson), label: lesson.title, section, lesson })),
    ]),
  ],
  async publish(context) {
    const { course, outDir } = context;
    // `$schema` resolves from the document's own URL: absolute under baseUrl, else relative to the document.
    const schemaRef = (kind: ApiDocumentKind, document: string): string => (course.config.baseUrl ? publicUrl(course, schemaPath(kind)) : relativeUrl(document, schemaPath(kind)));
    const siteUrl = (target: string): string => publicUrl(course, target);
    for (const kind of Object.keys(apiDocumentSchemas) as ApiDocumentKind[]) {
      await writeOutput(outDir, schemaPath(kind), jsonText(apiJsonSchema(kind, schemaRef(kind, schemaPath(kind)))));
    }
    await writeOutput(outDir, openApiPath, jsonText(openApiDocument(course, schemaPath)));
    const sections = course.sections.map((section) => sectionEntry(context, section));
    const catalogue: CatalogueDocument = {
      $schema: schemaRef('catalogue', outputPaths.catalogue),
      apiVersion,
      generated: context.buildDate.toISOString(),
      course: courseEntry(context),
      sections,
      schemaOrg: asSchemaOrg(courseStructuredData(course, siteUrl)),
    };
    await writeDocument(outDir, outputPaths.catalogue, apiDocumentSchemas.catalogue, catalogue);
    const lessonCount = sections.reduce((sum, entry) => sum + entry.lessons.length, 0);
    let lessonsWritten = 0;
    const limit = pLimit(16);
    const tasks: Promise<void>[] = [];
    for (const [index, section] of course.sections.entries()) {
      const entry = sections[index]!;
      const sectionDocument: SectionDocument = {
        $schema: schemaRef('section', outputPaths.sectionApi(section)),
        apiVersion,
        section: entry,
        schemaOrg: asSchemaOrg(sectionStructuredData(course, section, siteUrl)),
      };
      // The document is its own key: a rebuild after one lesson's edit rewrites only its section's.
      await context.cache.cached(outDir, {
        format: 'json',
        key: hashOf('json-section', context.keys.base, sectionDocument),
        files: [outputPaths.sectionApi(section)],
        produce: async () => {
          await writeDocument(outDir, outputPaths.sectionApi(section), apiDocumentSchemas.section, sectionDocument);
        },
      });
      for (const [position, lesson] of section.lessons.entries()) {
        tasks.push(
          limit(async () => {
            const file = outputPaths.lessonApi(lesson);
            const header: Omit<LessonDocument, 'lesson'> = {
              $schema: schemaRef('lesson', file),
              apiVersion,
              section: { number: entry.number, title: entry.title, url: entry.url, apiUrl: entry.apiUrl },
              schemaOrg: asSchemaOrg(lessonStructuredData(course, section, lesson, siteUrl)),
            };
            // The document is its own view: everything in it but the body is hashed whole.
            const key = hashOf('json-lesson', context.keys.base, context.keys.lesson(lesson), header, entry.lessons[position]);
            await context.cache.cached(outDir, {
              format: 'json',
              key,
              files: [file],
              produce: async () => {
                await context.render.prepare([lesson]);
                const lessonDocument: LessonDocument = { ...header, lesson: { ...entry.lessons[position]!, ...lessonBody(context, lesson) } };
                await writeDocument(outDir, file, apiDocumentSchemas.lesson, lessonDocument);
              },
            });
            context.progress(++lessonsWritten, lessonCount, lesson.id);
          }),
        );
      }
    }
    await Promise.all(tasks);
    return `${1 + sections.length + lessonCount} documents, ${Object.keys(apiDocumentSchemas).length} schemas`;
  },
};
