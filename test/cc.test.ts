import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles } from '../src/outputs/files.js';
import { build } from '../src/pipeline.js';
import { fixture, scratchDir } from './helpers.js';

const folders: (() => Promise<void>)[] = [];
type Node = Record<string, any>;
const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Builds the cartridge of a course, with no cache, and returns its files unzipped. */
async function buildCartridge(contentDir: string): Promise<{ name: string; bytes: Buffer; files: Map<string, string> }> {
  const { dir, cleanup } = await scratchDir();
  folders.push(cleanup);
  const out = path.join(dir, 'dist');
  const result = await build(contentDir, { out, formats: ['cc'], cache: false });
  if (!result.published) throw new Error(`build failed: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
  const [name] = (await listFiles(out)).filter((file) => file.endsWith('.imscc'));
  const bytes = readFileSync(path.join(out, name!));
  const zip = await JSZip.loadAsync(bytes);
  const entries = Object.values(zip.files).filter((entry) => !entry.dir);
  return { name: name!, bytes, files: new Map(await Promise.all(entries.map(async (entry) => [entry.name, await entry.async('string')] as const))) };
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (tag) => ['item', 'resource', 'file', 'dependency', 'response_label', 'varequal', 'not'].includes(tag) });
const cartridges: Record<string, Awaited<ReturnType<typeof buildCartridge>>> = {};

beforeAll(async () => {
  cartridges['content/'] = await buildCartridge(path.resolve(import.meta.dirname, '..', 'content'));
  cartridges['the constructs fixture'] = await buildCartridge(fixture('constructs', 'content'));
  cartridges['a course without quizzes'] = await buildCartridge(fixture('valid', 'content'));
}, 240_000);

afterAll(async () => {
  for (const cleanup of folders) await cleanup();
});

describe('Common Cartridge 1.3', () => {
  for (const name of ['content/', 'the constructs fixture']) {
    it(`has a well-formed manifest: sections of lessons, every file in one resource, unique ids (${name})`, () => {
      const { name: file, files } = cartridges[name]!;
      expect(file).toMatch(/^lms\/[a-z0-9-]+\.imscc$/);
      const xml = files.get('imsmanifest.xml')!;
      expect(XMLValidator.validate(xml)).toBe(true);
      const manifest = (parser.parse(xml) as Node).manifest as Node;
      expect(manifest['@xmlns']).toBe('http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1');
      expect(manifest.metadata).toMatchObject({ schema: 'IMS Common Cartridge', schemaversion: '1.3.0' });
      const ids = [...xml.matchAll(/\sidentifier="([^"]*)"/g)].map((match) => match[1]!);
      expect(new Set(ids).size).toBe(ids.length);
      const organization = manifest.organizations.organization as Node;
      expect(organization['@structure']).toBe('rooted-hierarchy');
      const root = asArray(organization.item as Node[]);
      expect(root).toHaveLength(1);
      const resources = asArray(manifest.resources.resource as Node[]);
      const byId = new Map(resources.map((resource) => [resource['@identifier'] as string, resource]));
      let pages = 0;
      for (const section of asArray(root[0]!.item as Node[])) {
        expect(section['@identifierref']).toBeUndefined();
        for (const item of asArray(section.item as Node[])) {
          const resource = byId.get(item['@identifierref']);
          expect(resource, item['@identifierref']).toBeDefined();
          if (resource!['@type'] === 'webcontent') pages++;
          else expect(resource!['@type']).toBe('imsqti_xmlv1p2/imscc_xmlv1p3/assessment');
        }
      }
      expect(pages).toBe([...files.keys()].filter((entry) => entry.endsWith('.html')).length);
      const listed = resources.flatMap((resource) => asArray(resource.file as Node[]).map((entry) => entry['@href'] as string));
      expect(new Set(listed).size).toBe(listed.length);
      expect([...listed].sort()).toEqual([...files.keys()].filter((entry) => entry !== 'imsmanifest.xml').sort());
    });
  }

  it('is web content only for a course without quizzes', () => {
    const { files } = cartridges['a course without quizzes']!;
    expect([...files.keys()].some((file) => file.endsWith('.html'))).toBe(true);
    expect([...files.keys()].filter((file) => file.endsWith('assessment.xml'))).toEqual([]);
    expect(files.get('imsmanifest.xml')).not.toContain('imsqti');
  });

  it("holds each lesson's quizzes as a QTI 1.2 assessment whose answers are the page's", () => {
    const { files } = cartridges['the constructs fixture']!;
    const assessments = [...files.keys()].filter((file) => file.endsWith('assessment.xml')).sort();
    expect(assessments).toEqual(['quizzes/1.1/assessment.xml', 'quizzes/1.2/assessment.xml']);
    for (const [file, page] of [
      ['quizzes/1.1/assessment.xml', '01-quorums/01-replicas.html'],
      ['quizzes/1.2/assessment.xml', '01-quorums/02-quorums.html'],
    ] as const) {
      const xml = files.get(file)!;
      expect(XMLValidator.validate(xml)).toBe(true);
      const qti = (parser.parse(xml) as Node).questestinterop as Node;
      expect(qti['@xmlns']).toBe('http://www.imsglobal.org/xsd/ims_qtiasiv1p2');
      const items = asArray(qti.assessment.section.item as Node[]);
      // The page's quizzes, as quiz.js reads them: options in order, which ones are right.
      const html = files.get(page)!;
      const quizzes = [...html.matchAll(/<section class="quiz" id="([^"]+)"[\s\S]*?<ol class="quiz-options"[^>]*>([\s\S]*?)<\/ol>/g)].map((match) => ({
        id: match[1]!,
        correct: [...match[2]!.matchAll(/<li class="quiz-option"( data-correct="")?>/g)].map((option, index) => (option[1] ? String.fromCharCode(65 + index) : '')).filter(Boolean),
        count: [...match[2]!.matchAll(/<li class="quiz-option"/g)].length,
      }));
      expect(items.map((item) => item['@ident'])).toEqual(quizzes.map((quiz) => `item-${quiz.id}`));
      for (const [index, item] of items.entries()) {
        expect(asArray(item.presentation.response_lid.render_choice.response_label)).toHaveLength(quizzes[index]!.count);
        const condition = item.resprocessing.respcondition.conditionvar as Node;
        const right = condition.and ? asArray(condition.and.varequal).map((value: Node) => value['#text']) : asArray(condition.varequal).map((value: Node) => value['#text']);
        expect(right).toEqual(quizzes[index]!.correct);
        expect(item.resprocessing.respcondition.setvar['#text']).toBe(100);
      }
    }
  });

  it('is byte-identical across two builds', async () => {
    const again = await buildCartridge(fixture('constructs', 'content'));
    expect(again.bytes.equals(cartridges['the constructs fixture']!.bytes)).toBe(true);
  }, 120_000);
});
