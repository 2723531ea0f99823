import path from 'node:path';
import { closest } from 'fastest-levenshtein';
import { IntlMessageFormat } from 'intl-messageformat';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { CourseConfig, Point } from '../model/course.js';
import { builtinLabelFolder, isLabelKey, labelKeys, loadLabels } from './catalogue.js';

/**
 * Checks course.yml's `labels` and the catalogue of the course's language, once per run.
 * Note: an override that is not a known key, or not a valid ICU message, is a `course-config`
 * diagnostic and is dropped from `config.labels`, so the build uses the catalogue's label instead.
 * @param root the content root
 * @param config the course settings (its `labels` is edited in place)
 * @param positions where each course.yml field is written
 */
export function checkLabels(root: string, config: CourseConfig, positions: Record<string, Point>): Diagnostic[] {
  const found: Diagnostic[] = [];
  const file = 'course.yml';
  for (const [key, message] of Object.entries(config.labels)) {
    if (!isLabelKey(key)) {
      found.push(diagnostic('course-config', file, positions.labels, `Unknown label \`${key}\` under \`labels\`. Did you mean \`${closest(key, [...labelKeys])}\`?`, { severity: 'warning' }));
      delete config.labels[key];
      continue;
    }
    try {
      new IntlMessageFormat(message, 'en');
    } catch (cause) {
      found.push(
        diagnostic(
          'course-config',
          file,
          positions.labels,
          `Label \`${key}\` is not a valid message (${(cause as Error).message}). Write it as in templates/labels/en.yml, e.g. "{count, plural, one {# lesson} other {# lessons}}".`,
        ),
      );
      delete config.labels[key];
    }
  }
  const folders = [...(config.templates ? [path.join(path.resolve(root, config.templates), 'labels')] : []), builtinLabelFolder];
  const labels = loadLabels(config.language, folders, config.labels);
  if (labels.missing.length === 0) return found;
  const english = loadLabels('en', folders);
  const examples = labels.missing
    .slice(0, 3)
    .map((key) => `"${english.format(key, { number: 1, count: 1, minutes: 1, hours: 1, time: '', lessons: '', lesson: '', title: '', authors: '', query: '' }).trim()}"`);
  const message =
    labels.files.length === 1
      ? `Coursebook has no labels in "${config.language}", so ${labels.missing.length} labels readers see are in English (${examples.join(', ')}, …). Add labels/${config.language}.yml (a translated copy of templates/labels/en.yml) to your templates folder, or set them under \`labels:\`.`
      : `The labels for "${config.language}" lack ${labels.missing.map((key) => `\`${key}\``).join(', ')}; English is used for them. Add them under \`labels:\` or to labels/${config.language}.yml in your templates folder.`;
  found.push(diagnostic('label-missing', file, positions.language, message));
  return found;
}
