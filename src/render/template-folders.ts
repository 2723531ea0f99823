import { existsSync } from 'node:fs';
import path from 'node:path';
import { CoursebookError } from '../shared/errors.js';
import { isInside } from '../shared/paths.js';
import type { Course } from '../model/course.js';

/** The built-in templates folder shipped with Coursebook. */
export const builtinTemplates = path.resolve(import.meta.dirname, '..', '..', 'templates');

/**
 * The template folders of a course, most specific first: course.yml's `templates` (resolved
 * against the content root, and required to be inside it), then the built-in templates, so a
 * course overrides only the files it wants to.
 * @param course the course
 */
export function templateFolders(course: Course): string[] {
  const custom = course.config.templates;
  if (!custom) return [builtinTemplates];
  const folder = path.resolve(course.root, custom);
  if (!isInside(course.root, folder)) throw new CoursebookError(`course.yml: templates folder "${custom}" is outside the content root; put it inside the content folder.`);
  if (!existsSync(folder)) throw new CoursebookError(`course.yml: templates folder "${custom}" does not exist (looked for ${folder}).`);
  return [folder, builtinTemplates];
}
