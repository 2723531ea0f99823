import type { Blockquote, Paragraph, PhrasingContent, Root } from 'mdast';
import type { VFile } from 'vfile';
import { visit } from 'unist-util-visit';
import type { RuleId } from '../diagnostics/catalogue.js';

/** The callout kinds GitHub's alert syntax knows, in its order. */
export const calloutKinds = ['note', 'tip', 'important', 'warning', 'caution'] as const;

/** A callout kind: `note`, `tip`, `important`, `warning` or `caution`. */
export type CalloutKind = (typeof calloutKinds)[number];

/** What a callout blockquote carries after `remarkCallouts`: its kind and optional title. */
export interface CalloutData {
  kind: CalloutKind;
  /** The words after the marker on its line; empty when there are none. */
  title: PhrasingContent[];
}

declare module 'mdast' {
  interface BlockquoteData {
    /** Set by `remarkCallouts` on a `> [!NOTE]` blockquote. */
    callout?: CalloutData;
  }
}

const marker = /^\[!([A-Za-z]+)\][ \t]*/;

/**
 * Splits the first paragraph of a callout after its marker: the rest of the marker's line is the
 * title, the lines after it stay the paragraph.
 */
function splitTitle(paragraph: Paragraph): PhrasingContent[] {
  const title: PhrasingContent[] = [];
  while (paragraph.children.length > 0) {
    const node = paragraph.children[0]!;
    if (node.type === 'break') {
      paragraph.children.shift();
      break;
    }
    if (node.type === 'text' && node.value.includes('\n')) {
      const at = node.value.indexOf('\n');
      const head = node.value.slice(0, at);
      if (head) title.push({ type: 'text', value: head });
      node.value = node.value.slice(at + 1);
      break;
    }
    title.push(paragraph.children.shift()!);
  }
  const last = title.at(-1);
  if (last?.type === 'text') last.value = last.value.trimEnd();
  return title.filter((node) => node.type !== 'text' || node.value !== '');
}

/**
 * GitHub's alert syntax as callouts: a blockquote whose first line is `[!NOTE]`, `[!TIP]`,
 * `[!IMPORTANT]`, `[!WARNING]` or `[!CAUTION]` (any letter case), optionally followed by a title,
 * gets `data.callout`; the marker and title leave its text. An unknown marker (`[!HINT]`) is a
 * `callout-type` message and the blockquote stays as written.
 * Note: written by hand because the published plugins bake English labels and icons into the tree
 * and have no titles or diagnostics; this is a transform of the blockquotes remark already parsed.
 */
export default function remarkCallouts() {
  return (tree: Root, file: VFile): void => {
    visit(tree, 'blockquote', (node: Blockquote) => {
      const first = node.children[0];
      const lead = first?.type === 'paragraph' ? first.children[0] : undefined;
      if (first?.type !== 'paragraph' || lead?.type !== 'text') return;
      const match = marker.exec(lead.value);
      if (!match) return;
      const kind = match[1]!.toLowerCase();
      if (!(calloutKinds as readonly string[]).includes(kind)) {
        const place = node.position?.start;
        file.message(
          `Unknown callout \`[!${match[1]}]\`. Use one of ${calloutKinds.map((k) => `\`[!${k.toUpperCase()}]\``).join(', ')}, or escape the bracket (\`\\[!${match[1]}]\`) to keep a plain quote.`,
          {
            ...(place ? { place } : {}),
            ruleId: 'callout-type' satisfies RuleId,
            source: 'coursebook',
          },
        );
        return;
      }
      lead.value = lead.value.slice(match[0].length);
      const title = splitTitle(first);
      if (first.children.every((child) => child.type === 'text' && child.value.trim() === '')) node.children.shift();
      node.data = { ...node.data, callout: { kind: kind as CalloutKind, title } };
    });
  };
}
