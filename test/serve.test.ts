import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pc from 'picocolors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSession } from '../src/browser/chromium.js';
import { createSiteServer, listen } from '../src/serve/server.js';
import { LiveEvents } from '../src/serve/events.js';
import { BuildQueue } from '../src/serve/queue.js';
import { serve, type ServeSession } from '../src/serve/serve.js';
import { serveBuild, serveRebuild } from '../src/serve/incremental.js';
import { check } from '../src/pipeline.js';
import { cli, fixture, scratchCopy, scratchDir } from './helpers.js';

const projectRoot = path.resolve(import.meta.dirname, '..');

/** A response read to the end, with the raw request path untouched by any URL normalisation. */
function get(base: string, rawPath: string, method = 'GET', headers: Record<string, string> = {}): Promise<{ status: number; type: string; headers: http.IncomingHttpHeaders; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: hostname, port, path: rawPath, method, agent: false, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, type: String(response.headers['content-type']), headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

/** A page's view of the live-reload stream: every event with the moment it arrived. */
class EventStream {
  private buffer = '';
  private readonly received: { name: string; data: string; at: number }[] = [];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  private constructor(private readonly request: http.ClientRequest) {
    this.ended = new Promise((resolve) => request.on('close', () => resolve()));
  }

  static open(base: string): Promise<EventStream> {
    return new Promise((resolve, reject) => {
      const request = http.get(new URL('/__coursebook/events', base), { agent: false }, (response) => {
        expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
        response.setEncoding('utf8');
        let connected = false;
        response.on('data', (chunk: string) => {
          stream.buffer += chunk;
          for (let end = stream.buffer.indexOf('\n\n'); end !== -1; end = stream.buffer.indexOf('\n\n')) {
            const frame = stream.buffer.slice(0, end);
            stream.buffer = stream.buffer.slice(end + 2);
            const name = /^event: (.*)$/m.exec(frame)?.[1];
            if (name) stream.received.push({ name, data: /^data: (.*)$/m.exec(frame)?.[1] ?? '', at: performance.now() });
            if (!connected) {
              connected = true;
              resolve(stream);
            }
          }
        });
      });
      const stream = new EventStream(request);
      request.on('error', reject);
    });
  }

  /** The next event of that name after `since`, waiting up to `ms`. */
  async next(name: string, since: number, ms = 10_000): Promise<{ data: unknown; at: number }> {
    const deadline = performance.now() + ms;
    for (;;) {
      const found = this.received.find((event) => event.name === name && event.at >= since);
      if (found) return { data: JSON.parse(found.data), at: found.at };
      if (performance.now() > deadline) throw new Error(`no "${name}" event within ${ms} ms; got ${JSON.stringify(this.received.map((event) => event.name))}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  names(): string[] {
    return this.received.map((event) => event.name);
  }

  close(): void {
    this.request.destroy();
  }
}

/** A terminal that remembers what was printed. */
function captureTerminal(): { stdout: string[]; stderr: string[]; terminal: Parameters<typeof serve>[1]['terminal'] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, terminal: { stdout: (text) => stdout.push(text), stderr: (text) => stderr.push(text), colors: pc.createColors(false), cwd: projectRoot } };
}

const leftovers = (folder: string): string[] => readdirSync(folder).filter((name) => /\.coursebook-(staging|retired|lock)/.test(name));

describe('coursebook serve', () => {
  let course: { dir: string; cleanup: () => Promise<void> };
  let scratch: { dir: string; cleanup: () => Promise<void> };
  let out: string;
  let session: ServeSession;
  const printed = captureTerminal();
  const lesson = (): string => path.join(course.dir, '03-grundlagen', '03-dritte.md');

  beforeAll(async () => {
    course = await scratchCopy(fixture('valid', 'content'));
    scratch = await scratchDir();
    out = path.join(scratch.dir, 'site');
    session = await serve(course.dir, { out, port: 0, terminal: printed.terminal });
  });
  afterAll(async () => {
    await session?.close();
    await course?.cleanup();
    await scratch?.cleanup();
  });

  it('serves pages, the API and assets with their content types, on 127.0.0.1 only', async () => {
    expect(session.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(session.outDir).toBe(out);
    const home = await get(session.url, '/');
    expect(home.status).toBe(200);
    expect(home.type).toBe('text/html; charset=utf-8');
    expect(home.headers['cache-control']).toBe('no-store');
    expect(home.body).toMatch(/<script src="\/__coursebook\/client\.js" defer><\/script>\n<\/body>/);
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).not.toContain('__coursebook');

    const folder = await get(session.url, '/03-grundlagen?x=1');
    expect(folder.status).toBe(301);
    expect(folder.headers.location).toBe('/03-grundlagen/?x=1');
    expect((await get(session.url, '/03-grundlagen/')).body).toContain('__coursebook/client.js');
    expect((await get(session.url, '//evil.example')).status).toBe(404);

    const expectations: [string, string][] = [
      ['/03-grundlagen/03-dritte.html', 'text/html; charset=utf-8'],
      ['/api/catalogue.json', 'application/json'],
      ['/api/lessons/3.3.json', 'application/json'],
      ['/api/schemas/lesson.schema.json', 'application/json'],
      ['/assets/site.css', 'text/css; charset=utf-8'],
      ['/assets/search.js', 'text/javascript; charset=utf-8'],
      ['/images/cafe.svg', 'image/svg+xml'],
      ['/__coursebook/client.js', 'text/javascript; charset=utf-8'],
    ];
    for (const [url, type] of expectations) {
      const response = await get(session.url, url);
      expect([url, response.status, response.type]).toEqual([url, 200, type]);
    }
    expect(JSON.parse((await get(session.url, '/api/catalogue.json')).body).course.title).toBe('Ünïcode & <Courses> — 日本語');
    const css = await get(session.url, '/assets/site.css');
    const head = await get(session.url, '/assets/site.css', 'HEAD');
    expect([head.status, head.body, head.headers['content-length']]).toEqual([200, '', String(Buffer.byteLength(css.body))]);
    expect((await get(session.url, '/nope.html')).status).toBe(404);
    expect((await get(session.url, '/', 'POST')).status).toBe(405);
  });

  it('refuses requests that name another host (DNS rebinding)', async () => {
    const rebound = await get(session.url, '/index.html', 'GET', { Host: 'attacker.example:4000' });
    expect(rebound.status).toBe(421);
    expect(rebound.body).not.toContain('<html');
    expect((await get(session.url, '/index.html', 'GET', { Host: 'localhost:4000' })).status).toBe(200);
  });

  it('never serves anything outside the output folder', async () => {
    writeFileSync(path.join(scratch.dir, 'secret.txt'), 'TOP SECRET');
    mkdirSync(path.join(scratch.dir, 'private'));
    writeFileSync(path.join(scratch.dir, 'private', 'index.html'), 'TOP SECRET');
    symlinkSync(path.join(scratch.dir, 'secret.txt'), path.join(out, 'leak.txt'));
    symlinkSync(path.join(scratch.dir, 'private'), path.join(out, 'leak'));
    const attempts: [string, number][] = [
      ['/../secret.txt', 403],
      ['/assets/../../secret.txt', 403],
      ['/%2e%2e/secret.txt', 403],
      ['/%2E%2E/%2e%2e/%2e%2e/etc/passwd', 403],
      ['/..%2fsecret.txt', 403],
      ['/assets%2f..%2f..%2fsecret.txt', 403],
      ['/..%5csecret.txt', 403],
      ['/leak.txt', 403],
      ['/leak/index.html', 403],
      ['/leak/', 403],
      ['/.coursebook-output', 404],
      ['/%00', 400],
      ['/%zz', 400],
    ];
    for (const [url, status] of attempts) {
      const response = await get(session.url, url);
      expect([url, response.status]).toEqual([url, status]);
      expect(response.body).not.toContain('TOP SECRET');
    }
  });

  it('reloads open pages after a saved edit', async () => {
    const stream = await EventStream.open(session.url);
    try {
      const text = readFileSync(lesson(), 'utf8');
      const saved = performance.now();
      writeFileSync(lesson(), text.replace('## ', 'A sentence added while serving.\n\n## '));
      const reload = await stream.next('reload', saved);
      const latency = reload.at - saved;
      console.log(`serve: edit-to-reload latency on the valid fixture: ${latency.toFixed(0)} ms`);
      expect(latency).toBeLessThan(3000);
      expect((await get(session.url, '/03-grundlagen/03-dritte.html')).body).toContain('A sentence added while serving.');
      expect(printed.stderr.join('')).toMatch(/✓ Rebuilt in [\d.]+ m?s \([\d.]+ m?s CPU\) after a change to .*03-dritte\.md: 1 lesson re-read, 3 files written/);
    } finally {
      stream.close();
    }
  });

  it('keeps the last good output on a broken edit, shows the problem, and recovers when fixed', async () => {
    const stream = await EventStream.open(session.url);
    try {
      const good = readFileSync(lesson(), 'utf8');
      const before = (await get(session.url, '/03-grundlagen/03-dritte.html')).body;
      const broke = performance.now();
      writeFileSync(lesson(), good.replace('lesson: 3.3', 'lesson: [3.3'));
      const { data } = await stream.next('problems', broke);
      expect(data).toMatchObject({
        title: expect.stringMatching(/^The course does not build: \d+ errors?$/),
        problems: expect.arrayContaining([
          { place: expect.stringMatching(/^03-grundlagen\/03-dritte\.md:\d+:\d+$/), rule: 'frontmatter-syntax', severity: 'error', message: expect.stringMatching(/^YAML does not parse/) },
        ]),
      });
      expect(stream.names()).not.toContain('reload');
      expect(printed.stdout.join('')).toMatch(/^03-grundlagen\/03-dritte\.md:\d+:\d+ {2}error {2}YAML does not parse.* {2}frontmatter-syntax$/m);
      expect(printed.stderr.join('')).toMatch(/✖ Not published: \d+ errors? \(above\)\. Still serving the last good build/);
      expect((await get(session.url, '/03-grundlagen/03-dritte.html')).body).toBe(before);

      const late = await EventStream.open(session.url);
      try {
        expect((await late.next('problems', 0, 1000)).data).toEqual(data);
      } finally {
        late.close();
      }

      const fixed = performance.now();
      writeFileSync(lesson(), good);
      await stream.next('reload', fixed);
      const again = await EventStream.open(session.url);
      await new Promise((resolve) => setTimeout(resolve, 100));
      again.close();
      expect(again.names()).toEqual([]);
    } finally {
      stream.close();
    }
  });

  it('shows a course.yml that stops the build the same way, without stopping the server', async () => {
    const stream = await EventStream.open(session.url);
    const config = path.join(course.dir, 'course.yml');
    const good = readFileSync(config, 'utf8');
    try {
      const broke = performance.now();
      writeFileSync(config, 'title: [unclosed\n');
      const { data } = await stream.next('problems', broke);
      expect(data).toMatchObject({ title: 'The build stopped', problems: [{ severity: 'error', message: expect.stringMatching(/^Could not parse course\.yml:\d+:\d+/) }] });
      expect(printed.stderr.join('')).toMatch(/✖ coursebook: Could not parse course\.yml/);
      expect((await get(session.url, '/')).status).toBe(200);
      const fixed = performance.now();
      writeFileSync(config, good);
      await stream.next('reload', fixed);
    } finally {
      stream.close();
    }
  });

  it('in Chromium: the overlay shows the problem as text, can be dismissed, and the page reloads when fixed', async () => {
    const browser = browserSession();
    try {
      const page = await (await browser.get()).newPage();
      await page.goto(new URL('/03-grundlagen/03-dritte.html', session.url).href);
      await page.waitForFunction(() => performance.getEntriesByType('resource').some((entry) => entry.name.endsWith('/__coursebook/client.js')));
      await page.evaluate(() => ((window as unknown as { beforeReload: boolean }).beforeReload = true));
      const good = readFileSync(lesson(), 'utf8');
      writeFileSync(lesson(), good.replace('minutes: 1', 'minutes: "<img src=x onerror=alert(1)>"'));
      await page.waitForFunction(() => document.querySelector('coursebook-overlay')?.shadowRoot?.textContent?.includes('frontmatter-schema'), { timeout: 10_000 });
      const shown = await page.evaluate(() => {
        const root = document.querySelector('coursebook-overlay')!.shadowRoot!;
        return { text: root.querySelector('.panel')!.textContent, images: root.querySelectorAll('img').length, role: root.querySelector('[role=alert]') !== null };
      });
      expect(shown.text).toMatch(/^×The course does not build: 1 error03-grundlagen\/03-dritte\.md:6:10 error frontmatter-schemaField `minutes` is invalid/);
      expect(shown.text).toContain('<img src=x onerror=alert(1)>');
      expect(shown.images).toBe(0);
      expect(shown.role).toBe(true);
      await page.evaluate(() => document.querySelector('coursebook-overlay')!.shadowRoot!.querySelector('button')!.click());
      expect(await page.evaluate(() => document.querySelector('coursebook-overlay'))).toBeNull();
      writeFileSync(lesson(), good);
      await page.waitForFunction(() => !(window as unknown as { beforeReload?: boolean }).beforeReload, { timeout: 10_000 });
      expect(await page.evaluate(() => document.querySelector('coursebook-overlay'))).toBeNull();
    } finally {
      await browser.close();
    }
  });

  it('stops cleanly: connections end, the port closes, nothing is left beside the output', async () => {
    const stream = await EventStream.open(session.url);
    await session.close();
    await stream.ended;
    await expect(get(session.url, '/')).rejects.toThrow(/ECONNREFUSED/);
    expect(leftovers(scratch.dir)).toEqual([]);
    expect(existsSync(path.join(out, 'index.html'))).toBe(true);
    writeFileSync(lesson(), `${readFileSync(lesson(), 'utf8')}\nAfter closing.\n`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(readFileSync(path.join(out, '03-grundlagen', '03-dritte.html'), 'utf8')).not.toContain('After closing.');
  });
});

describe('build queue', () => {
  it('never runs two builds at once: changes during a build make exactly one follow-up with all their paths', async () => {
    const runs: string[][] = [];
    let running = 0;
    let overlapped = false;
    let finishFirst: () => void = () => {};
    const queue = new BuildQueue(async (changed) => {
      runs.push(changed);
      overlapped ||= ++running > 1;
      if (runs.length === 1) await new Promise<void>((resolve) => (finishFirst = resolve));
      running--;
    });
    queue.request(['a.md']);
    queue.request(['c.md']);
    queue.request(['b.md', 'c.md']);
    finishFirst();
    await queue.idle();
    expect(runs).toEqual([['a.md'], ['b.md', 'c.md']]);
    expect(overlapped).toBe(false);
  });
});

describe('ports', () => {
  const takePort = async (): Promise<{ port: number; release: () => Promise<void> }> => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    return { port: (blocker.address() as AddressInfo).port, release: () => new Promise((resolve) => blocker.close(() => resolve())) };
  };

  it('a port the user named that is taken stops serve with exit 2 and a reason', async () => {
    const taken = await takePort();
    const scratch = await scratchDir();
    try {
      const result = await cli(['serve', fixture('valid', 'content'), '--out', path.join(scratch.dir, 'site'), '--port', String(taken.port)]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`coursebook: Port ${taken.port} is in use on 127.0.0.1. Stop what is using it, or pass another --port (--port 0 picks any free port).\n`);
      expect(existsSync(path.join(scratch.dir, 'site'))).toBe(false);
      expect((await cli(['serve', '--port', 'eighty'])).code).toBe(2);
    } finally {
      await taken.release();
      await scratch.cleanup();
    }
  });

  it('without a named port, the next free one is taken', async () => {
    const taken = await takePort();
    const events = new LiveEvents();
    const server = createSiteServer(projectRoot, events);
    try {
      const port = await listen(server, '127.0.0.1', taken.port, 5);
      expect(port).toBeGreaterThan(taken.port);
    } finally {
      events.close();
      await new Promise((resolve) => server.close(resolve));
      await taken.release();
    }
  });
});

describe('serving the embedded course', () => {
  it('sends a reload for every saved edit to one lesson (latency printed; timed by the bench, not here)', async () => {
    const course = await scratchCopy(path.join(projectRoot, 'content'));
    const scratch = await scratchDir();
    const session = await serve(course.dir, { out: path.join(scratch.dir, 'site'), port: 0, terminal: captureTerminal().terminal });
    const stream = await EventStream.open(session.url);
    try {
      const file = path.join(course.dir, '04-distributed-systems', '05-distributed-consensus.md');
      const text = readFileSync(file, 'utf8');
      const latencies: number[] = [];
      for (let edit = 1; edit <= 6; edit++) {
        const saved = performance.now();
        writeFileSync(file, text.replace('\n## ', `\nEdit number ${edit}.\n\n## `));
        latencies.push((await stream.next('reload', saved)).at - saved);
      }
      const sorted = [...latencies].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)]!;
      console.log(`serve: edit-to-reload latency on content/ (11 lessons): ${latencies.map((ms) => ms.toFixed(0)).join(', ')} ms; median ${median.toFixed(0)} ms`);
      // Speed is the bench's business (bench/serve.ts): a timed assertion here would fail on a busy machine, not on slow code.
      expect(latencies).toHaveLength(6);
    } finally {
      stream.close();
      await session.close();
      await course.cleanup();
      await scratch.cleanup();
    }
  });
});

describe('Ctrl-C', () => {
  it('stops the server and the watcher, exits 130 and leaves no staging folder', async () => {
    const course = await scratchCopy(fixture('valid', 'content'));
    const scratch = await scratchDir();
    const out = path.join(scratch.dir, 'site');
    const main = pathToFileURL(path.join(projectRoot, 'src', 'cli', 'main.ts')).href;
    const args = ['serve', course.dir, '--out', out, '--port', '0'];
    const script = `import { runCli } from ${JSON.stringify(main)};
process.exitCode = await runCli(${JSON.stringify(args)}, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), color: false, stderrTTY: false, stderrColor: false, cwd: process.cwd() });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 60_000;
      while (!/Serving (http:\S+)/.test(stderr) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      const url = /Serving (http:\S+)/.exec(stderr)?.[1];
      expect(url, stderr).toBeDefined();
      expect((await get(url!, '/')).status).toBe(200);
      const stream = await EventStream.open(url!);
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      stream.close();
      expect(stderr).toMatch(/interrupted; cleaning up/);
      expect(stderr).not.toMatch(/\n\s+at /);
      await expect(get(url!, '/')).rejects.toThrow(/ECONNREFUSED/);
      expect(leftovers(scratch.dir)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      await course.cleanup();
      await scratch.cleanup();
    }
  });
});

/** Every file under a folder with its bytes, by path (forward slashes). */
function folderBytes(folder: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(folder, file).split(path.sep).join('/'), readFileSync(file));
  }
  return files;
}

describe('serve after a sequence of edits equals a fresh build', () => {
  let course: { dir: string; cleanup: () => Promise<void> };
  let scratch: { dir: string; cleanup: () => Promise<void> };
  let session: ServeSession;
  let stream: EventStream;
  let fresh = 0;
  const printed = captureTerminal();
  const source = (...parts: string[]): string => path.join(course.dir, ...parts);

  beforeAll(async () => {
    course = await scratchCopy(fixture('valid', 'content'));
    scratch = await scratchDir();
    session = await serve(course.dir, { out: path.join(scratch.dir, 'site'), port: 0, terminal: printed.terminal });
    stream = await EventStream.open(session.url);
  });
  afterAll(async () => {
    stream?.close();
    await session?.close();
    await course?.cleanup();
    await scratch?.cleanup();
  });

  /** Saves, waits for the reload, and returns its data and the status line serve printed. */
  const save = async (change: () => void): Promise<{ pages?: string[]; status: string }> => {
    const since = performance.now();
    const lines = printed.stderr.length;
    change();
    const reload = await stream.next('reload', since, 30_000);
    return { ...(reload.data as { pages?: string[] }), status: printed.stderr.slice(lines).join('') };
  };

  /** The serve folder, file by file, against `build --format html,json --no-cache` of the same sources. */
  const expectSameAsFreshBuild = async (): Promise<void> => {
    const out = path.join(scratch.dir, `fresh-${++fresh}`);
    const built = await cli(['build', course.dir, '--out', out, '--format', 'html,json', '--no-cache']);
    expect(built.code, built.stderr).toBe(0);
    const expected = folderBytes(out);
    const served = folderBytes(session.outDir);
    expect([...served.keys()].sort()).toEqual([...expected.keys()].sort());
    const differing = [...expected].filter(([file, bytes]) => !served.get(file)!.equals(bytes)).map(([file]) => file);
    expect(differing).toEqual([]);
  };

  it('a lesson body edit re-reads that lesson and writes only its page, its API document and its section document', async () => {
    const saved = await save(() => writeFileSync(source('03-grundlagen', '05-fuenfte.md'), `${readFileSync(source('03-grundlagen', '05-fuenfte.md'), 'utf8')}\nA sentence saved while serving.\n`));
    expect(saved.status).toMatch(/1 lesson re-read, 3 files written/);
    expect(saved.pages).toEqual(['03-grundlagen/05-fuenfte.html', 'api/lessons/3.5.json', 'api/sections/3.json']);
    await expectSameAsFreshBuild();
  });

  it('a title edit also rewrites the neighbours and the section page', async () => {
    const file = source('03-grundlagen', '05-fuenfte.md');
    const saved = await save(() => writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: "Ein neuer Titel"')));
    expect(saved.status).toMatch(/1 lesson re-read/);
    expect(saved.pages).toEqual(expect.arrayContaining(['03-grundlagen/04-vierte.html', '03-grundlagen/05-fuenfte.html', '03-grundlagen/06-sechste.html', '03-grundlagen/index.html']));
    expect(saved.pages).not.toContain('04-more/01-more.html');
    await expectSameAsFreshBuild();
  });

  it('adding a lesson builds the whole course again', async () => {
    const saved = await save(() =>
      writeFileSync(source('04-more', '02-added.md'), '---\nlesson: 4.2\ntitle: Added while serving\nsummary: A new lesson.\nminutes: 1\n---\n\nWords of a lesson added while serving.\n'),
    );
    expect(saved.status).toMatch(/every file written/);
    await expectSameAsFreshBuild();
  });

  it('removing a lesson builds the whole course again, and its pages go', async () => {
    await save(() => rmSync(source('04-more', '02-added.md')));
    expect(existsSync(path.join(session.outDir, '04-more', '02-added.html'))).toBe(false);
    await expectSameAsFreshBuild();
  });

  it('a course.yml edit builds the whole course again', async () => {
    const saved = await save(() => writeFileSync(source('course.yml'), readFileSync(source('course.yml'), 'utf8').replace('Ada Lovelace', 'Ada King')));
    expect(saved.status).toMatch(/every file written/);
    await expectSameAsFreshBuild();
  });

  it('an asset edit builds the whole course again', async () => {
    const image = source('images', 'cafe.svg');
    await save(() => writeFileSync(image, readFileSync(image, 'utf8').replace('</svg>', '<!-- edited --></svg>')));
    await expectSameAsFreshBuild();
  });

  it('a broken save publishes nothing, and its fix serves what a fresh build writes', async () => {
    const file = source('03-grundlagen', '02-zweite.md');
    const text = readFileSync(file, 'utf8');
    const since = performance.now();
    writeFileSync(file, text.replace(/^minutes: .*$/m, 'minutes: soon'));
    await stream.next('problems', since, 30_000);
    const saved = await save(() => writeFileSync(file, text.replace('\n## ', '\nA sentence after the fix.\n\n## ')));
    expect(saved.status).toMatch(/1 lesson re-read/);
    await expectSameAsFreshBuild();
  });

  it('a body edit after all of that is incremental again', async () => {
    const file = source('04-more', '01-more.md');
    const saved = await save(() => writeFileSync(file, readFileSync(file, 'utf8').replace('Words in a paragraph.', 'Words in a [linked](../03-grundlagen/05-fuenfte.md) paragraph.')));
    expect(saved.status).toMatch(/1 lesson re-read/);
    await expectSameAsFreshBuild();
  });
});

describe('diagnostics after a lesson save', () => {
  it('are what check reports for the same sources, course-wide findings included once', async () => {
    const course = await scratchCopy(fixture('rules', 'font-missing', 'content'));
    const scratch = await scratchDir();
    const browser = browserSession();
    try {
      // A private-use character in the title: a course-wide finding that a one-lesson check sees too.
      writeFileSync(path.join(course.dir, 'course.yml'), 'title: "Fixture course \uE000"\nauthor: Test Author\n');
      const options = { out: path.join(scratch.dir, 'site'), formats: ['html', 'json'], cache: false, browser };
      const first = await serveBuild(course.dir, options);
      const lesson = path.join(course.dir, '01-basics', '01-a.md');
      writeFileSync(lesson, `${readFileSync(lesson, 'utf8')}\nA glyph no font has: \uE001.\n`);
      const saved = await serveRebuild(first.state!, [lesson]);
      expect(saved.full).toBe(false);
      const expected = (await check(course.dir, { out: options.out, cache: false, browser })).diagnostics;
      expect(expected.filter((d) => d.rule === 'font-missing').map((d) => d.file)).toEqual(['01-basics/01-a.md', '01-basics/02-b.md', 'course.yml']);
      expect(saved.diagnostics).toEqual(expected);
    } finally {
      await browser.close();
      await course.cleanup();
      await scratch.cleanup();
    }
  });
});
