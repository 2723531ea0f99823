import { apiVersion, type ApiDocumentKind } from './catalogue-schema.js';
import type { Course } from '../model/course.js';
import { relativeUrl } from '../render/links.js';
import { outputPaths, publicUrl } from '../render/paths.js';

/** Where the API's OpenAPI description is published. */
export const openApiPath = 'api/openapi.json';

/**
 * The OpenAPI 3.1 description of the static catalogue API: each path, its parameter's values, and
 * its response by `$ref` to the published JSON Schema of its document kind.
 * Note: references are relative to this document (or absolute under `baseUrl`), and without
 * `baseUrl` the server is `..`, the site root as seen from api/openapi.json, which OpenAPI
 * resolves against the document's own URL.
 * @param course the course
 * @param schemaPath where a document kind's schema is published
 */
export function openApiDocument(course: Course, schemaPath: (kind: ApiDocumentKind) => string): Record<string, unknown> {
  const base = course.config.baseUrl;
  const ref = (kind: ApiDocumentKind): string => (base ? publicUrl(course, schemaPath(kind)) : relativeUrl(openApiPath, schemaPath(kind)));
  const response = (kind: ApiDocumentKind, description: string): Record<string, unknown> => ({
    '200': { description, content: { 'application/json': { schema: { $ref: ref(kind) } } } },
    '404': { description: 'No such document.' },
  });
  const lessonIds = course.sections.flatMap((section) => section.lessons.map((lesson) => lesson.id));
  // The templates of outputPaths.sectionApi and outputPaths.lessonApi.
  const sectionPath = `${outputPaths.api}/sections/{n}.json`;
  const lessonPath = `${outputPaths.api}/lessons/{id}.json`;
  return {
    openapi: '3.1.0',
    info: {
      title: `${course.config.title}: catalogue API`,
      version: apiVersion,
      description: 'A static, read-only API: JSON documents of the course, its sections and its lessons, published with the site by Coursebook.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: base ? base.replace(/\/+$/, '') : '..', description: 'Where the site is published.' }],
    paths: {
      [`/${outputPaths.catalogue}`]: {
        get: { operationId: 'getCatalogue', summary: 'The whole course, its sections and lessons, without lesson bodies.', responses: response('catalogue', 'The catalogue.') },
      },
      [`/${sectionPath}`]: {
        get: {
          operationId: 'getSection',
          summary: 'One section, its groups and lessons.',
          parameters: [{ name: 'n', in: 'path', required: true, description: 'The section number.', schema: { type: 'integer', enum: course.sections.map((section) => section.number) } }],
          responses: response('section', 'The section.'),
        },
      },
      [`/${lessonPath}`]: {
        get: {
          operationId: 'getLesson',
          summary: 'One lesson with its rendered body and plain text.',
          parameters: [{ name: 'id', in: 'path', required: true, description: 'The lesson number, such as 4.1.', schema: { type: 'string', enum: lessonIds } }],
          responses: response('lesson', 'The lesson.'),
        },
      },
    },
  };
}
