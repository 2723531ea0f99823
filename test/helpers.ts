import { cp, mkdtemp, rm } from 'node:fs/promises';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../src/cli/main.js';

/** Absolute path of a fixture folder under test/fixtures. */
export const fixture = (...parts: string[]): string => path.join(import.meta.dirname, 'fixtures', ...parts);

/** Whether fixture expectations are being regenerated (`UPDATE_FIXTURES=1 npm test`). */
export const updating = process.env.UPDATE_FIXTURES === '1';

/**
 * Compares a value with the JSON stored beside a fixture, or rewrites that file when updating.
 * Review regenerated files by eye before committing them.
 */
export function expectMatchesFile(actual: unknown, file: string): { expected: unknown; actual: unknown } {
  const text = `${JSON.stringify(actual, null, 2)}\n`;
  if (updating || !existsSync(file)) writeFileSync(file, text);
  return { expected: JSON.parse(readFileSync(file, 'utf8')), actual: JSON.parse(text) };
}

/** Runs the CLI in-process and captures what it prints. */
export async function cli(args: string[], cwd = process.cwd()): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), color: false, stderrTTY: false, stderrColor: false, cwd });
  return { code, stdout, stderr };
}

/** Copies a fixture into a fresh temporary folder (for tests that modify it) and returns its path. */
export async function scratchCopy(source: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'coursebook-test-'));
  await cp(source, dir, { recursive: true, verbatimSymlinks: true });
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A fresh empty temporary folder. */
export async function scratchDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'coursebook-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
