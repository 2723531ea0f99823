#!/usr/bin/env node
// The installed entry point: runs the compiled CLI (lib/, built by `npm run compile` or on install).
import { runCli, wantsColor } from '../lib/cli/main.js';

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  color: wantsColor(process.stdout),
  stderrTTY: process.stderr.isTTY === true,
  stderrColor: wantsColor(process.stderr),
  cwd: process.cwd(),
});
process.exitCode = code;
