import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Rule } from './rule.js';

/**
 * `unknown-group`: a lesson's group must be one its section declares (and is required when the
 * section declares any). A group whose lessons are not contiguous is a warning.
 */
export const unknownGroupRule: Rule = {
  ids: ['unknown-group'],
  check(course) {
    const found: Diagnostic[] = [];
    for (const section of course.sections) {
      if (!section.frontmatterParsed) continue;
      const declared = section.groupTitles;
      const closed = new Set<string>();
      let current: string | undefined;
      for (const lesson of section.lessons) {
        const at = lesson.fieldPositions.group ?? lesson.fieldPositions.lesson;
        if (lesson.group === undefined) {
          // A frontmatter that did not parse, or a `group` of the wrong type, is already reported.
          if (declared.length > 0 && lesson.frontmatterParsed && !Object.hasOwn(lesson.fieldPositions, 'group')) {
            found.push(diagnostic('unknown-group', lesson.path, at, `Lesson ${lesson.id} has no \`group\`; section ${section.number} declares groups: ${declared.map((g) => `"${g}"`).join(', ')}.`));
          }
          continue;
        }
        if (!declared.includes(lesson.group)) {
          const hint =
            declared.length > 0 ? `Use one of ${declared.map((g) => `"${g}"`).join(', ')}, or add it to \`groups\` in ${section.path}.` : `Add \`groups: ["${lesson.group}"]\` to ${section.path}.`;
          found.push(diagnostic('unknown-group', lesson.path, at, `Group "${lesson.group}" is not declared by section ${section.number}. ${hint}`));
          continue;
        }
        if (lesson.group !== current) {
          if (current !== undefined) closed.add(current);
          if (closed.has(lesson.group)) {
            found.push(
              diagnostic('unknown-group', lesson.path, at, `Lesson ${lesson.id} returns to group "${lesson.group}" after other groups: keep each group's lessons together.`, { severity: 'warning' }),
            );
          }
          current = lesson.group;
        }
      }
    }
    return found;
  },
};
