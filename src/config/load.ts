import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { closest } from 'fastest-levenshtein';
import { isRuleId, ruleIds } from '../diagnostics/catalogue.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { checkLabels } from '../labels/check.js';
import { readYamlFields, validateFields } from '../shared/fields.js';
import { CoursebookError } from '../shared/errors.js';
import type { CourseConfig } from '../model/course.js';
import { courseConfigSchema } from '../model/schemas.js';
import { resolvePlugin, type CoursePlugins } from './plugins.js';

/**
 * A stable identifier derived from the title, never random: a name-based UUID (version 5 layout
 * over SHA-1), so it is plain ASCII whatever script the title is in.
 * @param title the course title
 */
export function titleIdentifier(title: string): string {
  const bytes = createHash('sha1').update(`coursebook:${title}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The name of the course metadata file at the content root. */
export const configFileName = 'course.yml';

/**
 * Reads and validates course.yml.
 * Note: a course.yml that is missing, unreadable or not YAML stops the run (CoursebookError, exit 2);
 * a setting with the wrong type is a `course-config` diagnostic and its default is used.
 * @param root absolute path of the content root
 */
export async function loadConfig(root: string): Promise<{ config: CourseConfig; diagnostics: Diagnostic[] }> {
  const file = path.join(root, configFileName);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new CoursebookError(`${root} has no ${configFileName}: is this a course folder? Create ${configFileName} with at least \`title: …\`.`, { cause });
    }
    throw new CoursebookError(`Could not read ${file}: ${(cause as Error).message}`, { cause });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const yaml = readYamlFields(text, configFileName, 1, { syntax: 'course-config', schema: 'course-config' });
  if (yaml.fields === undefined) {
    const first = yaml.diagnostics[0];
    const where = first ? `${configFileName}:${first.line}:${first.column}` : configFileName;
    throw new CoursebookError(`Could not parse ${where} in ${root}: ${first?.message ?? 'not a YAML map'}`);
  }
  const checked = validateFields(courseConfigSchema, yaml, { file: configFileName, rule: 'course-config', start: { line: 1, column: 1 }, what: configFileName });
  const diagnostics = checked.diagnostics;
  const settings = courseConfigSchema.parse({ title: path.basename(root), ...checked.value });
  const rules: CourseConfig['rules'] = {};
  for (const [id, severity] of Object.entries(settings.rules)) {
    if (isRuleId(id)) {
      rules[id] = severity;
      continue;
    }
    diagnostics.push(diagnostic('course-config', configFileName, yaml.positions.rules, `Unknown rule \`${id}\` under \`rules\`. Did you mean \`${closest(id, ruleIds)}\`?`, { severity: 'warning' }));
  }
  const plugins: CoursePlugins = { remark: [], rehype: [] };
  for (const kind of ['remark', 'rehype'] as const) {
    for (const entry of settings.plugins[kind]) {
      const [name, options] = typeof entry === 'string' ? [entry, undefined] : entry;
      const found = resolvePlugin(root, name, options);
      if (found) plugins[kind].push(found);
      else {
        const where = name.startsWith('.') || path.isAbsolute(name) ? `no file ${path.resolve(root, name)}` : `not installed in ${path.join(root, 'node_modules')} nor beside Coursebook`;
        diagnostics.push(
          diagnostic(
            'course-config',
            configFileName,
            yaml.positions.plugins,
            `The ${kind} plugin \`${name}\` cannot be found (${where}). Install it (\`npm install ${name}\` in the content folder) or remove it from \`plugins\`.`,
          ),
        );
      }
    }
  }
  const { author, plugins: _written, ...rest } = settings;
  const config: CourseConfig = {
    ...rest,
    plugins,
    rules,
    authors: author === undefined ? [] : Array.isArray(author) ? author : [author],
    identifier: settings.identifier ?? titleIdentifier(settings.title),
  };
  diagnostics.push(...checkLabels(root, config, yaml.positions));
  return { config, diagnostics };
}
