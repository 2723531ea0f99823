import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Rule } from './rule.js';

/** A name as macOS and Windows compare it: without case, and with accents composed. */
function folded(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/**
 * `file-name-case`: no two files or folders in one folder may have names that differ only in
 * letter case (or in how an accent is encoded). macOS and Windows take them for one name, so a
 * checkout there keeps only one of them and links to the other break.
 */
export const fileNameCaseRule: Rule = {
  ids: ['file-name-case'],
  check(course) {
    const found: Diagnostic[] = [];
    const first = new Map<string, string>();
    for (const file of [...new Set(course.listedPaths)].sort()) {
      const slash = file.lastIndexOf('/');
      const key = `${file.slice(0, slash + 1)}${folded(file.slice(slash + 1))}`;
      const earlier = first.get(key);
      if (earlier === undefined) {
        first.set(key, file);
        continue;
      }
      const how = earlier.toLowerCase() === file.toLowerCase() ? 'letter case' : 'how an accent is encoded (Unicode normalisation)';
      found.push(
        diagnostic('file-name-case', file, undefined, `\`${file}\` and \`${earlier}\` differ only in ${how}: macOS and Windows see one name, so a checkout there keeps only one of them. Rename one.`, {
          related: { file: earlier, line: 1, column: 1 },
        }),
      );
    }
    return found;
  },
};
