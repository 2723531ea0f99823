import type { ContainerDirective } from 'mdast-util-directive';
import type { List, Nodes, Root } from 'mdast';
import type { VFile } from 'vfile';
import { SKIP, visit } from 'unist-util-visit';
import type { RuleId } from '../diagnostics/catalogue.js';

/** The container directives Coursebook knows, and where each may stand. */
export const knownDirectives = ['exercise', 'solution', 'quiz'] as const;

/** Exercise difficulties, easiest first. */
export const difficulties = ['easy', 'medium', 'hard'] as const;

type Report = (node: Nodes, rule: RuleId, reason: string) => void;

/** `:::solution` stands only directly inside an exercise, once. */
function checkExercise(node: ContainerDirective, report: Report): void {
  const solutions = node.children.filter((child) => child.type === 'containerDirective' && child.name === 'solution');
  if (solutions.length > 1) report(solutions[1]!, 'exercise-structure', 'This exercise has a second `:::solution`. Merge its solutions into one.');
  const attributes = node.attributes ?? {};
  const difficulty = attributes.difficulty;
  if (difficulty != null && !(difficulties as readonly string[]).includes(difficulty)) {
    report(node, 'exercise-structure', `Difficulty "${difficulty}" is not one of ${difficulties.map((d) => `"${d}"`).join(', ')}. Use one of them.`);
  }
  const minutes = attributes.minutes;
  if (minutes != null && !/^[1-9]\d{0,2}$/.test(minutes)) report(node, 'exercise-structure', `\`minutes="${minutes}"\` is not a whole number of minutes. Write it as \`minutes="10"\`.`);
  const assesses = attributes.assesses;
  if (assesses != null && !/^\s*[1-9]\d*(\s*,\s*[1-9]\d*)*\s*$/.test(assesses)) {
    report(node, 'exercise-structure', `\`assesses="${assesses}"\` is not a list of objective numbers. Write the 1-based numbers of the lesson's objectives, such as \`assesses="1,3"\`.`);
  }
}

/** A quiz is a question, one task list of options with at least one checked, and an optional explanation. */
function checkQuiz(node: ContainerDirective, report: Report): void {
  const lists = node.children.filter((child): child is List => child.type === 'list');
  const attributes = node.attributes ?? {};
  if (attributes.assesses != null && !/^\s*[1-9]\d*(\s*,\s*[1-9]\d*)*\s*$/.test(attributes.assesses)) {
    report(node, 'quiz-structure', `\`assesses="${attributes.assesses}"\` is not a list of objective numbers. Write the 1-based numbers of the lesson's objectives, such as \`assesses="2"\`.`);
  }
  if (!node.children.some((child) => child.type === 'paragraph' && !child.data?.directiveLabel))
    report(node, 'quiz-structure', 'This quiz has no question. Write the question as a paragraph before its options.');
  if (lists.length !== 1) {
    report(
      lists[1] ?? node,
      'quiz-structure',
      lists.length === 0 ? 'This quiz has no options. List them as a task list: `- [x] right` and `- [ ] wrong`.' : 'This quiz has more than one list of options. Give it one task list.',
    );
    return;
  }
  const options = lists[0]!.children;
  for (const option of options) {
    if (option.checked === null || option.checked === undefined)
      report(option, 'quiz-structure', 'This option is not a task-list item. Write it as `- [ ] option`, or `- [x] option` when it is right.');
  }
  if (options.length < 2) report(lists[0]!, 'quiz-structure', 'This quiz has fewer than two options. Give it at least two.');
  if (!options.some((option) => option.checked === true)) report(lists[0]!, 'quiz-structure', 'No option of this quiz is marked right. Mark the right ones `- [x]`.');
}

/**
 * Coursebook's directives: `::::exercise` with a nested `:::solution`, and `:::quiz`. Any other
 * container or leaf directive is an `unknown-directive` message (never dropped, never shown as
 * colons); exercises and quizzes that break their shape are `exercise-structure` and
 * `quiz-structure` messages. A text directive (`:name` inside a sentence, as in `ratio:value`)
 * that Coursebook does not know is turned back into the text it was written as.
 */
export default function remarkCourseDirectives() {
  return (tree: Root, file: VFile): void => {
    const source = String(file.value);
    const report: Report = (node, rule, reason) => {
      const place = node.position?.start;
      file.message(reason, { ...(place ? { place } : {}), ruleId: rule, source: 'coursebook' });
    };
    visit(tree, (node, index, parent) => {
      if (node.type === 'textDirective' && parent && index !== undefined) {
        const { start, end } = node.position ?? {};
        const value = start?.offset !== undefined && end?.offset !== undefined ? source.slice(start.offset, end.offset) : `:${node.name}`;
        parent.children[index] = { type: 'text', value, ...(node.position ? { position: node.position } : {}) };
        return SKIP;
      }
      if (node.type === 'leafDirective') {
        report(
          node,
          'unknown-directive',
          `Unknown directive \`::${node.name}\`. Coursebook knows \`::::exercise\` (with \`:::solution\`) and \`:::quiz\`; escape the colons (\`\\::\`) to write them as text.`,
        );
        return SKIP;
      }
      if (node.type !== 'containerDirective') return undefined;
      const inExercise = parent?.type === 'containerDirective' && parent.name === 'exercise';
      if (node.name === 'exercise') checkExercise(node, report);
      else if (node.name === 'quiz') checkQuiz(node, report);
      else if (node.name === 'solution') {
        if (!inExercise) report(node, 'exercise-structure', 'A `:::solution` stands outside an exercise. Put it inside its `::::exercise`, before the exercise closes.');
      } else {
        report(
          node,
          'unknown-directive',
          `Unknown directive \`:::${node.name}\`. Coursebook knows \`::::exercise\` (with \`:::solution\`) and \`:::quiz\`; check the name, or escape the colons (\`\\:::\`) to write them as text.`,
        );
      }
      if ((node.name === 'exercise' || node.name === 'quiz') && parent?.type === 'containerDirective') {
        report(node, 'exercise-structure', `An \`${node.name}\` stands inside \`:::${parent.name}\`. Exercises and quizzes stand on their own.`);
      }
      return undefined;
    });
  };
}
