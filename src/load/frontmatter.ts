import type { Root, Yaml } from 'mdast';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { readYamlFields, type YamlFields } from '../shared/fields.js';

/**
 * Finds the frontmatter of a parsed Markdown file and reads it as YAML.
 * @param tree the file's mdast (its first child is the `yaml` node when there is frontmatter)
 * @param file path relative to the content root
 */
export function readFrontmatter(tree: Root, file: string): YamlFields & { present: boolean } {
  const first = tree.children[0];
  if (first?.type !== 'yaml') {
    return {
      present: false,
      rawScalars: {},
      positions: {},
      diagnostics: [diagnostic('frontmatter-schema', file, { line: 1, column: 1 }, 'No frontmatter: start the file with a `---` block of YAML fields, closed by another `---`.')],
    };
  }
  const yamlNode = first as Yaml;
  const firstLine = (yamlNode.position?.start.line ?? 1) + 1;
  return { present: true, ...readYamlFields(yamlNode.value, file, firstLine, { syntax: 'frontmatter-syntax', schema: 'frontmatter-schema' }) };
}
