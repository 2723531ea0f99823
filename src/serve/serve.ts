import path from 'node:path';
import type { Colors } from 'picocolors/types.js';
import { browserSession } from '../browser/chromium.js';
import { countBySeverity } from '../diagnostics/diagnostic.js';
import { formatDiagnostics } from '../diagnostics/reporters.js';
import { CoursebookError } from '../shared/errors.js';
import { onInterrupt } from '../process/interrupt.js';
import { builtinTemplates } from '../render/templates.js';
import { LiveEvents } from './events.js';
import { defaultServeFormats, defaultServePort } from './defaults.js';
import { serveBuild, serveRebuild, type ServeBuildReport, type ServeState } from './incremental.js';
import { diagnosticsReport, errorReport } from './problems.js';
import { BuildQueue } from './queue.js';
import { createSiteServer, listen } from './server.js';
import { watchFolders, type FolderWatcher } from './watch.js';

/** Where `serve` prints: diagnostics (text reporter) on stdout, status lines on stderr. */
export interface ServeTerminal {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  colors: Colors;
  /** Paths in status lines are relative to this folder. */
  cwd: string;
}

/** Options of `serve`. */
export interface ServeOptions {
  /** The output folder; defaults to `serveOutDir(contentDir)`. */
  out?: string;
  /** Formats to build; defaults to `defaultServeFormats`. */
  formats?: string[];
  /** The interface to listen on; defaults to 127.0.0.1, so nothing outside this machine can connect. */
  host?: string;
  /** A port to take exactly (0: any free port); when omitted, 4000 or the next free port after it. */
  port?: number;
  /** Use the persistent cache (default true). */
  cache?: boolean;
  /** How long the watched folders must be quiet before a rebuild (ms). */
  debounceMs?: number;
  terminal: ServeTerminal;
}

/** A running `serve`. */
export interface ServeSession {
  /** The address to open, such as `http://127.0.0.1:4000/`. */
  url: string;
  port: number;
  /** The folder being served (absolute). */
  outDir: string;
  /** Stops watching, lets a running build finish, closes every connection and the browser. */
  close(): Promise<void>;
  /** Resolves once the session is closed. */
  closed: Promise<void>;
}

export { defaultServeFormats, defaultServePort };
/** How many ports from the default one `serve` tries before giving up. */
const portTries = 20;
/** Long enough to merge an editor's writes of one save, short enough not to be felt. */
const defaultDebounceMs = 40;

/**
 * The default output folder of `serve`: `.coursebook-serve/` beside the content folder, so
 * serving never replaces what `build` wrote to dist/, and the diagram cache beside it is shared.
 * @param contentDir the content folder
 */
export function serveOutDir(contentDir: string): string {
  return path.join(path.dirname(path.resolve(contentDir)), '.coursebook-serve');
}

/** `http://host:port/`, with IPv6 hosts bracketed and a wildcard host shown as localhost. */
function urlOf(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}/`;
}

/** What a serve build did: "1 lesson re-read, 3 files written" or "1,100 lessons read, all files written". */
function whatWasDone(result: ServeBuildReport): string {
  const lessons = `${result.reread} ${result.reread === 1 ? 'lesson' : 'lessons'}`;
  if (result.full) return `${lessons} read, every file written`;
  return `${lessons} re-read, ${result.written.length} ${result.written.length === 1 ? 'file' : 'files'} written`;
}

const duration = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`);

/**
 * Builds a course, serves the output folder over HTTP and rebuilds on every saved change to the
 * content or templates, reloading open pages (or showing the build's problems in them).
 * Note: a build that fails after startup never stops the server; the last good output stays
 * served. Ctrl-C closes everything (exit code 130, as for any interrupted command).
 * @param contentDir the content root
 * @param options output folder, formats, address, terminal
 * @throws CoursebookError when the first build cannot run at all (no course.yml, a refused
 *   output folder, an unknown format), or the port is taken
 */
export async function serve(contentDir: string, options: ServeOptions): Promise<ServeSession> {
  const root = path.resolve(contentDir);
  const outDir = path.resolve(options.out ?? serveOutDir(root));
  const { terminal } = options;
  const c = terminal.colors;
  const relative = (file: string): string => path.relative(terminal.cwd, file) || '.';
  const browser = browserSession();
  const events = new LiveEvents();
  const buildOptions = { out: outDir, formats: options.formats ?? [...defaultServeFormats], cache: options.cache ?? true, browser };
  let stopping = false;

  let state: ServeState | undefined;
  const reportResult = (result: ServeBuildReport, ms: number, verb: string, changed: string[], cpu: NodeJS.CpuUsage): void => {
    state = result.state;
    if (result.diagnostics.length > 0) {
      terminal.stdout(formatDiagnostics('text', result.diagnostics, { root, cwd: terminal.cwd, fileCount: result.fileCount, colors: c }));
    }
    if (result.published) {
      const cause = changed.length === 0 ? '' : ` after a change to ${relative(changed[0]!)}${changed.length > 1 ? ` and ${changed.length - 1} more` : ''}`;
      const cpuMs = (cpu.user + cpu.system) / 1000;
      terminal.stderr(`${c.green('✓')} ${verb} in ${duration(ms)} (${duration(cpuMs)} CPU)${cause}: ${whatWasDone(result)}\n`);
      events.reload(result.full ? undefined : result.written);
      return;
    }
    const { errors } = countBySeverity(result.diagnostics);
    terminal.stderr(`${c.red('✖')} Not published: ${errors} ${errors === 1 ? 'error' : 'errors'} (above). Still serving the last good build; fix and save.\n`);
    events.fail(diagnosticsReport(result.diagnostics));
  };

  const rebuild = async (changed: string[]): Promise<void> => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    try {
      const result = await (state ? serveRebuild(state, changed) : serveBuild(root, buildOptions));
      reportResult(result, performance.now() - started, 'Rebuilt', changed, process.cpuUsage(cpu));
    } catch (error) {
      // The next save loads the whole course again: this one may have left the kept course half-changed.
      state = undefined;
      // A build cut short by closing the session is not a failure to show.
      if (stopping) return;
      const message = error instanceof CoursebookError ? error.message : `unexpected failure: ${(error as Error).message ?? String(error)}`;
      terminal.stderr(`${c.red('✖')} coursebook: ${message}\n  Still serving the last good build; fix and save.\n`);
      events.fail(errorReport(error));
    }
  };

  const queue = new BuildQueue(rebuild);
  const server = createSiteServer(outDir, events);
  const host = options.host ?? '127.0.0.1';
  let watcher: FolderWatcher | undefined;
  const startWatching = (): FolderWatcher => {
    try {
      return watchFolders([root, builtinTemplates], (changed) => queue.request(changed), {
        debounceMs: options.debounceMs ?? defaultDebounceMs,
        onError: (error, folder) => terminal.stderr(`${c.yellow('⚠')} Watching ${relative(folder)} failed: ${error.message}. Restart coursebook serve to watch it again.\n`),
      });
    } catch (error) {
      if (((error as Error).cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT')
        throw new CoursebookError(`No such folder: ${contentDir}. Pass the folder that holds course.yml.`, { cause: error });
      throw error;
    }
  };
  // The port first, so a taken one is said at once; a page opened during the first build reloads when it ends.
  // Watching starts before the first build reads anything, so a save during it is not missed.
  const startup = async (): Promise<number> => {
    const port = options.port === undefined ? await listen(server, host, defaultServePort, portTries) : await listen(server, host, options.port, 1);
    watcher = startWatching();
    const started = performance.now();
    const cpu = process.cpuUsage();
    reportResult(await queue.hold(serveBuild(root, buildOptions)), performance.now() - started, 'Built', [], process.cpuUsage(cpu));
    return port;
  };

  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  let closing: Promise<void> | undefined;
  const shutdown = (waitForBuild: boolean): Promise<void> =>
    (closing ??= (async () => {
      stopping = true;
      unregister();
      watcher?.close();
      queue.stop();
      // On a signal the build is not waited for: the pipeline removes its own staging folder.
      if (waitForBuild) await queue.idle();
      events.close();
      const serverClosed = new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
      server.closeAllConnections();
      await serverClosed;
      await browser.close();
      resolveClosed();
    })());
  const unregister = onInterrupt(() => shutdown(false));

  let port: number;
  try {
    port = await startup();
  } catch (error) {
    await shutdown(true);
    throw error;
  }
  const url = urlOf(host, port);
  if (options.port === undefined && port !== defaultServePort) terminal.stderr(`${c.yellow('⚠')} Port ${defaultServePort} is in use; using ${port} instead.\n`);
  terminal.stderr(`Serving ${c.bold(url)} from ${relative(outDir)}, watching ${relative(root)} and the templates. Ctrl-C to stop.\n`);
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') terminal.stderr(`${c.yellow('⚠')} Listening on ${host}: other machines on the network can read the course.\n`);
  return { url, port, outDir, close: () => shutdown(true), closed };
}
