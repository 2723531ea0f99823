import type { Handlers } from 'mdast-util-to-hast';
import { calloutHandler } from './callout.js';
import { mathHandlers } from './math.js';
import { practiceHandler, type PracticeContext } from './practice.js';
import { ConstructSlots } from './slots.js';

export type { PracticeContext } from './practice.js';

/**
 * The remark-rehype handlers of every course construct (callouts, exercises, solutions, quizzes,
 * math) for one body, and the placeholders they leave, to fill once the body is sanitised.
 * @param context the lesson's number and practice summary, for exercise and quiz numbers
 */
export function constructHandlers(context: PracticeContext): { handlers: Handlers; slots: ConstructSlots } {
  const slots = new ConstructSlots();
  return { slots, handlers: { blockquote: calloutHandler(slots, context.labels), containerDirective: practiceHandler(slots, context), ...mathHandlers(slots) } };
}
