import type { Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { VFile } from 'vfile';

const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).freeze();

/**
 * Parses a Markdown source (with YAML frontmatter and GitHub-flavoured Markdown) into mdast.
 * This is the one parse a lesson gets per build; every rule and writer reads the tree it returns.
 * @param file the source file; its value must already be decoded text
 */
export function parseMarkdown(file: VFile): Root {
  return parser.parse(file);
}
