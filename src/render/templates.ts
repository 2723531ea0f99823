import nunjucks from 'nunjucks';
import type { LabelKey, LabelParams } from '../labels/catalogue.js';
import type { Course } from '../model/course.js';
import { CoursebookError } from '../shared/errors.js';
import { courseLabels } from './labels.js';
import { builtinTemplates, templateFolders } from './template-folders.js';

export { builtinTemplates, templateFolders };

/**
 * A Nunjucks environment over the course's template folders. Output is HTML-escaped by default;
 * only values marked `| safe` (rendered lesson bodies) are inserted as markup. The global
 * `label(key, params)` formats a label in the course's language.
 * @param course the course
 */
export function createTemplateEnvironment(course: Course): nunjucks.Environment {
  const loader = new nunjucks.FileSystemLoader(templateFolders(course), { noCache: false });
  const env = new nunjucks.Environment(loader, { autoescape: true, trimBlocks: true, lstripBlocks: true, throwOnUndefined: false });
  // Templates ask for words by key (`label('coverAlt', {title: …})`); the view model carries the plain ones ready-made.
  return env.addGlobal('label', (key: LabelKey, params?: LabelParams) => courseLabels(course).format(key, params));
}

/**
 * Renders a template, turning template errors into a message that names the template.
 * @param env the environment
 * @param name template path, e.g. "site/lesson.njk"
 * @param context the view
 */
export function renderTemplate(env: nunjucks.Environment, name: string, context: object): string {
  try {
    return env.render(name, context);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message.replace(/\s+/g, ' ').trim() : String(cause);
    throw new CoursebookError(`Template ${name} failed: ${reason}`, { cause });
  }
}
