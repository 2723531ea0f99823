import { readFileSync } from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSession } from '../src/browser/chromium.js';
import { listFiles } from '../src/outputs/files.js';
import { build } from '../src/pipeline.js';
import { cli, fixture, scratchCopy, scratchDir } from './helpers.js';

const baseUrl = 'https://courses.example.org/quorums/';
const session = browserSession();
const folders: (() => Promise<void>)[] = [];
let contentDir: string;

/** Builds books and feeds into a fresh folder and returns the folder. */
async function buildFeeds(formats = ['epub', 'pdf', 'opds']): Promise<string> {
  const { dir, cleanup } = await scratchDir();
  folders.push(cleanup);
  const out = path.join(dir, 'dist');
  const result = await build(contentDir, { out, formats, cache: false, browser: session });
  if (!result.published) throw new Error(`build failed: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
  return out;
}

let out: string;

beforeAll(async () => {
  const copy = await scratchCopy(fixture('constructs', 'content'));
  folders.push(copy.cleanup);
  contentDir = copy.dir;
  await appendFile(path.join(contentDir, 'course.yml'), `baseUrl: ${baseUrl}\n`);
  out = await buildFeeds();
}, 240_000);

afterAll(async () => {
  await session.close();
  for (const cleanup of folders) await cleanup();
});

/** The published files, served at the path `baseUrl` names, as a web server would. */
async function serve(root: string): Promise<{ server: Server; origin: string }> {
  const prefix = new URL(baseUrl).pathname;
  const types: Record<string, string> = { json: 'application/opds+json', xml: 'application/atom+xml', epub: 'application/epub+zip', pdf: 'application/pdf', png: 'image/png' };
  const server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    if (!pathname.startsWith(prefix)) return void response.writeHead(404).end();
    try {
      const body = readFileSync(path.join(root, ...pathname.slice(prefix.length).split('/')));
      response.writeHead(200, { 'content-type': types[pathname.split('.').pop()!] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** What a file's first bytes say it is. */
function kindOf(bytes: Buffer): string {
  if (bytes.subarray(0, 4).toString('latin1') === '%PDF') return 'application/pdf';
  if (bytes.subarray(0, 2).toString('latin1') === 'PK' && bytes.subarray(30, 58).toString('latin1') === 'mimetypeapplication/epub+zip') return 'application/epub+zip';
  if (bytes.subarray(1, 4).toString('latin1') === 'PNG') return 'image/png';
  return 'unknown';
}

type Json = Record<string, any>;

describe('OPDS feeds', () => {
  it('list the course book and one per section, with every EPUB and PDF of the build', async () => {
    const feed = JSON.parse(await readFile(path.join(out, 'opds', 'catalog.json'), 'utf8')) as Json;
    const downloads = (await listFiles(out)).filter((file) => file.startsWith('downloads/')).sort();
    expect(feed.publications.map((publication: Json) => publication.metadata.title)).toEqual(['Quorums in Practice', 'Section 1 · Quorums']);
    const linked = feed.publications.flatMap((publication: Json) => publication.links.map((link: Json) => link.href.replace(baseUrl, ''))).sort();
    expect(linked).toEqual(downloads);
    for (const publication of feed.publications as Json[]) {
      expect(publication.metadata).toMatchObject({ language: 'en', author: [{ name: 'Ada Lovelace' }] });
      expect(publication.metadata.identifier).toMatch(/^urn:uuid:/);
      expect(publication.metadata.description).toBeTruthy();
      expect(publication.metadata.subject.length).toBeGreaterThan(0);
      expect(publication.images.map((image: Json) => image.type)).toEqual(['image/png', 'image/png']);
      expect(publication.images[1]).toMatchObject({ width: 320, height: 480 });
    }
  });

  it('validate: OPDS 2.0 against its JSON Schemas', async () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const folder = fixture('opds-schema');
    for (const name of ['link', 'contributor', 'publication', 'feed']) ajv.addSchema(JSON.parse(readFileSync(path.join(folder, `${name}.schema.json`), 'utf8')));
    const validate = ajv.getSchema('https://drafts.opds.io/schema/feed.schema.json')!;
    const feed = JSON.parse(await readFile(path.join(out, 'opds', 'catalog.json'), 'utf8'));
    expect(validate(feed), JSON.stringify(validate.errors)).toBe(true);
    // The schemas are not a formality: a publication without an acquisition link fails them.
    const broken = structuredClone(feed);
    broken.publications[0].links = [{ rel: 'self', href: baseUrl, type: 'text/html' }];
    expect(validate(broken)).toBe(false);
  });

  it('validate: OPDS 1.2 Atom feed rules', async () => {
    const xml = await readFile(path.join(out, 'opds', 'catalog.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (tag) => ['entry', 'link', 'author', 'category'].includes(tag) });
    const feed = (parser.parse(xml) as Json).feed as Json;
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed['@xmlns:dc']).toBe('http://purl.org/dc/terms/');
    const rfc3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
    // Atom: a feed has an id, a title, an updated date and an author (or every entry has one).
    expect(feed.id).toBeTruthy();
    expect(feed.title).toBe('Quorums in Practice');
    expect(feed.updated).toMatch(rfc3339);
    expect(feed.author.length).toBeGreaterThan(0);
    // OPDS 1.2: the self link of an acquisition feed carries its profile and kind.
    const self = feed.link.find((link: Json) => link['@rel'] === 'self');
    expect(self['@type']).toBe('application/atom+xml;profile=opds-catalog;kind=acquisition');
    const ids = new Set<string>();
    for (const entry of feed.entry as Json[]) {
      expect(entry.title).toBeTruthy();
      expect(entry.id).toMatch(/^urn:uuid:/);
      ids.add(entry.id);
      expect(entry.updated).toMatch(rfc3339);
      expect(entry['dc:language']).toBe('en');
      expect(entry.summary).toBeTruthy();
      expect(entry.category.length).toBeGreaterThan(0);
      const acquisitions = entry.link.filter((link: Json) => String(link['@rel']).startsWith('http://opds-spec.org/acquisition'));
      expect(acquisitions.map((link: Json) => link['@type']).sort()).toEqual(['application/epub+zip', 'application/pdf']);
      expect(entry.link.map((link: Json) => link['@rel'])).toEqual(expect.arrayContaining(['http://opds-spec.org/image', 'http://opds-spec.org/image/thumbnail']));
      for (const link of entry.link as Json[]) expect(link['@href']).toMatch(/^https:\/\/courses\.example\.org\/quorums\//);
    }
    expect(ids.size).toBe(feed.entry.length);
  });

  it('open in a minimal client that downloads every linked file from a server', async () => {
    const { server, origin } = await serve(out);
    const local = (href: string): string => href.replace(new URL(baseUrl).origin, origin);
    try {
      const fetched = new Map<string, string>();
      const fetchAs = async (href: string): Promise<Buffer> => {
        const response = await fetch(local(href));
        expect(response.status, href).toBe(200);
        const bytes = Buffer.from(await response.arrayBuffer());
        fetched.set(href, kindOf(bytes));
        return bytes;
      };
      const feed = JSON.parse((await fetchAs(`${baseUrl}opds/catalog.json`)).toString('utf8')) as Json;
      for (const link of feed.links as Json[]) await fetchAs(link.href);
      for (const publication of feed.publications as Json[]) {
        for (const link of [...publication.links, ...publication.images] as Json[]) {
          await fetchAs(link.href);
          expect(fetched.get(link.href), link.href).toBe(link.type);
        }
      }
      const atom = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (tag) => ['entry', 'link'].includes(tag) }).parse(
        (await fetchAs(`${baseUrl}opds/catalog.xml`)).toString('utf8'),
      ) as Json;
      for (const entry of atom.feed.entry as Json[]) {
        for (const link of entry.link as Json[]) {
          await fetchAs(link['@href']);
          expect(fetched.get(link['@href'])).toBe(link['@type']);
        }
      }
      expect(fetched.size).toBe(2 + 2 * 4);
    } finally {
      server.close();
    }
  });

  it('are byte-identical across two builds', async () => {
    const again = await buildFeeds();
    for (const file of (await listFiles(out)).filter((name) => name.startsWith('opds/'))) {
      expect(readFileSync(path.join(again, file)).equals(readFileSync(path.join(out, file))), file).toBe(true);
    }
  }, 240_000);

  it('validate for content/ too (with a baseUrl added)', async () => {
    const copy = await scratchCopy(path.resolve(import.meta.dirname, '..', 'content'));
    folders.push(copy.cleanup);
    await appendFile(path.join(copy.dir, 'course.yml'), `baseUrl: ${baseUrl}\n`);
    const { dir, cleanup } = await scratchDir();
    folders.push(cleanup);
    const result = await build(copy.dir, { out: path.join(dir, 'dist'), formats: ['epub', 'opds'], cache: false, browser: session });
    expect(result.published).toBe(true);
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    for (const name of ['link', 'contributor', 'publication', 'feed']) ajv.addSchema(JSON.parse(readFileSync(path.join(fixture('opds-schema'), `${name}.schema.json`), 'utf8')));
    const feed = JSON.parse(await readFile(path.join(dir, 'dist', 'opds', 'catalog.json'), 'utf8')) as Json;
    const validate = ajv.getSchema('https://drafts.opds.io/schema/feed.schema.json')!;
    expect(validate(feed), JSON.stringify(validate.errors)).toBe(true);
    expect(feed.publications.map((publication: Json) => publication.metadata.identifier)).toContain('urn:coursebook:systems-engineering-in-practice');
    expect(XMLValidator.validate(await readFile(path.join(dir, 'dist', 'opds', 'catalog.xml'), 'utf8'))).toBe(true);
  }, 240_000);

  it('are not written without baseUrl, and the build says why in one line', async () => {
    const { dir, cleanup } = await scratchDir();
    folders.push(cleanup);
    const result = await cli(['build', fixture('constructs', 'content'), '--out', path.join(dir, 'dist'), '--format', 'epub,opds', '--no-cache']);
    expect(result.code).toBe(0);
    const lines = `${result.stdout}${result.stderr}`.split('\n').filter((line) => line.includes('opds') && line.includes('baseUrl'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('no feed: its links must be absolute, so set baseUrl in course.yml');
    expect((await listFiles(path.join(dir, 'dist'))).filter((file) => file.startsWith('opds/'))).toEqual([]);
  }, 240_000);
});
