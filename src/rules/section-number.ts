import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Rule } from './rule.js';

/**
 * `section-number`: section numbers must match their folder prefix, be unique, and run
 * contiguously upwards in folder order. The first section may have any number (a course can be an excerpt).
 */
export const sectionNumberRule: Rule = {
  ids: ['section-number'],
  check(course) {
    const found: Diagnostic[] = [];
    const seen = new Map<number, { path: string; at: { line: number; column: number } }>();
    let previous: number | undefined;
    for (const section of course.sections) {
      if (!section.hasSectionFile) continue;
      const at = section.fieldPositions.section;
      if (section.folderPosition === undefined) {
        found.push(
          diagnostic('section-number', section.path, at, `Section folder \`${section.dir}\` has no number prefix. Rename it to \`${String(section.number).padStart(2, '0')}-${section.dir}\`.`),
        );
      } else if (section.folderPosition !== section.number) {
        found.push(
          diagnostic(
            'section-number',
            section.path,
            at,
            `Section ${section.number} is in folder \`${section.dir}\`, whose prefix says ${section.folderPosition}. Rename the folder or fix \`section\`.`,
          ),
        );
      }
      const first = seen.get(section.number);
      if (first !== undefined) {
        found.push(
          diagnostic('section-number', section.path, at, `Section number ${section.number} is already used by ${first.path}. Give each section its own number.`, {
            related: { file: first.path, ...first.at },
          }),
        );
        continue;
      }
      seen.set(section.number, { path: section.path, at: section.fieldPositions.section ?? { line: 1, column: 1 } });
      if (previous !== undefined && section.number < previous) {
        found.push(diagnostic('section-number', section.path, at, `Section ${section.number} comes after section ${previous}: numbers must go up in folder order.`));
      } else if (previous !== undefined && section.number > previous + 1) {
        found.push(diagnostic('section-number', section.path, at, `Section ${section.number} follows section ${previous}: section ${previous + 1} is missing. Number sections without gaps.`));
      }
      previous = section.number;
    }
    return found;
  },
};
