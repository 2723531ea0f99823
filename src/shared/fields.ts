import { closest, distance } from 'fastest-levenshtein';
import { location } from 'vfile-location';
import { isMap, isScalar, parseDocument, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { RuleId } from '../diagnostics/catalogue.js';
import type { Point } from '../model/course.js';

/**
 * Reading YAML settings and frontmatter with positions, and validating them field by field with zod:
 * shared by course.yml (config/) and lesson and section frontmatter (load/).
 */

/** Aliases a YAML document may expand before it is refused as a billion-laughs bomb. */
const maxAliasCount = 100;

/** A YAML mapping read from a source file, with where each key's value is written. */
export interface YamlFields {
  /** The mapping, or undefined when the YAML did not parse or is not a mapping. */
  fields?: Record<string, unknown>;
  /** Raw source text of scalar values, by key (`lesson: 4.10` gives "4.10"). */
  rawScalars: Record<string, string>;
  positions: Record<string, Point>;
  diagnostics: Diagnostic[];
}

/**
 * Parses YAML text into a mapping, reporting syntax errors at their line in the source file.
 * @param yamlText the YAML source
 * @param file path relative to the content root, for diagnostics
 * @param firstLine the file line on which `yamlText` starts
 * @param rules which rule ids report syntax and shape problems
 */
export function readYamlFields(yamlText: string, file: string, firstLine: number, rules: { syntax: RuleId; schema: RuleId }): YamlFields {
  const where = location(yamlText);
  const pointAt = (offset: number): Point => {
    const p = where.toPoint(Math.min(offset, yamlText.length));
    return p ? { line: p.line + firstLine - 1, column: p.column } : { line: firstLine, column: 1 };
  };
  const result: YamlFields = { rawScalars: {}, positions: {}, diagnostics: [] };
  const doc = parseDocument(yamlText, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const at = pointAt(error.pos[0]);
      const reason = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'invalid YAML';
      result.diagnostics.push(diagnostic(rules.syntax, file, at, `YAML does not parse: ${reason}. Fix the YAML at this line.`));
    }
    return result;
  }
  if (doc.contents === null) {
    result.fields = {};
    return result;
  }
  if (!isMap(doc.contents)) {
    result.diagnostics.push(diagnostic(rules.schema, file, pointAt(doc.contents.range?.[0] ?? 0), 'Expected a map of `key: value` fields, found a list or a single value.'));
    return result;
  }
  let fields: unknown;
  try {
    fields = doc.toJS({ maxAliasCount });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    result.diagnostics.push(diagnostic(rules.syntax, file, pointAt(0), `YAML was refused: ${reason}. Remove the nested aliases (&anchor / *alias).`));
    return result;
  }
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key === undefined) continue;
    const valueNode = pair.value as YamlNode | null;
    const keyNode = pair.key as YamlNode;
    result.positions[key] = pointAt(valueNode?.range?.[0] ?? keyNode.range?.[0] ?? 0);
    if (valueNode && isScalar(valueNode) && valueNode.range) {
      result.rawScalars[key] = yamlText.slice(valueNode.range[0], valueNode.range[1]).trim();
    }
  }
  result.fields = fields as Record<string, unknown>;
  return result;
}

/** Describes a value for a message: its type and a short rendering. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  const text = JSON.stringify(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 37)}…` : text}`;
}

/**
 * Validates fields one by one against a zod object schema, so one bad field never hides the others.
 * Unknown fields are warnings with a did-you-mean.
 * @param schema the zod object schema
 * @param yaml the fields as read, with their positions
 * @param context file, rule id, and the place to point at for missing fields
 * @returns the fields that validated (with defaults) and one diagnostic per problem
 */
export function validateFields<Shape extends z.ZodRawShape>(
  schema: z.ZodObject<Shape>,
  yaml: Pick<YamlFields, 'fields' | 'positions'>,
  context: { file: string; rule: RuleId; start: Point; what: string },
): { value: Partial<z.output<z.ZodObject<Shape>>>; valid: boolean; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const fields = yaml.fields ?? {};
  const value: Record<string, unknown> = {};
  let valid = yaml.fields !== undefined;
  const known = Object.keys(schema.shape);
  for (const key of known) {
    const fieldSchema = schema.shape[key] as z.ZodType;
    const present = Object.hasOwn(fields, key) && fields[key] !== null;
    const parsed = fieldSchema.safeParse(present ? fields[key] : undefined);
    if (parsed.success) {
      if (parsed.data !== undefined) value[key] = parsed.data;
      continue;
    }
    valid = false;
    if (yaml.fields === undefined) continue;
    if (!present) {
      diagnostics.push(diagnostic(context.rule, context.file, context.start, `Missing required field \`${key}\` in ${context.what}: add \`${key}: …\`.`));
      continue;
    }
    const issue = parsed.error.issues[0];
    const reason = issue?.message.replace(/^Invalid input: /, '') ?? 'is invalid';
    diagnostics.push(
      diagnostic(context.rule, context.file, yaml.positions[key] ?? context.start, `Field \`${key}\` ${reason.startsWith('must') ? reason : `is invalid: ${reason}`} (got ${describe(fields[key])}).`),
    );
  }
  for (const key of Object.keys(fields)) {
    if (known.includes(key)) continue;
    const guess = closest(key, known);
    const hint = guess && distance(key, guess) <= Math.max(2, Math.floor(key.length / 3)) ? ` Did you mean \`${guess}\`?` : ` Known fields: ${known.join(', ')}.`;
    diagnostics.push(diagnostic(context.rule, context.file, yaml.positions[key] ?? context.start, `Unknown field \`${key}\` in ${context.what}.${hint}`, { severity: 'warning' }));
  }
  return { value: value as Partial<z.output<z.ZodObject<Shape>>>, valid, diagnostics };
}
