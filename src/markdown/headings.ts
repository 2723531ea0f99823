import type {} from 'mdast-util-to-hast';
import GithubSlugger from 'github-slugger';
import type { Heading, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import type { LessonHeading } from '../model/course.js';

/**
 * Gives every heading its anchor id (GitHub's slugs, `-1`, `-2` for repeats) and lists them.
 * Note: the id is stored on the mdast node as `data.hProperties.id`, so every writer that goes
 * through remark-rehype emits the same anchors that `check` validated.
 * @param tree the lesson's mdast; headings are annotated in place
 */
export function assignHeadingIds(tree: Root): LessonHeading[] {
  const slugger = new GithubSlugger();
  const headings: LessonHeading[] = [];
  visit(tree, 'heading', (node: Heading) => {
    const text = toString(node).trim();
    const id = slugger.slug(text || 'section');
    node.data = { ...node.data, hProperties: { ...node.data?.hProperties, id } };
    headings.push({
      depth: node.depth,
      text,
      id,
      position: { line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 },
    });
  });
  return headings;
}
