/**
 * `npm run bench`: times Coursebook's start-up (`--version`, a warm `check` of the embedded course),
 * then synthetic courses of 11, 110 and 1,100 lessons (check and build, cold, warm and after one
 * edit; `serve` from save to reload at 1,100), and Hugo and pandoc on the same lessons when they
 * are installed. Every row of ours shows its time over Hugo's full build and over pandoc's
 * one-file HTML conversion of the same lessons, measured in the same run.
 * Prints a Markdown table and writes it to bench/results.md. Sizes: BENCH_SIZES=11,110 (empty:
 * start-up only).
 */
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateCourse } from './generate.js';
import { writeHugoSite } from './hugo.js';
import { timeServeReload } from './serve.js';

const here = import.meta.dirname;
const projectRoot = path.resolve(here, '..');
const bin = path.join(projectRoot, 'bin', 'coursebook.js');
const probe = path.join(here, 'rss-probe.mjs');
const sizes = (process.env.BENCH_SIZES ?? '11,110,1100')
  .split(',')
  .map(Number)
  .filter((size) => size > 0);

interface Measure {
  seconds: number;
  rssBytes?: number;
  /** Peak memory of the whole process tree (Chromium included): the sum of each process's PSS, sampled. */
  treeBytes?: number;
  /** User and system CPU time of our process (its workers included, Chromium not). */
  cpuSeconds?: number;
  ok: boolean;
}

/** The process ids of a process and all its descendants, from /proc. */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The parent is the 2nd field after the command, which is in parentheses and may hold spaces.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(name)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** The memory of a process tree now: the sum of proportional set sizes (shared pages counted once across the tree). */
function treeMemory(root: number): number {
  let bytes = 0;
  for (const pid of processTree(root)) {
    try {
      const pss = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (pss) bytes += Number(pss[1]) * 1024;
    } catch {
      // The process ended while we looked.
    }
  }
  return bytes;
}

/**
 * Runs a command, returning its wall time (and peak RSS for our own runs).
 * @param sampleTree also sample the memory of the whole process tree (Chromium included) every 200 ms
 */
async function measure(command: string, args: string[], cwd: string, probeRss: boolean, sampleTree = false): Promise<Measure> {
  const rssFile = path.join(os.tmpdir(), `coursebook-bench-${process.pid}-${Date.now()}.rss`);
  let treePeak = 0;
  const started = performance.now();
  const code = await new Promise<number>((resolve) => {
    const child = spawn(command, probeRss ? ['--import', probe, ...args] : args, {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', COURSEBOOK_BENCH_RSS_FILE: rssFile, SOURCE_DATE_EPOCH: '1767225600' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const sampler = sampleTree && child.pid ? setInterval(() => (treePeak = Math.max(treePeak, treeMemory(child.pid!))), 200) : undefined;
    child.on('exit', (exit) => {
      if (sampler) clearInterval(sampler);
      if (exit !== 0) process.stderr.write(`${command} ${args.join(' ')} exited ${exit}\n${stderr.slice(-2000)}\n`);
      resolve(exit ?? 1);
    });
  });
  const seconds = (performance.now() - started) / 1000;
  const result: Measure = { seconds, ok: code === 0, ...(treePeak > 0 ? { treeBytes: treePeak } : {}) };
  if (existsSync(rssFile)) {
    const [rss, cpuMicros] = readFileSync(rssFile, 'utf8').split(' ').map(Number);
    result.rssBytes = rss;
    result.cpuSeconds = (cpuMicros ?? 0) / 1e6;
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
/** Per course size, the rows of ours, to be given their ratios to Hugo and pandoc. */
const oursBySize = new Map<number, { row: string[]; seconds: number }[]>();
const fmt = (m: Measure): string => `${m.seconds.toFixed(m.seconds < 1 ? 3 : 2)} s${m.ok ? '' : ' (failed)'}`;
/** "ours 12.3× faster" or "ours 1.6× slower". */
const ratio = (theirs: Measure, ours: Measure): string =>
  theirs.seconds >= ours.seconds ? `ours ${(theirs.seconds / ours.seconds).toFixed(1)}× faster` : `ours ${(ours.seconds / theirs.seconds).toFixed(1)}× slower`;
const mb = (m: Measure): string => [m.rssBytes ? `${Math.round(m.rssBytes / 1e6)} MB` : '', m.treeBytes ? `(${Math.round(m.treeBytes / 1e6)} MB with Chromium)` : ''].filter(Boolean).join(' ');

function record(size: number, work: string, m: Measure, target = '', note = ''): string[] {
  const row = [String(size), work, fmt(m), mb(m), '', '', target, note];
  rows.push(row);
  process.stderr.write(`${size} lessons · ${work}: ${fmt(m)} ${mb(m)}\n`);
  return row;
}

/** Records a row of ours, to be compared with Hugo and pandoc once they ran on the same lessons. */
function recordOurs(size: number, work: string, m: Measure, target = '', note = ''): void {
  const row = record(size, work, m, target, note);
  oursBySize.set(size, [...(oursBySize.get(size) ?? []), { row, seconds: m.seconds }]);
}

/** Fills the "÷ Hugo" (column 4) or "÷ pandoc" (column 5) cell of every row of ours at this size. */
function compareWith(size: number, column: 4 | 5, theirs: Measure): void {
  if (!theirs.ok) return;
  for (const { row, seconds } of oursBySize.get(size) ?? []) row[column] = `${(seconds / theirs.seconds).toFixed(2)}×`;
}

/** "missed" when a median is over its target in seconds. */
const verdict = (seconds: number, target: number): string => (seconds <= target ? 'met' : `**missed** by ${(seconds - target).toFixed(3)} s`);
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Runs a command `times` times as it is (the probe's own import would add to a start-up time),
 * then three times with the probe: the median wall time, and the median CPU time and peak RSS.
 */
async function medianOf(times: number, command: string, args: string[], cwd: string): Promise<Measure> {
  const plain: Measure[] = [];
  const probed: Measure[] = [];
  for (let run = 0; run < times; run++) plain.push(await measure(command, args, cwd, false));
  for (let run = 0; run < 3; run++) probed.push(await measure(command, args, cwd, true));
  return {
    seconds: median(plain.map((m) => m.seconds)),
    ok: [...plain, ...probed].every((m) => m.ok),
    rssBytes: median(probed.map((m) => m.rssBytes ?? 0)),
    cpuSeconds: median(probed.map((m) => m.cpuSeconds ?? 0)),
  };
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

const hasHugo = (() => {
  try {
    execFileSync('hugo', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** The machine's load when the run started: other work on the same cores stretches every wall time. */
const loadAtStart = os.loadavg()[0]!;

// Start-up: what a pre-commit hook or an editor pays on every call, on the embedded course.
{
  const work = path.join(here, '.work', 'startup');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  cpSync(path.join(projectRoot, 'content'), path.join(work, 'content'), { recursive: true });
  const nodeOnly = await medianOf(7, process.execPath, ['-e', '0'], work);
  const version = await medianOf(7, process.execPath, [bin, '--version'], work);
  await measure(process.execPath, [bin, 'check', 'content'], work, false);
  const checkWarm = await medianOf(7, process.execPath, [bin, 'check', 'content'], work);
  const cpuNote = (m: Measure): string => `CPU ${m.cpuSeconds?.toFixed(3)} s; Node alone starts in ${nodeOnly.seconds.toFixed(3)} s (CPU ${nodeOnly.cpuSeconds?.toFixed(3)} s) in this run`;
  record(11, '`--version` (median of 7)', version, `≤ 0.1 s: ${verdict(version.seconds, 0.1)}`, cpuNote(version));
  record(11, '`check content`, warm, embedded course (median of 7)', checkWarm, `≤ 0.35 s: ${verdict(checkWarm.seconds, 0.35)}`, cpuNote(checkWarm));
}

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
  /** A seconds target at 1,100 lessons, with whether this run met it. */
  const goal = (m: Measure, seconds: number): string => (big ? `≤ ${seconds} s: ${verdict(m.seconds, seconds)}` : '');

  rmSync(cache, { recursive: true, force: true });
  const checkCold = await ours('check', 'content');
  recordOurs(size, 'check, cold', checkCold, goal(checkCold, 15));
  const checkWarm = await ours('check', 'content');
  recordOurs(size, 'check, warm', checkWarm, goal(checkWarm, 1.5));

  rmSync(cache, { recursive: true, force: true });
  rmSync(dist, { recursive: true, force: true });
  const built = formats.join('+');
  const cold = await ours('build', 'content', '--out', 'dist', '--format', formats.join(','));
  recordOurs(size, `build ${built}, cold`, cold, goal(cold, 30));
  const warm = await ours('build', 'content', '--out', 'dist', '--format', formats.join(','));
  recordOurs(size, `build ${built}, warm`, warm, goal(warm, 1.5));
  const firstSection = readdirSync(content)
    .filter((name) => /^\d/.test(name))
    .sort()[0]!;
  const edited = path.join(content, firstSection, '02-lesson.md');
  appendFileSync(edited, '\nOne more sentence about quorum reads, added by the benchmark.\n');
  const oneEdit = await ours('build', 'content', '--out', 'dist', '--format', formats.join(','));
  recordOurs(size, `build ${built}, one lesson edited`, oneEdit, goal(oneEdit, 1.5));

  if (big) {
    // serve builds html and json into .coursebook-serve/, sharing the warm cache beside dist/.
    const served = await timeServeReload(bin, work, path.join(content, firstSection, '03-lesson.md'), 5);
    const reload: Measure = { seconds: served.reloadMs.length ? median(served.reloadMs) / 1000 : Number.NaN, ok: served.ok };
    recordOurs(
      size,
      'serve, save to reload event (median of 5 saves)',
      reload,
      `≤ 0.3 s: ${served.ok ? verdict(reload.seconds, 0.3) : 'failed'}`,
      `saves: ${served.reloadMs.map((ms) => `${Math.round(ms)} ms`).join(', ')} (rebuild CPU ${served.rebuildCpuMs.map((ms) => `${Math.round(ms)} ms`).join(', ')}); first build ${served.firstBuildSeconds.toFixed(1)} s`,
    );
  }

  rmSync(cache, { recursive: true, force: true });
  rmSync(dist, { recursive: true, force: true });
  const html = await ours('build', 'content', '--out', 'dist', '--format', 'html', '--no-cache');
  recordOurs(size, 'build html, cold (no cache)', html, goal(html, 13));

  if (size >= 100 && size < 1000 && hasPdf) {
    // Every format a default build makes, warm and after one edit: books reassembled from cached parts.
    rmSync(cache, { recursive: true, force: true });
    rmSync(dist, { recursive: true, force: true });
    const allCold = await measure(process.execPath, [bin, 'build', 'content', '--out', 'dist'], work, true, true);
    recordOurs(size, 'build all formats, cold', allCold);
    const allWarm = await ours('build', 'content', '--out', 'dist');
    recordOurs(size, 'build all formats, warm', allWarm);
    appendFileSync(path.join(content, firstSection, '04-lesson.md'), '\nOne more sentence about leases, added by the benchmark.\n');
    const allEdit = await measure(process.execPath, [bin, 'build', 'content', '--out', 'dist'], work, true, true);
    recordOurs(size, 'build all formats, one lesson edited', allEdit, `≤ 6 s: ${verdict(allEdit.seconds, 6)}`);
  }

  if (big && hasPdf && process.env.BENCH_BIG_PDF !== '0') {
    // The whole course as one PDF of thousands of pages, with the section PDFs: Chromium's memory counts.
    rmSync(dist, { recursive: true, force: true });
    const pdf = await measure(process.execPath, [bin, 'build', 'content', '--out', 'dist', '--format', 'pdf', '--no-cache'], work, true, true);
    let pages = '';
    try {
      // The course PDF is the largest of the downloads.
      const downloads = path.join(dist, 'downloads');
      const largest = readdirSync(downloads)
        .filter((name) => name.endsWith('.pdf'))
        .sort((a, b) => statSync(path.join(downloads, b)).size - statSync(path.join(downloads, a)).size)[0]!;
      pages = `course PDF ${/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path.join(downloads, largest)], { encoding: 'utf8' }))?.[1]} pages`;
    } catch {
      pages = 'pdfinfo could not read the course PDF';
    }
    const within = pdf.ok && (pdf.treeBytes ?? 0) <= 2e9;
    recordOurs(size, 'build pdf (section PDFs and the course PDF), cold, no cache', pdf, `completes, ≤ 2 GB with Chromium: ${pdf.ok ? (within ? 'met' : '**missed**') : '**failed**'}`, pages);
  }

  if (size <= 11) {
    if (hasPdf) {
      rmSync(dist, { recursive: true, force: true });
      const pdf = await ours('build', 'content', '--out', 'dist', '--format', 'pdf', '--no-cache');
      recordOurs(size, 'build pdf, cold (browser start included)', pdf, `≤ 6 s: ${verdict(pdf.seconds, 6)}`);
    }
    rmSync(dist, { recursive: true, force: true });
    const all = await ours('build', 'content', '--out', 'dist', '--no-cache');
    recordOurs(size, 'build all formats, cold', all, `≤ 10 s: ${verdict(all.seconds, 10)}`);
  }

  if (hasHugo) {
    const site = path.join(work, 'hugo');
    await writeHugoSite(content, site);
    const hugo = await measure('hugo', ['--quiet', '--source', site, '--destination', path.join(site, 'public')], work, false);
    record(
      size,
      'Hugo 0.111, same lessons: title, summary, contents, body (full build)',
      hugo,
      '',
      `ours/Hugo: html cold ${(html.seconds / hugo.seconds).toFixed(1)}×, ${built} warm ${(warm.seconds / hugo.seconds).toFixed(2)}×`,
    );
    compareWith(size, 4, hugo);
  }

  if (hasPandoc) {
    const lessons = readdirSync(content)
      .filter((name) => /^\d/.test(name))
      .sort()
      .flatMap((dir) =>
        readdirSync(path.join(content, dir))
          .filter((name) => /^\d.*\.md$/.test(name))
          .sort()
          .map((file) => path.join(dir, file)),
      );
    const out = path.join(work, 'pandoc');
    mkdirSync(out, { recursive: true });
    const parallel = os.availableParallelism();
    const byFile = await measureMany(
      lessons.map((lesson) => ({
        command: 'pandoc',
        args: ['-f', 'gfm', '-t', 'html5', '-s', '--metadata', 'title=Lesson', '-o', path.join(out, lesson.replace(/\//g, '_').replace(/\.md$/, '.html')), lesson],
        cwd: content,
      })),
      parallel,
    );
    record(size, `pandoc md → html, file by file (${parallel} at a time)`, byFile, big ? 'ours ≥ 10× faster' : '', ratio(byFile, html));
    writeFileSync(path.join(out, 'all.md'), lessons.map((lesson) => readFileSync(path.join(content, lesson), 'utf8').replace(/^---[\s\S]*?---\n/, '')).join('\n\n'));
    const joined = await measure('pandoc', ['-f', 'gfm', '-t', 'html5', '-s', '--metadata', 'title=All', '-o', path.join(out, 'all.html'), path.join(out, 'all.md')], content, false);
    record(size, 'pandoc md → html, all lessons in one file', joined, big ? 'ours faster' : '', ratio(joined, html));
    compareWith(size, 5, joined);
    const sections = readdirSync(content)
      .filter((name) => /^\d/.test(name))
      .sort();
    const epubs = await measureMany(
      sections.map((dir) => ({
        command: 'pandoc',
        args: [
          '-f',
          'gfm',
          '-t',
          'epub3',
          '--metadata',
          `title=${dir}`,
          '-o',
          path.join(out, `${dir}.epub`),
          ...readdirSync(path.join(content, dir))
            .filter((name) => /^\d.*\.md$/.test(name))
            .sort()
            .map((file) => path.join(dir, file)),
        ],
        cwd: content,
      })),
      parallel,
    );
    record(size, `pandoc md → epub3, per section (${parallel} at a time)`, epubs, '', formats.includes('epub') ? `${ratio(epubs, cold)} (our whole ${built} build)` : '');
  }
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const machine = `${os.availableParallelism()} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.type()} ${os.release()}`;
const table = [
  `Machine: ${machine}. Run ${new Date().toISOString().slice(0, 10)}; load average ${loadAtStart.toFixed(1)} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end (${os.availableParallelism()} means the cores were fully busy).`,
  '',
  'Wall times; one run each unless the row says median. "÷ Hugo" and "÷ pandoc" are our wall time over, at the same size in the same run, Hugo\'s full build and pandoc\'s conversion of all lessons in one file to HTML (below 1 is faster than them).',
  '',
  '| lessons | work | wall time | peak RSS | ÷ Hugo | ÷ pandoc | target | note |',
  '| ---: | --- | ---: | ---: | ---: | ---: | --- | --- |',
  ...rows.map((row) => `| ${row.join(' | ')} |`),
  '',
].join('\n');
writeFileSync(path.join(here, 'results.md'), table);
process.stdout.write(table);
