#!/usr/bin/env node
// The installed entry point: runs the compiled CLI (lib/, built by `npm run compile` or on install).
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The bundled CLI (scripts/bundle-cli.mjs) when every file it was made from is unchanged since,
 * else the compiled modules: a bundle older than lib/ or node_modules/ is never run.
 * Note: node_modules/.package-lock.json stands for the bundled packages; npm rewrites it on every
 * install, and stating the few hundred package files instead would cost more than it saves.
 */
function cliModule() {
  const root = path.join(import.meta.dirname, '..');
  try {
    const inputs = JSON.parse(readFileSync(path.join(root, 'lib', 'cli-bundle', 'inputs.json'), 'utf8'));
    for (const [file, size, mtimeMs] of inputs) {
      const info = statSync(path.join(root, file));
      if (info.size !== size || info.mtimeMs !== mtimeMs) return '../lib/cli/main.js';
    }
    return '../lib/cli-bundle/main.js';
  } catch {
    return '../lib/cli/main.js';
  }
}

const { runCli, wantsColor } = await import(cliModule());
const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  color: wantsColor(process.stdout),
  stderrTTY: process.stderr.isTTY === true,
  stderrColor: wantsColor(process.stderr),
  cwd: process.cwd(),
});
process.exitCode = code;
