import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { FenceProblem } from '../markdown/fences.js';
import type { Lesson } from '../model/course.js';
import type { Rule } from './rule.js';

/** What a swallowing block took: "lines 12–17 (with the heading "Later")". */
function swallowedText(swallowed: NonNullable<FenceProblem['swallowed']>): string {
  const span = swallowed.toEndOfFile ? `everything from line ${swallowed.from} to the end of the file` : `lines ${swallowed.from}–${swallowed.to}`;
  if (swallowed.headings.length === 0) return span;
  const shown = swallowed.headings
    .slice(0, 3)
    .map((heading) => `"${heading}"`)
    .join(', ');
  const more = swallowed.headings.length > 3 ? ` and ${swallowed.headings.length - 3} more` : '';
  return `${span} (with the heading${swallowed.headings.length > 1 ? 's' : ''} ${shown}${more})`;
}

function message(problem: FenceProblem): string {
  const opening = `${problem.fence}${problem.info}`;
  if (problem.kind === 'unclosed') {
    const kind = problem.fence[0] === '`' ? 'backticks' : 'tildes';
    return `The code fence ${opening} opened on line ${problem.position.line} is never closed, so CommonMark reads ${swallowedText(problem.swallowed!)} as code. Close it with a line of ${problem.fence} (at least ${problem.fence.length} ${kind}).`;
  }
  const then = problem.swallowed ? `; the fence on line ${problem.swallowed.from}, meant to close it, opens a code block instead, which takes in ${swallowedText(problem.swallowed)}` : '';
  return `Line ${problem.position.line} (${opening}) looks like an opening code fence but is not one: CommonMark allows no backtick in the info string of a backtick fence, so the line is read as a paragraph${then}. Fence the block with tildes (~~~${problem.info} … ~~~) or take the backticks out of the info string.`;
}

/**
 * `code-fence`: a fenced code block that runs to the end of the file, or a line that looks like an
 * opening backtick fence but has a backtick in its info string (CommonMark reads it as prose, and
 * the fence meant to close it opens a block that swallows what follows).
 */
export const codeFenceRule: Rule = {
  ids: ['code-fence'],
  check(course) {
    const found: Diagnostic[] = [];
    for (const lesson of course.sections.flatMap((section) => section.lessons)) {
      for (const problem of lesson.fenceProblems) found.push(diagnostic('code-fence', lesson.path, problem.position, message(problem)));
    }
    return found;
  },
};

/**
 * Whether a lesson's text is misread because of a code fence, so that advice computed from its
 * text (reading time, anchors) would follow from the misreading rather than from the text.
 * @param lesson the lesson
 */
export function hasFenceProblem(lesson: Lesson): boolean {
  return lesson.fenceProblems.length > 0;
}

/**
 * Whether an anchor is missing from a lesson only because its heading was swallowed by a code fence.
 * @param lesson the linked lesson
 * @param fragment the anchor a link names
 */
export function anchorSwallowed(lesson: Lesson, fragment: string): boolean {
  return lesson.fenceProblems.some((problem) => problem.swallowed?.anchors.includes(fragment));
}
