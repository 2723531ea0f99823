import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { hashOf } from '../cache/fingerprint.js';

const run = promisify(execFile);

/** One line per installed font, as fontconfig lists it; empty when fontconfig is not installed. */
async function fcList(format: string): Promise<string[]> {
  try {
    const { stdout } = await run('fc-list', ['--format', format], { maxBuffer: 64 * 1024 * 1024 });
    return stdout.split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

let fingerprint: Promise<string> | undefined;

/**
 * A fingerprint of the fonts installed on this machine (each font file, family, style and
 * version, from `fc-list`). It is part of the cache key of everything Chromium prints (PDFs,
 * covers), so installing a font reprints them.
 * Note: computed once per process; without fontconfig it is a constant.
 */
export function fontsFingerprint(): Promise<string> {
  fingerprint ??= fcList('%{file}|%{family}|%{style}|%{fontversion}\\n').then((fonts) => hashOf('fonts', fonts.sort()));
  return fingerprint;
}

/** Code point ranges some installed font covers, sorted and merged: [first, last] pairs. */
export type Coverage = [number, number][];

let coverage: Promise<Coverage | undefined> | undefined;

/**
 * The code points the installed fonts cover, the union of every font's charset as fontconfig
 * reports it (Chromium on Linux falls back through the same fonts).
 * @returns undefined when fontconfig is not installed (nothing can be checked)
 */
export function installedCoverage(): Promise<Coverage | undefined> {
  coverage ??= fcList('%{charset}\\n').then((charsets) => {
    if (charsets.length === 0) return undefined;
    const ranges: Coverage = [];
    for (const charset of charsets) {
      for (const range of charset.split(' ')) {
        const [first, last] = range.split('-').map((hex) => Number.parseInt(hex, 16));
        if (first !== undefined && !Number.isNaN(first)) ranges.push([first, last === undefined || Number.isNaN(last) ? first : last]);
      }
    }
    ranges.sort((a, b) => a[0] - b[0]);
    const merged: Coverage = [];
    for (const range of ranges) {
      const previous = merged.at(-1);
      if (previous && range[0] <= previous[1] + 1) previous[1] = Math.max(previous[1], range[1]);
      else merged.push([...range]);
    }
    return merged;
  });
  return coverage;
}

/**
 * Whether some installed font has a glyph for a code point.
 * @param ranges the installed coverage
 * @param codePoint the character
 */
export function covers(ranges: Coverage, codePoint: number): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const [first, last] = ranges[middle]!;
    if (codePoint < first) high = middle - 1;
    else if (codePoint > last) low = middle + 1;
    else return true;
  }
  return false;
}
