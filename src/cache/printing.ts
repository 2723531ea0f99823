import { execFile } from 'node:child_process';
import { realpath, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { findChromium } from '../browser/chromium.js';
import { hashOf } from './fingerprint.js';

const run = promisify(execFile);

/**
 * The installed fonts, as fontconfig lists them (file, face index, version): installing or
 * removing a font changes what Chromium prints, so it changes every printed output's key.
 * Note: without fontconfig (`fc-list` missing) the fingerprint is empty and only the browser counts.
 */
async function fontsFingerprint(): Promise<string> {
  try {
    const { stdout } = await run('fc-list', ['--format', '%{file}|%{index}|%{fontversion}\\n'], { maxBuffer: 64 * 1024 * 1024 });
    return hashOf(stdout.split('\n').filter(Boolean).sort());
  } catch {
    return '';
  }
}

/** The browser that prints: its real path, size and modification time, which change on upgrade. */
async function browserFingerprint(): Promise<string> {
  try {
    const executable = await realpath(await findChromium());
    const { size, mtimeMs } = await stat(executable);
    return hashOf(executable, size, Math.floor(mtimeMs));
  } catch {
    return '';
  }
}

let printing: Promise<string> | undefined;

/**
 * What every output printed by Chromium (PDFs, generated covers) depends on besides its HTML: the
 * browser and the installed fonts. Computed once per process, and only when something is printed.
 */
export function printingFingerprint(): Promise<string> {
  printing ??= (async () => hashOf(await browserFingerprint(), await fontsFingerprint()))();
  return printing;
}
