import type { Element, Root as HastRoot } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { visit } from 'unist-util-visit';

/** A quiz as an LMS imports it: its question and options as HTML, and which options are right. */
export interface QuizItem {
  id: string;
  /** "Quiz 1.2.1". */
  label: string;
  questionHtml: string;
  options: { html: string; correct: boolean }[];
  /** More than one option may be right (checkboxes). */
  multiple: boolean;
}

const hasClass = (node: Element, name: string): boolean => {
  const classes = node.properties.className;
  return Array.isArray(classes) && classes.includes(name);
};

/** The first descendant element with a class. */
function find(node: Element, name: string): Element | undefined {
  let found: Element | undefined;
  visit(node, 'element', (child: Element) => {
    if (!found && child !== node && hasClass(child, name)) found = child;
  });
  return found;
}

const inner = (node: Element | undefined): string => (node ? toHtml(node.children).trim() : '');

/**
 * The quizzes of a rendered lesson body, read from the markup every format shares
 * (section.quiz, .quiz-question, li.quiz-option with data-correct), so an LMS gets exactly what
 * the page shows.
 * @param body the lesson body, links already addressed for the package
 */
export function quizItems(body: HastRoot): QuizItem[] {
  const items: QuizItem[] = [];
  visit(body, 'element', (node: Element) => {
    if (node.tagName !== 'section' || !hasClass(node, 'quiz')) return;
    const options: QuizItem['options'] = [];
    visit(node, 'element', (child: Element) => {
      if (child.tagName === 'li' && hasClass(child, 'quiz-option')) options.push({ html: inner(child), correct: child.properties.dataCorrect !== undefined });
    });
    if (options.length === 0) return;
    items.push({
      id: String(node.properties.id ?? `quiz-${items.length + 1}`),
      label: inner(find(node, 'quiz-label')).replace(/<[^>]*>/g, ''),
      questionHtml: inner(find(node, 'quiz-question')),
      options,
      multiple: node.properties.dataMultiple === 'true' || options.filter((option) => option.correct).length > 1,
    });
  });
  return items;
}
