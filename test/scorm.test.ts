import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { posix } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import JSZip from 'jszip';
import type { Frame, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSession } from '../src/browser/chromium.js';
import { listFiles } from '../src/outputs/files.js';
import { build } from '../src/pipeline.js';
import { fixture, scratchCopy, scratchDir } from './helpers.js';

const content = path.resolve(import.meta.dirname, '..', 'content');
const constructs = fixture('constructs', 'content');
const session = browserSession();
const folders: (() => Promise<void>)[] = [];
const formats = ['scorm12', 'scorm2004'] as const;

/** Builds the SCORM packages of a course into a fresh folder, with no cache: every byte from this build. */
async function buildPackages(contentDir: string): Promise<Map<string, Buffer>> {
  const { dir, cleanup } = await scratchDir();
  folders.push(cleanup);
  const out = path.join(dir, 'dist');
  const result = await build(contentDir, { out, formats: [...formats], cache: false, browser: session });
  if (!result.published) throw new Error(`build failed: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
  const files = (await listFiles(out)).filter((file) => file.endsWith('.zip'));
  return new Map(files.map((file) => [file, readFileSync(path.join(out, file))] as const));
}

/** A package's files, unzipped in memory. */
async function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  const zip = await JSZip.loadAsync(bytes);
  const entries = Object.values(zip.files).filter((entry) => !entry.dir);
  return new Map(await Promise.all(entries.map(async (entry) => [entry.name, Buffer.from(await entry.async('uint8array'))] as const)));
}

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
type Node = Record<string, unknown>;

let courseZips: Map<string, Buffer>;
let quizZips: Map<string, Buffer>;
let sectionZips: Map<string, Buffer>;

beforeAll(async () => {
  courseZips = await buildPackages(content);
  quizZips = await buildPackages(constructs);
  const scratch = await scratchCopy(constructs);
  folders.push(scratch.cleanup);
  const yml = path.join(scratch.dir, 'course.yml');
  const { writeFile, readFile } = await import('node:fs/promises');
  await writeFile(yml, `${await readFile(yml, 'utf8')}lms:\n  sections: true\n`);
  sectionZips = await buildPackages(scratch.dir);
}, 240_000);

afterAll(async () => {
  await session.close();
  for (const cleanup of folders) await cleanup();
});

describe('SCORM packages', () => {
  it('are one per course, and one more per section with `lms: {sections: true}`', () => {
    expect([...courseZips.keys()].sort()).toEqual(['lms/systems-engineering-in-practice-scorm12.zip', 'lms/systems-engineering-in-practice-scorm2004.zip']);
    expect([...quizZips.keys()].sort()).toEqual(['lms/quorums-in-practice-scorm12.zip', 'lms/quorums-in-practice-scorm2004.zip']);
    expect([...sectionZips.keys()].sort()).toEqual(['lms/01-quorums-scorm12.zip', 'lms/01-quorums-scorm2004.zip', 'lms/quorums-in-practice-scorm12.zip', 'lms/quorums-in-practice-scorm2004.zip']);
  });

  it('are byte-identical across two builds', async () => {
    const again = await buildPackages(constructs);
    for (const [file, bytes] of quizZips) expect(again.get(file)?.equals(bytes), file).toBe(true);
  }, 120_000);

  for (const [name, zips] of [
    ['content/', () => courseZips],
    ['the constructs fixture', () => quizZips],
    ['section packages', () => sectionZips],
  ] as const) {
    it(`have a well-formed manifest that follows the structural rules (${name})`, async () => {
      for (const [file, bytes] of zips()) {
        const version = file.includes('2004') ? '2004' : '1.2';
        const files = await unzip(bytes);
        const xml = files.get('imsmanifest.xml')!.toString('utf8');
        expect(XMLValidator.validate(xml), file).toBe(true);
        const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (tag) => ['item', 'resource', 'file', 'dependency'].includes(tag) });
        const manifest = (parser.parse(xml) as { manifest: Node }).manifest;
        expect(manifest.metadata).toEqual({ schema: 'ADL SCORM', schemaversion: version === '2004' ? '2004 4th Edition' : 1.2 });
        expect(manifest['@xmlns']).toBe(version === '2004' ? 'http://www.imsglobal.org/xsd/imscp_v1p1' : 'http://www.imsproject.org/xsd/imscp_rootv1p1p2');

        // Identifiers: unique across the manifest, and XML names.
        const ids = [...xml.matchAll(/\sidentifier="([^"]*)"/g)].map((match) => match[1]!);
        expect(new Set(ids).size, file).toBe(ids.length);
        for (const id of ids) expect(id).toMatch(/^[A-Za-z_][A-Za-z0-9._-]*$/);

        // Organisation → sections → lessons, each lesson pointing at a SCO resource.
        const organizations = manifest.organizations as Node;
        const organization = organizations.organization as Node;
        expect(organizations['@default']).toBe(organization['@identifier']);
        const sections = asArray(organization.item as Node[]);
        expect(sections.length).toBeGreaterThan(0);
        const resources = asArray((manifest.resources as Node).resource as Node[]);
        const byId = new Map(resources.map((resource) => [resource['@identifier'] as string, resource]));
        const scoType = version === '2004' ? '@adlcp:scormType' : '@adlcp:scormtype';
        let lessons = 0;
        for (const section of sections) {
          expect(section['@identifierref']).toBeUndefined();
          if (version === '2004') expect(section['imsss:sequencing']).toEqual({ 'imsss:controlMode': { '@choice': 'true', '@flow': 'true' } });
          for (const lesson of asArray(section.item as Node[])) {
            lessons++;
            const resource = byId.get(lesson['@identifierref'] as string);
            expect(resource, String(lesson['@identifierref'])).toBeDefined();
            expect(resource![scoType]).toBe('sco');
            expect(asArray(resource!.file as Node[]).map((entry) => entry['@href'])).toContain(resource!['@href']);
            for (const dependency of asArray(resource!.dependency as Node[])) expect(byId.has(dependency['@identifierref'] as string)).toBe(true);
          }
        }
        if (version === '2004') expect(organization['imsss:sequencing']).toBeDefined();
        expect(lessons).toBe([...files.keys()].filter((entry) => entry.endsWith('.html')).length);

        // Every file listed exactly once, and every listed file present.
        const listed = resources.flatMap((resource) => asArray(resource.file as Node[]).map((entry) => entry['@href'] as string));
        expect(new Set(listed).size, file).toBe(listed.length);
        expect([...listed].sort()).toEqual([...files.keys()].filter((entry) => entry !== 'imsmanifest.xml').sort());
      }
    });
  }

  it('hold pages whose links and images resolve inside the package, with no site search or navigation', async () => {
    for (const [file, bytes] of [...courseZips, ...sectionZips]) {
      const files = await unzip(bytes);
      for (const [page, html] of files) {
        if (!page.endsWith('.html')) continue;
        const text = html.toString('utf8');
        expect(text).not.toContain('search-index.js');
        expect(text).not.toContain('class="pager');
        expect(text).toContain('data-lesson-end');
        expect(text).toMatch(/<script src="(\.\.\/)*assets\/scorm\.js" defer><\/script>/);
        for (const [, url] of text.matchAll(/\s(?:href|src)="([^"#]+)(?:#[^"]*)?"/g)) {
          if (/^[a-z]+:/i.test(url!)) continue;
          const target = posix.normalize(posix.join(posix.dirname(page), decodeURIComponent(url!)));
          expect(files.has(target), `${file}: ${page} → ${url}`).toBe(true);
        }
      }
    }
  });
});

/** Serves a package's files under /package/ and an LMS page with a scorm-again API at /lms.html. */
async function serveLms(files: Map<string, Buffer>, version: '1.2' | '2004', lesson: string): Promise<{ server: Server; url: string }> {
  const runtime = readFileSync(path.resolve(import.meta.dirname, '..', 'node_modules', 'scorm-again', 'dist', 'scorm-again.js'));
  const api = version === '2004' ? 'window.API_1484_11 = new Scorm2004API({ logLevel: 5 });' : 'window.API = new Scorm12API({ logLevel: 5 });';
  const lms = `<!DOCTYPE html><html><head><title>LMS</title><script src="/scorm-again.js"></script><script>${api}</script></head><body><iframe id="sco" src="/package/${lesson}" style="width:800px;height:300px"></iframe></body></html>`;
  const server = createServer((request, response) => {
    const url = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const types: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript', css: 'text/css', svg: 'image/svg+xml', png: 'image/png' };
    const send = (body: Buffer | string | undefined, type: string): void => {
      response.writeHead(body === undefined ? 404 : 200, { 'content-type': type });
      response.end(body ?? 'not found');
    };
    if (url === '/lms.html') return send(lms, types.html!);
    if (url === '/favicon.ico') return send('', 'image/x-icon');
    if (url === '/scorm-again.js') return send(runtime, types.js!);
    const file = url.replace(/^\/package\//, '');
    send(files.get(file), types[file.split('.').pop()!] ?? 'application/octet-stream');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The SCO's frame, once its page has loaded. */
async function scoFrame(page: Page, lesson: string): Promise<Frame> {
  await page.waitForFunction(
    (name) => [...document.querySelectorAll('iframe')].some((frame) => frame.contentDocument?.readyState === 'complete' && frame.contentWindow?.location.pathname.endsWith(name)),
    {},
    lesson,
  );
  return page.frames().find((frame) => frame.url().endsWith(lesson))!;
}

/** Answers a page's quizzes: the first option that is wrong, or the right ones. */
async function answerQuizzes(frame: Frame, right: boolean): Promise<void> {
  await frame.waitForSelector('section.quiz button.quiz-check');
  await frame.evaluate((right) => {
    for (const quiz of document.querySelectorAll('section.quiz')) {
      const options = [...quiz.querySelectorAll('li.quiz-option')];
      for (const option of options) (option.querySelector('input') as HTMLInputElement).checked = false;
      const chosen = right ? options.filter((option) => option.hasAttribute('data-correct')) : [options.find((option) => !option.hasAttribute('data-correct'))!];
      for (const option of chosen) (option.querySelector('input') as HTMLInputElement).click();
      (quiz.querySelector('button.quiz-check') as HTMLButtonElement).click();
    }
  }, right);
}

/** Reads the LMS's record of the SCO from the API object in the top window. */
const record = (page: Page, version: '1.2' | '2004'): Promise<{ status: string; raw: string; scaled: string }> =>
  page.evaluate((version) => {
    const w = window as unknown as Record<string, { cmi: Record<string, any> }>;
    if (version === '2004') {
      const cmi = w.API_1484_11!.cmi;
      return { status: String(cmi.completion_status), raw: String(cmi.score.raw), scaled: String(cmi.score.scaled) };
    }
    const cmi = w.API!.cmi;
    return { status: String(cmi.core.lesson_status), raw: String(cmi.core.score.raw), scaled: '' };
  }, version);

describe('the SCORM runtime in an LMS (scorm-again in the parent window, Chromium)', () => {
  for (const format of formats) {
    const version = format === 'scorm2004' ? '2004' : '1.2';
    for (const [name, zips, zip, lesson, quiz] of [
      ['a lesson of content/', () => courseZips, `lms/systems-engineering-in-practice-${format}.zip`, '04-distributed-systems/01-distributed-systems-overview.html', false],
      ['a lesson with a quiz', () => quizZips, `lms/quorums-in-practice-${format}.zip`, '01-quorums/02-quorums.html', true],
    ] as const) {
      it(`SCORM ${version}: records completion at the end of ${name}${quiz ? ', and the quiz score' : ''}`, async () => {
        const files = await unzip(zips().get(zip)!);
        expect(files.has(lesson), `${lesson} in ${[...files.keys()].join(', ')}`).toBe(true);
        const { server, url } = await serveLms(files, version, lesson);
        const page = await (await session.get()).newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(String(error)));
        try {
          await page.goto(`${url}/lms.html`, { waitUntil: 'load' });
          const frame = await scoFrame(page, lesson);
          await page.waitForFunction(
            (version) => {
              const w = window as unknown as Record<string, { cmi: Record<string, any> }>;
              return version === '2004' ? w.API_1484_11!.cmi.completion_status === 'incomplete' : w.API!.cmi.core.lesson_status === 'incomplete';
            },
            {},
            version,
          );
          expect((await record(page, version)).status).toBe('incomplete');
          if (quiz) {
            await answerQuizzes(frame, false);
            const wrong = await record(page, version);
            expect(wrong.raw).toBe('0');
            await answerQuizzes(frame, true);
            const rightRecord = await record(page, version);
            if (version === '2004') {
              expect(rightRecord.raw).toBe('1');
              expect(rightRecord.scaled).toBe('1');
            } else {
              expect(rightRecord.raw).toBe('100');
            }
          }
          await frame.evaluate(() => document.querySelector('[data-lesson-end]')!.scrollIntoView());
          await page.waitForFunction(
            (version) => {
              const w = window as unknown as Record<string, { cmi: Record<string, any> }>;
              return version === '2004' ? w.API_1484_11!.cmi.completion_status === 'completed' : w.API!.cmi.core.lesson_status === 'completed';
            },
            { timeout: 10_000 },
            version,
          );
          expect((await record(page, version)).status).toBe('completed');
          expect(errors).toEqual([]);
        } finally {
          await page.close();
          server.close();
        }
      }, 60_000);
    }

    it(`SCORM ${version}: a page reads and its quiz works with no LMS, and nothing throws`, async () => {
      const files = await unzip(quizZips.get(`lms/quorums-in-practice-${format}.zip`)!);
      const { server, url } = await serveLms(files, version, '');
      const page = await (await session.get()).newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      try {
        await page.goto(`${url}/package/01-quorums/02-quorums.html`, { waitUntil: 'load' });
        expect(await page.$eval('h1', (heading) => heading.textContent)).toBe('Read and Write Quorums');
        await answerQuizzes(page.mainFrame(), true);
        expect(await page.$eval('section.quiz .quiz-feedback', (feedback) => feedback.textContent)).toBe('Right.');
        await page.evaluate(() => document.querySelector('[data-lesson-end]')!.scrollIntoView());
        await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
        expect(errors).toEqual([]);
      } finally {
        await page.close();
        server.close();
      }
    }, 60_000);
  }
});
