// Bundles the compiled CLI (lib/cli/main.js) and the modules `check` needs into lib/cli-bundle/,
// so a command starts by reading a handful of files instead of resolving some 350 modules.
// Publishing-only libraries stay external and load, as before, when a writer first needs them.
// bin/coursebook.js runs the bundle only while inputs.json still matches every input file, and
// falls back to lib/cli/main.js otherwise, so a `tsc` run without this step is never stale.
// Run by `npm run compile`; skipped with a note when esbuild is not installed.
import { rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const projectRoot = path.resolve(import.meta.dirname, '..');
const outdir = path.join(projectRoot, 'lib', 'cli-bundle');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  process.stderr.write('bundle-cli: esbuild is not installed; the CLI runs from lib/ unbundled.\n');
  process.exit(0);
}

// Loaded only by writers or the browser, and large or full of dynamic imports: kept as packages.
const external = ['puppeteer', 'mermaid', 'shiki', 'svgo', 'pdf-lib', 'epub-gen-memory', 'jszip', 'nunjucks', 'minisearch'];

rmSync(outdir, { recursive: true, force: true });
const result = await esbuild.build({
  absWorkingDir: projectRoot,
  entryPoints: { main: path.join(projectRoot, 'lib', 'cli', 'main.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  metafile: true,
  logLevel: 'warning',
  // CommonJS packages inside an ES module bundle call require(); give them Node's.
  banner: { js: "import { createRequire as bundleRequire } from 'node:module'; const require = bundleRequire(import.meta.url);" },
});
// Our bundled modules, and npm's record of node_modules (rewritten on every install), with their
// sizes and times: bin/coursebook.js compares them to tell a stale bundle in a few milliseconds.
const watched = [...Object.keys(result.metafile.inputs).filter((file) => file.startsWith('lib/')), 'package-lock.json', 'node_modules/.package-lock.json'];
const inputs = watched.flatMap((file) => {
  try {
    const info = statSync(path.join(projectRoot, file));
    return [[file, info.size, info.mtimeMs]];
  } catch {
    return [];
  }
});
writeFileSync(path.join(outdir, 'inputs.json'), JSON.stringify(inputs));
