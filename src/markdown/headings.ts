import type {} from 'mdast-util-to-hast';
import GithubSlugger from 'github-slugger';
import type { Heading, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import type { LessonHeading } from '../model/course.js';

/** A trailing `{#id}` attribute block, as pandoc, kramdown, mdBook and Hugo write it. */
const explicitIdPattern = /[ \t]*\{#([^\s{}]+)\}[ \t]*$/;

/**
 * Takes a trailing `{#id}` off a heading, so the braces never reach any output.
 * @returns the id, or undefined when the heading has none
 */
function takeExplicitId(node: Heading): string | undefined {
  const last = node.children.at(-1);
  if (last?.type !== 'text') return undefined;
  const match = explicitIdPattern.exec(last.value);
  if (!match) return undefined;
  last.value = last.value.slice(0, match.index);
  if (last.value === '') node.children.pop();
  return match[1];
}

/**
 * Gives every heading its anchor id and lists them: the author's `{#id}` when the heading ends
 * with one, else GitHub's slug of its text (`-1`, `-2` for repeats, never an explicit id).
 * Note: the id is stored on the mdast node as `data.hProperties.id`, so every writer that goes
 * through remark-rehype emits the same anchors that `check` validated; a `{#id}` is removed from
 * the heading's text. Two headings with the same explicit id keep it both (`heading-id` reports it).
 * @param tree the lesson's mdast; headings are annotated in place
 */
export function assignHeadingIds(tree: Root): LessonHeading[] {
  const found: { node: Heading; explicit?: string }[] = [];
  visit(tree, 'heading', (node: Heading) => {
    const explicit = takeExplicitId(node);
    found.push(explicit === undefined ? { node } : { node, explicit });
  });
  const slugger = new GithubSlugger();
  const explicitIds = new Set(found.flatMap(({ explicit }) => (explicit === undefined ? [] : [explicit])));
  return found.map(({ node, explicit }) => {
    const text = toString(node).trim();
    let id = explicit;
    if (id === undefined)
      do id = slugger.slug(text || 'section');
      while (explicitIds.has(id));
    node.data = { ...node.data, hProperties: { ...node.data?.hProperties, id } };
    const heading: LessonHeading = {
      depth: node.depth,
      text,
      id,
      position: { line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 },
    };
    if (explicit !== undefined) heading.explicit = true;
    return heading;
  });
}
