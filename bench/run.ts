/**
 * `npm run bench`: times Coursebook on synthetic courses of 11, 110 and 1,100 lessons (check and
 * build, cold, warm and after one edit), and pandoc on the same lessons when it is installed.
 * Prints a Markdown table and writes it to bench/results.md. Sizes: BENCH_SIZES=11,110.
 */
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateCourse } from './generate.js';

const here = import.meta.dirname;
const projectRoot = path.resolve(here, '..');
const bin = path.join(projectRoot, 'bin', 'coursebook.js');
const probe = path.join(here, 'rss-probe.mjs');
const sizes = (process.env.BENCH_SIZES ?? '11,110,1100').split(',').map(Number);

interface Measure {
  seconds: number;
  rssBytes?: number;
  ok: boolean;
}

/** Runs a command, returning its wall time (and peak RSS for our own runs). */
async function measure(command: string, args: string[], cwd: string, probeRss: boolean): Promise<Measure> {
  const rssFile = path.join(os.tmpdir(), `coursebook-bench-${process.pid}-${Date.now()}.rss`);
  const started = performance.now();
  const code = await new Promise<number>((resolve) => {
    const child = spawn(command, probeRss ? ['--import', probe, ...args] : args, {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', COURSEBOOK_BENCH_RSS_FILE: rssFile, SOURCE_DATE_EPOCH: '1767225600' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (exit) => {
      if (exit !== 0) process.stderr.write(`${command} ${args.join(' ')} exited ${exit}\n${stderr.slice(-2000)}\n`);
      resolve(exit ?? 1);
    });
  });
  const seconds = (performance.now() - started) / 1000;
  const result: Measure = { seconds, ok: code === 0 };
  if (existsSync(rssFile)) {
    result.rssBytes = Number(readFileSync(rssFile, 'utf8'));
    rmSync(rssFile);
  }
  return result;
}

/** Runs up to `parallel` commands at once; returns the total wall time. */
async function measureMany(jobs: { command: string; args: string[]; cwd: string }[], parallel: number): Promise<Measure> {
  const started = performance.now();
  let next = 0;
  let ok = true;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        ok = (await measure(job.command, job.args, job.cwd, false)).ok && ok;
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, ok };
}

const rows: string[][] = [];
const fmt = (m: Measure): string => `${m.seconds.toFixed(2)} s${m.ok ? '' : ' (failed)'}`;
/** "ours 12.3× faster" or "ours 1.6× slower". */
const ratio = (theirs: Measure, ours: Measure): string => (theirs.seconds >= ours.seconds ? `ours ${(theirs.seconds / ours.seconds).toFixed(1)}× faster` : `ours ${(ours.seconds / theirs.seconds).toFixed(1)}× slower`);
const mb = (m: Measure): string => (m.rssBytes ? `${Math.round(m.rssBytes / 1e6)} MB` : '');

function record(size: number, work: string, m: Measure, target = '', note = ''): void {
  rows.push([String(size), work, fmt(m), mb(m), target, note]);
  process.stderr.write(`${size} lessons · ${work}: ${fmt(m)} ${mb(m)}\n`);
}

const hasPandoc = (() => {
  try {
    execFileSync('pandoc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const formats = ['html', 'json', 'epub'].filter((format) => readFileSync(path.join(projectRoot, 'src', 'outputs', 'index.ts'), 'utf8').includes(`${format}Writer`));
const hasPdf = readFileSync(path.join(projectRoot, 'src', 'outputs', 'index.ts'), 'utf8').includes('pdfWriter');

for (const size of sizes) {
  const work = path.join(here, '.work', String(size));
  const content = path.join(work, 'content');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  await generateCourse(content, size);
  const cache = path.join(work, '.coursebook-cache');
  const dist = path.join(work, 'dist');
  const ours = (...args: string[]): Promise<Measure> => measure(process.execPath, [bin, ...args], work, true);
  const big = size >= 1000;

  rmSync(cache, { recursive: true, force: true });
  record(size, 'check, cold', await ours('check', 'content'), big ? '≤ 15 s' : '');
  record(size, 'check, warm', await ours('check', 'content'), big ? '≤ 1.5 s' : '');

  rmSync(cache, { recursive: true, force: true });
  rmSync(dist, { recursive: true, force: true });
  const built = formats.join('+');
  const cold = await ours('build', 'content', '--out', 'dist', '--format', formats.join(','));
  record(size, `build ${built}, cold`, cold, big ? '≤ 30 s' : '');
  record(size, `build ${built}, warm`, await ours('build', 'content', '--out', 'dist', '--format', formats.join(',')), big ? '≤ 3 s' : '');
  const edited = path.join(content, readdirSync(content).filter((name) => /^\d/.test(name)).sort()[0]!, '02-lesson.md');
  appendFileSync(edited, '\nOne more sentence about quorum reads, added by the benchmark.\n');
  record(size, `build ${built}, one lesson edited`, await ours('build', 'content', '--out', 'dist', '--format', formats.join(',')), big ? '≤ 1 s' : '');

  rmSync(cache, { recursive: true, force: true });
  rmSync(dist, { recursive: true, force: true });
  const html = await ours('build', 'content', '--out', 'dist', '--format', 'html', '--no-cache');
  record(size, 'build html, cold (no cache)', html);

  if (size <= 11) {
    if (hasPdf) {
      rmSync(dist, { recursive: true, force: true });
      record(size, 'build pdf, cold (browser start included)', await ours('build', 'content', '--out', 'dist', '--format', 'pdf', '--no-cache'), '≤ 6 s');
    }
    rmSync(dist, { recursive: true, force: true });
    record(size, 'build all formats, cold', await ours('build', 'content', '--out', 'dist', '--no-cache'), '≤ 10 s');
  }

  if (hasPandoc) {
    const lessons = readdirSync(content)
      .filter((name) => /^\d/.test(name))
      .sort()
      .flatMap((dir) => readdirSync(path.join(content, dir)).filter((name) => /^\d.*\.md$/.test(name)).sort().map((file) => path.join(dir, file)));
    const out = path.join(work, 'pandoc');
    mkdirSync(out, { recursive: true });
    const parallel = os.availableParallelism();
    const byFile = await measureMany(
      lessons.map((lesson) => ({ command: 'pandoc', args: ['-f', 'gfm', '-t', 'html5', '-s', '--metadata', 'title=Lesson', '-o', path.join(out, lesson.replace(/\//g, '_').replace(/\.md$/, '.html')), lesson], cwd: content })),
      parallel,
    );
    record(size, `pandoc md → html, file by file (${parallel} at a time)`, byFile, big ? 'ours ≥ 10× faster' : '', ratio(byFile, html));
    writeFileSync(path.join(out, 'all.md'), lessons.map((lesson) => readFileSync(path.join(content, lesson), 'utf8').replace(/^---[\s\S]*?---\n/, '')).join('\n\n'));
    const joined = await measure('pandoc', ['-f', 'gfm', '-t', 'html5', '-s', '--metadata', 'title=All', '-o', path.join(out, 'all.html'), path.join(out, 'all.md')], content, false);
    record(size, 'pandoc md → html, all lessons in one file', joined, big ? 'ours faster' : '', ratio(joined, html));
    const sections = readdirSync(content).filter((name) => /^\d/.test(name)).sort();
    const epubs = await measureMany(
      sections.map((dir) => ({ command: 'pandoc', args: ['-f', 'gfm', '-t', 'epub3', '--metadata', `title=${dir}`, '-o', path.join(out, `${dir}.epub`), ...readdirSync(path.join(content, dir)).filter((name) => /^\d.*\.md$/.test(name)).sort().map((file) => path.join(dir, file))], cwd: content })),
      parallel,
    );
    record(size, `pandoc md → epub3, per section (${parallel} at a time)`, epubs, '', formats.includes('epub') ? `${ratio(epubs, cold)} (our whole ${built} build)` : '');
  }
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const machine = `${os.availableParallelism()} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.type()} ${os.release()}`;
const table = [
  `Machine: ${machine}. Run ${new Date().toISOString().slice(0, 10)}.`,
  '',
  '| lessons | work | wall time | peak RSS | target | note |',
  '| ---: | --- | ---: | ---: | --- | --- |',
  ...rows.map((row) => `| ${row.join(' | ')} |`),
  '',
].join('\n');
writeFileSync(path.join(here, 'results.md'), table);
process.stdout.write(table);
