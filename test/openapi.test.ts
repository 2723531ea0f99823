import { readFileSync, writeFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { compileErrors, validate } from '@readme/openapi-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/pipeline.js';
import { fixture, scratchCopy, scratchDir } from './helpers.js';

const folders: (() => Promise<void>)[] = [];
type Json = Record<string, any>;

async function buildApi(contentDir: string): Promise<string> {
  const { dir, cleanup } = await scratchDir();
  folders.push(cleanup);
  const out = path.join(dir, 'dist');
  const result = await build(contentDir, { out, formats: ['json'], cache: false });
  if (!result.published) throw new Error(`build failed: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
  return out;
}

/** Serves a build under a sub-path, as a site published below a domain's root would be. */
async function serve(root: string, prefix: string): Promise<{ server: Server; site: string }> {
  const server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    try {
      if (!pathname.startsWith(prefix)) throw new Error('outside');
      const body = readFileSync(path.join(root, ...pathname.slice(prefix.length).split('/')));
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, site: `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}` };
}

const builds: Record<string, { out: string; baseUrl?: string }> = {};

beforeAll(async () => {
  builds['content/'] = { out: await buildApi(path.resolve(import.meta.dirname, '..', 'content')) };
  builds['the constructs fixture'] = { out: await buildApi(fixture('constructs', 'content')) };
  const copy = await scratchCopy(fixture('constructs', 'content'));
  folders.push(copy.cleanup);
  await appendFile(path.join(copy.dir, 'course.yml'), 'baseUrl: https://courses.example.org/quorums/\n');
  builds['the constructs fixture with baseUrl'] = { out: await buildApi(copy.dir), baseUrl: 'https://courses.example.org/quorums/' };
}, 240_000);

afterAll(async () => {
  for (const cleanup of folders) await cleanup();
});

describe('api/openapi.json', () => {
  for (const name of ['content/', 'the constructs fixture', 'the constructs fixture with baseUrl']) {
    it(`is valid OpenAPI 3.1, and every path it describes answers with a document its schema accepts (${name})`, async () => {
      const { out, baseUrl } = builds[name]!;
      const file = path.join(out, 'api', 'openapi.json');
      const description = JSON.parse(readFileSync(file, 'utf8')) as Json;
      expect(description.openapi).toBe('3.1.0');
      if (!baseUrl) {
        // A maintained parser resolves the $refs (relative to the file) and validates the whole description.
        const result = await validate(file);
        expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
      } else {
        const result = await validate(structuredClone(description), { resolve: { external: false } } as never).catch((error: Error) => ({ valid: false, errors: [error] }));
        expect(result.valid, JSON.stringify(result)).toBe(true);
      }
      expect(Object.keys(description.paths)).toEqual(['/api/catalogue.json', '/api/sections/{n}.json', '/api/lessons/{id}.json']);

      const { server, site } = await serve(out, '/course/');
      // URLs are resolved where the site is published (baseUrl, or where it is served), and fetched from the test server.
      const published = baseUrl ?? site;
      const served = (url: string): string => (url.startsWith(published) ? `${site}${url.slice(published.length)}` : url);
      try {
        const documentUrl = `${published}api/openapi.json`;
        const serverUrl = new URL(description.servers[0].url, documentUrl).href.replace(/\/$/, '');
        const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
        addFormats.default(ajv);
        let fetched = 0;
        for (const [template, item] of Object.entries(description.paths as Record<string, Json>)) {
          const operation = item.get as Json;
          const content = operation.responses['200'].content as Json;
          expect(Object.keys(content)).toEqual(['application/json']);
          const schemaUrl = new URL(content['application/json'].schema.$ref, documentUrl).href;
          const schemaResponse = await fetch(served(schemaUrl));
          expect(schemaResponse.status, schemaUrl).toBe(200);
          const schema = (await schemaResponse.json()) as Json;
          expect(new URL(schema.$id, schemaUrl).href).toBe(schemaUrl);
          const check = ajv.getSchema(schemaUrl) ?? ajv.compile({ ...schema, $id: schemaUrl });
          const parameter = (operation.parameters ?? [])[0] as Json | undefined;
          const values: (string | number)[] = parameter ? parameter.schema.enum : [''];
          expect(values.length).toBeGreaterThan(0);
          for (const value of values) {
            const pathname = parameter ? template.replace(`{${parameter.name}}`, String(value)) : template;
            const url = `${serverUrl}${pathname}`;
            const response = await fetch(served(url));
            expect(response.status, url).toBe(200);
            const document = (await response.json()) as Json;
            expect(check(document), `${url}: ${ajv.errorsText(check.errors)}`).toBe(true);
            // The document's own $schema names the same schema, resolved from the document's URL.
            expect(new URL(document.$schema, url).href).toBe(schemaUrl);
            fetched++;
          }
        }
        const catalogue = JSON.parse(readFileSync(path.join(out, 'api', 'catalogue.json'), 'utf8')) as Json;
        expect(fetched).toBe(1 + catalogue.sections.length + catalogue.sections.reduce((sum: number, section: Json) => sum + section.lessons.length, 0));
      } finally {
        server.close();
      }
    }, 60_000);
  }

  it('the parser is not a formality: it rejects a description with a broken response', async () => {
    const file = path.join(builds['content/']!.out, 'api', 'openapi.json');
    const broken = JSON.parse(readFileSync(file, 'utf8')) as Json;
    delete broken.paths['/api/catalogue.json'].get.responses['200'].description;
    broken.paths['/api/catalogue.json'].get.responses['200'].content['application/json'].schema = { type: 'object' };
    const brokenFile = path.join(path.dirname(file), 'openapi-broken.json');
    writeFileSync(brokenFile, JSON.stringify(broken));
    const result = await validate(brokenFile);
    expect(result.valid).toBe(false);
    expect(compileErrors(result)).toContain('description');
  });
});
