import type { Handler, Handlers, State } from 'mdast-util-to-hast';
import type { VFile } from 'vfile';
import { calloutHandler } from './callout.js';
import { mathHandlers } from './math.js';
import { practiceHandler, type PracticeContext } from './practice.js';
import { ConstructSlots } from './slots.js';

export type { PracticeContext } from './practice.js';

/** One body's construct handlers and the placeholders they leave. */
export interface BodyConstructs {
  handlers: Handlers;
  slots: ConstructSlots;
}

declare module 'vfile' {
  interface DataMap {
    /** The construct handlers of the body this file renders (see `fileConstructHandlers`). */
    constructs: BodyConstructs;
  }
}

/**
 * The remark-rehype handlers of every course construct (callouts, exercises, solutions, quizzes,
 * math) for one body, and the placeholders they leave, to fill once the body is sanitised.
 * @param context the lesson's number and practice summary, for exercise and quiz numbers
 */
export function constructHandlers(context: PracticeContext): BodyConstructs {
  const slots = new ConstructSlots();
  return { slots, handlers: { blockquote: calloutHandler(slots, context.labels), containerDirective: practiceHandler(slots, context), ...mathHandlers(slots) } };
}

/** The mdast node types course constructs handle. */
const constructTypes = ['blockquote', 'containerDirective', 'math', 'inlineMath'] as const;

/**
 * Handlers for a processor shared by every body: each call goes to the handlers of the body being
 * rendered, which the renderer puts in `file.data.constructs` (remark-rehype hands the file on).
 * Note: a file without `data.constructs` fails loudly; the render processor is only run by the renderer.
 */
export function fileConstructHandlers(): Handlers {
  const delegate =
    (type: (typeof constructTypes)[number]): Handler =>
    (state: State, node, parent) => {
      const constructs = (state.options.file as VFile | undefined)?.data.constructs;
      if (!constructs) throw new Error('A lesson body was rendered without its construct handlers (file.data.constructs).');
      return constructs.handlers[type]!(state, node as never, parent);
    };
  return Object.fromEntries(constructTypes.map((type) => [type, delegate(type)]));
}
