import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer';
import { CoursebookError } from '../shared/errors.js';
import { onInterrupt } from '../process/interrupt.js';

/** Flags that keep Chromium quiet, local and headless on CI machines and laptops alike. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-extensions',
  '--disable-default-apps',
  '--mute-audio',
  '--font-render-hinting=none',
];

const systemPaths: Record<string, string[]> = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome-stable', '/usr/bin/google-chrome', '/snap/bin/chromium'],
  darwin: ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium'],
  win32: [
    path.join(process.env.PROGRAMFILES ?? 'C:\\Program Files', 'Google', 'Chrome', 'Application', 'chrome.exe'),
    path.join(process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)', 'Google', 'Chrome', 'Application', 'chrome.exe'),
    path.join(process.env.LOCALAPPDATA ?? '', 'Google', 'Chrome', 'Application', 'chrome.exe'),
  ],
};

/**
 * Finds a Chromium to drive: COURSEBOOK_CHROMIUM, then PUPPETEER_EXECUTABLE_PATH, then the usual
 * system locations, then a browser puppeteer downloaded itself.
 * @throws CoursebookError saying how to get one when none is found
 */
export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  for (const variable of ['COURSEBOOK_CHROMIUM', 'PUPPETEER_EXECUTABLE_PATH']) {
    const value = env[variable];
    if (!value) continue;
    if (existsSync(value)) return value;
    throw new CoursebookError(`${variable} is set to ${value}, but no such file exists. Point it at a Chromium or Chrome executable.`);
  }
  for (const candidate of systemPaths[process.platform] ?? []) if (existsSync(candidate)) return candidate;
  try {
    const puppeteer = (await import('puppeteer')).default;
    const downloaded = puppeteer.executablePath();
    if (downloaded && existsSync(downloaded)) return downloaded;
  } catch {
    // puppeteer knows of no browser of its own: fall through to the advice below.
  }
  throw new CoursebookError(
    'No Chromium found; PDFs, diagrams and ebook covers are printed with one. Either set COURSEBOOK_CHROMIUM=/path/to/chrome, ' +
      'install Chromium (Debian/Ubuntu: sudo apt-get install chromium), or let puppeteer download its own (npx puppeteer browsers install chrome).',
  );
}

/** A browser started on first use and closed once, however the build ends. */
export interface BrowserSession {
  /** Starts the browser if needed and returns it. */
  get(): Promise<Browser>;
  /** Whether a browser was started. */
  readonly started: boolean;
  /** Closes the browser and removes its profile folder; safe to call more than once. */
  close(): Promise<void>;
}

const profilePrefix = 'coursebook-chromium-';

/** Removes Chromium profile folders left by Coursebook processes that were killed (kill -9). */
async function removeStaleProfiles(): Promise<void> {
  let names: string[] = [];
  try {
    names = await readdir(os.tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    const owner = Number(/^coursebook-chromium-(\d+)-/.exec(name)?.[1]);
    if (!owner || owner === process.pid) continue;
    try {
      process.kill(owner, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') await rm(path.join(os.tmpdir(), name), { recursive: true, force: true });
    }
  }
}

/**
 * Creates a lazily started browser session: nothing runs until `get()` is first called, so a
 * build that needs no browser never starts one.
 */
export function browserSession(): BrowserSession {
  let browser: Promise<Browser> | undefined;
  let profile: string | undefined;
  let unregister: (() => void) | undefined;
  const session: BrowserSession = {
    get started() {
      return browser !== undefined;
    },
    async get() {
      browser ??= (async () => {
        unregister = onInterrupt(() => session.close());
        const executablePath = await findChromium();
        await removeStaleProfiles();
        profile = await mkdtemp(path.join(os.tmpdir(), `${profilePrefix}${process.pid}-`));
        const puppeteer = (await import('puppeteer')).default;
        try {
          // pipe: Chromium talks over stdio, so it exits with us even when we are killed with SIGKILL.
          return await puppeteer.launch({ executablePath, headless: true, pipe: true, args: chromiumArgs, userDataDir: profile, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
        } catch (cause) {
          throw new CoursebookError(`Could not start Chromium at ${executablePath}: ${(cause as Error).message.split('\n')[0]}`, { cause });
        }
      })();
      return browser;
    },
    async close() {
      unregister?.();
      unregister = undefined;
      const pending = browser;
      browser = undefined;
      if (pending) {
        try {
          await (await pending).close();
        } catch {
          // A browser that failed to start or already died has nothing left to close.
        }
      }
      if (profile) await rm(profile, { recursive: true, force: true });
      profile = undefined;
    },
  };
  return session;
}
