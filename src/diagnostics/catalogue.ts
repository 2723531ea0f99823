/**
 * Every rule Coursebook checks, with its permanent id and default severity. An `off` rule runs
 * only when course.yml sets its severity.
 * Ids never change: users search for them and set them in course.yml.
 */
export const ruleCatalogue = {
  'file-unreadable': { severity: 'error', summary: 'A file or folder could not be read.' },
  encoding: { severity: 'error', summary: 'A file is not valid UTF-8.' },
  'frontmatter-syntax': { severity: 'error', summary: 'Frontmatter YAML does not parse.' },
  'frontmatter-schema': { severity: 'error', summary: 'A frontmatter field is missing, mistyped or unknown.' },
  'course-config': { severity: 'error', summary: 'course.yml has a missing, mistyped or unknown setting.' },
  'section-number': { severity: 'error', summary: 'Section numbers are duplicated, out of order, not contiguous, or disagree with the folder prefix.' },
  'lesson-number': { severity: 'error', summary: 'Lesson numbers are in the wrong section, duplicated, have gaps, or disagree with the file order.' },
  'lesson-count': { severity: 'error', summary: "A section's declared lesson count differs from the lessons present." },
  'unknown-group': { severity: 'error', summary: 'A lesson names a group its section does not declare, or a group is split.' },
  'reading-time': { severity: 'warning', summary: "A lesson's declared minutes are off from its computed reading time." },
  'reading-time-total': { severity: 'error', summary: "A section's declared reading time differs from the sum of its lessons, or cannot be read." },
  'plugin-error': { severity: 'error', summary: 'A remark or rehype plugin from course.yml threw while rendering a lesson.' },
  'font-missing': { severity: 'warning', summary: 'Text the PDF or a cover prints has characters no installed font has.' },
  'label-missing': { severity: 'warning', summary: "Labels readers see have no words in the course's language, so English is used." },
  'broken-link': { severity: 'error', summary: 'A link points to a file or heading anchor that does not exist.' },
  'missing-asset': { severity: 'error', summary: 'An image or file reference does not exist.' },
  'asset-outside-content': { severity: 'error', summary: 'A reference resolves outside the content root.' },
  'empty-lesson': { severity: 'error', summary: 'A lesson has no text.' },
  'heading-structure': { severity: 'warning', summary: 'A heading level is skipped, or a lesson body has an h1.' },
  'image-alt': { severity: 'warning', summary: 'An image has no alt text.' },
  'diagram-syntax': { severity: 'error', summary: 'A mermaid diagram does not parse.' },
  'diagram-caption': { severity: 'warning', summary: 'A mermaid diagram has no `%% caption:` line.' },
  'file-name-case': { severity: 'error', summary: 'Two files or folders in one folder have names that differ only in letter case.' },
  'unknown-directive': { severity: 'error', summary: 'A `:::name` or `::name` directive that Coursebook does not know.' },
  'callout-type': { severity: 'error', summary: 'A callout marker other than `[!NOTE]`, `[!TIP]`, `[!IMPORTANT]`, `[!WARNING]` or `[!CAUTION]`.' },
  'math-syntax': { severity: 'error', summary: 'A `$…$` or `$$…$$` formula does not parse.' },
  'exercise-structure': { severity: 'error', summary: 'An exercise or its solution is malformed, or its id or objectives do not fit the lesson.' },
  'quiz-structure': { severity: 'error', summary: 'A quiz has no question, no right option, or an option that is not a task-list item.' },
  'prerequisite-order': { severity: 'error', summary: 'A required lesson does not exist, comes later in the course, or requires form a cycle.' },
  'objective-coverage': { severity: 'off', summary: 'A lesson objective that no exercise or quiz names with `assesses`.' },
  'heading-id': { severity: 'error', summary: 'Two headings of a lesson are given the same id with `{#id}`.' },
  'code-fence': { severity: 'error', summary: 'A code fence never closes, or a line looks like an opening fence but is not one.' },
  'link-scheme': { severity: 'error', summary: 'A link uses a scheme no reader can follow (not http, https, mailto or tel, and not mapped in course.yml).' },
  'empty-link': { severity: 'error', summary: 'A link has no text, so readers see nothing to click.' },
  'asset-invalid': { severity: 'error', summary: 'An SVG is not well-formed XML, or an image file is not the format its extension says.' },
} as const;

/** A permanent rule id. */
export type RuleId = keyof typeof ruleCatalogue;

/** Every rule id, in catalogue order. */
export const ruleIds = Object.keys(ruleCatalogue) as RuleId[];

/** Whether a string is a known rule id. */
export function isRuleId(value: string): value is RuleId {
  return Object.hasOwn(ruleCatalogue, value);
}
