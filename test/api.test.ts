import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, scratchDir } from './helpers.js';

const project = path.resolve(import.meta.dirname, '..');
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
});

/** A script a user would write against the published package, typed. */
const consumer = `import { build, check, rules, writers, loadCourse, ruleCatalogue, type Diagnostic, type Writer } from 'coursebook';

const contentDir = process.argv[2]!;
const out = process.argv[3]!;
const loaded = await loadCourse(contentDir);
const checked = await check(contentDir);
const errors: Diagnostic[] = checked.diagnostics.filter((d) => d.severity === 'error');
const formats: Writer['name'][] = writers.map((writer) => writer.name);
const built = await build(contentDir, { out, formats: ['json'], date: new Date(0) });
console.log(JSON.stringify({
  lessons: loaded.course.sections.flatMap((section) => section.lessons.map((lesson) => lesson.id)),
  errors: errors.length,
  rules: rules.length,
  catalogue: Object.keys(ruleCatalogue).length,
  formats,
  published: built.published,
  json: built.written?.byFormat.json?.files,
}));
`;

describe('the library API, installed from a packed tarball', () => {
  it('imports, type-checks and runs from a separate package', async () => {
    const { dir, cleanup } = await scratchDir();
    cleanups.push(cleanup);
    const env = { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
    execFileSync('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'))!;
    const app = path.join(dir, 'app');
    mkdirSync(app);
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--prefer-offline', '--no-save', '--ignore-scripts', path.join(dir, tarball)], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    writeFileSync(path.join(app, 'main.ts'), consumer);
    writeFileSync(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'es2023',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [path.join(project, 'node_modules', '@types')],
        },
        files: ['main.ts'],
      }),
    );
    // Type-checks against the package's emitted declarations, as the user's editor and tsc would.
    execFileSync(path.join(project, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
    const printed = execFileSync('node', ['main.js', fixture('valid', 'content'), path.join(dir, 'out')], {
      cwd: app,
      encoding: 'utf8',
      env: { ...env, PUPPETEER_EXECUTABLE_PATH: '/usr/bin/chromium' },
    });
    const result = JSON.parse(printed.trim().split('\n').pop()!);
    expect(result).toMatchObject({ errors: 0, published: true, formats: ['html', 'json', 'pdf', 'epub', 'opds', 'scorm12', 'scorm2004', 'cc'] });
    expect(result.lessons).toContain('3.1');
    expect(result.rules).toBeGreaterThan(5);
    expect(result.json).toBeGreaterThan(10);
    expect(JSON.parse(readFileSync(path.join(dir, 'out', 'api', 'catalogue.json'), 'utf8')).apiVersion).toBeDefined();
  }, 300_000);
});
