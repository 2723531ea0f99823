import { realpath, stat } from 'node:fs/promises';
import { findChromium } from '../browser/chromium.js';
import { fontsFingerprint } from '../fonts/fontconfig.js';
import { hashOf } from './fingerprint.js';

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
