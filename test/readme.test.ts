import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleCatalogue, ruleIds } from '../src/diagnostics/catalogue.js';

const readme = readFileSync(path.join(import.meta.dirname, '..', 'README.md'), 'utf8');

describe('README', () => {
  it.each(ruleIds)('documents rule %s with its default severity', (id) => {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${id}\` |`));
    expect(row, `README has no row for ${id}`).toBeDefined();
    expect(row).toContain(`| ${ruleCatalogue[id].severity} |`);
  });
});
