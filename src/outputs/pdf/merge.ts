import { readFile } from 'node:fs/promises';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFObjectCopier, PDFPage, type PDFPageLeaf, PDFRef, PDFString, ParseSpeeds, type PDFContext, type PDFObject } from 'pdf-lib';
import { partLinkScheme, type ContentsEntry } from './book-html.js';
import { renumberStructureIds, saveReproducibly, writeMetadata, type BookMetadata } from './finish.js';
import { readDestinations, writeOutline } from './outline.js';

const name = (key: string): PDFName => PDFName.of(key);

/** The entries of a number tree (the structure's parent tree), its kids followed. */
function numberTreeEntries(context: PDFContext, node: PDFDict | undefined): [number, PDFObject][] {
  if (!node) return [];
  const entries: [number, PDFObject][] = [];
  const nums = node.lookupMaybe(name('Nums'), PDFArray);
  for (let index = 0; nums && index + 1 < nums.size(); index += 2) entries.push([(nums.lookup(index, PDFNumber) as PDFNumber).asNumber(), nums.get(index + 1)]);
  const kids = node.lookupMaybe(name('Kids'), PDFArray);
  for (let index = 0; kids && index < kids.size(); index++) entries.push(...numberTreeEntries(context, kids.lookup(index, PDFDict)));
  return entries;
}

/** The entries of a name tree (the structure's ID tree), its kids followed. */
function nameTreeEntries(node: PDFDict | undefined): [PDFObject, PDFObject][] {
  if (!node) return [];
  const entries: [PDFObject, PDFObject][] = [];
  const names = node.lookupMaybe(name('Names'), PDFArray);
  for (let index = 0; names && index + 1 < names.size(); index += 2) entries.push([names.get(index), names.get(index + 1)]);
  const kids = node.lookupMaybe(name('Kids'), PDFArray);
  for (let index = 0; kids && index < kids.size(); index++) entries.push(...nameTreeEntries(kids.lookup(index, PDFDict)));
  return entries;
}

/** The kids of a structure element: its /K as a list. */
const kidsOf = (element: PDFDict): PDFObject[] => {
  const kids = element.get(name('K'));
  return kids instanceof PDFArray ? kids.asArray() : kids ? [kids] : [];
};

/** Adds a number to an integer entry of a dictionary, when it has one. */
function shift(dict: PDFDict, key: string, by: number): void {
  const value = dict.get(name(key));
  if (value instanceof PDFNumber) dict.set(name(key), PDFNumber.of(value.asNumber() + by));
}

/** The merged structure tree: one Document element whose kids are the parts' top-level elements. */
interface Structure {
  rootRef: PDFRef;
  documentRef: PDFRef;
  documentKids: PDFObject[];
  parentTree: PDFObject[];
  ids: PDFObject[];
  nextKey: number;
  nextId: number;
  roleMap?: PDFObject;
}

/**
 * Copies one printing into the merged book: its pages (page-tree attributes made their own), its
 * named destinations, and its structure tree under the book's Document element, with the parent
 * tree's keys moved past those of the printings before it.
 * Note: pages and structure elements are copied with one copier, so an element's /Pg and a
 * link's /OBJR point at the copied page and annotation; the part's StructTreeRoot and Document
 * element are mapped to the book's, so that copying an element's /P copies nothing more.
 */
function copyPrinting(book: PDFDocument, source: PDFDocument, dests: PDFDict, structure: Structure): void {
  const copier = PDFObjectCopier.for(source.context, book.context);
  const sourceRoot = source.catalog.get(name('StructTreeRoot'));
  const rootDict = source.catalog.lookupMaybe(name('StructTreeRoot'), PDFDict);
  const sourceDocument = rootDict?.get(name('K'));
  const documentDict = rootDict?.lookupMaybe(name('K'), PDFDict);
  // The copier's memo is private in pdf-lib; mapping the two objects it must not copy is the only way in.
  const traversed = (copier as unknown as { traversedObjects: Map<PDFObject, PDFObject> }).traversedObjects;
  if (sourceRoot instanceof PDFRef) traversed.set(sourceRoot, structure.rootRef);
  if (sourceDocument instanceof PDFRef) traversed.set(sourceDocument, structure.documentRef);
  const keyOffset = structure.nextKey;
  structure.nextId += renumberStructureIds(source, structure.nextId);
  for (const page of source.getPages()) {
    const ref = copier.copy(page.ref) as PDFRef;
    const leaf = book.context.lookup(ref) as PDFPageLeaf;
    shift(leaf, 'StructParents', keyOffset);
    const annotations = leaf.lookupMaybe(name('Annots'), PDFArray);
    for (let index = 0; annotations && index < annotations.size(); index++) shift(annotations.lookup(index, PDFDict), 'StructParent', keyOffset);
    book.addPage(PDFPage.of(leaf, ref, book));
  }
  for (const [key, value] of source.catalog.lookupMaybe(name('Dests'), PDFDict)?.entries() ?? []) dests.set(key, copier.copy(value));
  if (!rootDict || !documentDict) return;
  structure.documentKids.push(...kidsOf(documentDict).map((kid) => copier.copy(kid)));
  for (const [key, value] of numberTreeEntries(source.context, rootDict.lookupMaybe(name('ParentTree'), PDFDict))) structure.parentTree.push(PDFNumber.of(key + keyOffset), copier.copy(value));
  for (const [id, element] of nameTreeEntries(rootDict.lookupMaybe(name('IDTree'), PDFDict))) structure.ids.push(id, copier.copy(element));
  const nextKey = rootDict.lookupMaybe(name('ParentTreeNextKey'), PDFNumber)?.asNumber() ?? 0;
  structure.nextKey = keyOffset + nextKey;
  const roleMap = rootDict.get(name('RoleMap'));
  if (roleMap && !structure.roleMap) structure.roleMap = copier.copy(roleMap);
}

/** Writes the merged structure tree into the book's catalog, Chromium's Document element's attributes kept. */
function writeStructure(book: PDFDocument, structure: Structure, documentAttributes: PDFDict | undefined): void {
  const { context } = book;
  const document = context.obj({}) as PDFDict;
  for (const [key, value] of documentAttributes?.entries() ?? []) if (key !== name('K') && key !== name('P')) document.set(key, value.clone(context));
  document.set(name('Type'), name('StructElem'));
  document.set(name('S'), name('Document'));
  document.set(name('P'), structure.rootRef);
  document.set(name('K'), context.obj(structure.documentKids));
  context.assign(structure.documentRef, document);
  const root = context.obj({ Type: 'StructTreeRoot' }) as PDFDict;
  root.set(name('K'), structure.documentRef);
  root.set(name('ParentTree'), context.register(context.obj({ Nums: context.obj(structure.parentTree) })));
  root.set(name('ParentTreeNextKey'), PDFNumber.of(structure.nextKey));
  if (structure.ids.length > 0) root.set(name('IDTree'), context.register(context.obj({ Names: context.obj(structure.ids) })));
  if (structure.roleMap) root.set(name('RoleMap'), structure.roleMap);
  context.assign(structure.rootRef, root);
  book.catalog.set(name('StructTreeRoot'), structure.rootRef);
  book.catalog.set(name('MarkInfo'), context.obj({ Marked: true }));
}

/**
 * Turns the links one printing made to anchors of another (`coursebook-part:anchor`) into links to
 * the book's named destinations; a link whose anchor is in no part is taken off its page.
 */
function linkParts(book: PDFDocument, dests: PDFDict): void {
  const byAnchor = new Map<string, PDFName>();
  for (const [key] of dests.entries()) {
    const text = key.decodeText();
    byAnchor.set(text, key);
    try {
      byAnchor.set(decodeURIComponent(text), key);
    } catch {
      // Not percent-encoded: the name is the anchor.
    }
  }
  for (const page of book.getPages()) {
    const annotations = page.node.lookupMaybe(name('Annots'), PDFArray);
    if (!annotations) continue;
    for (let index = annotations.size() - 1; index >= 0; index--) {
      const annotation = annotations.lookup(index, PDFDict);
      const uri = annotation.lookupMaybe(name('A'), PDFDict)?.lookupMaybe(name('URI'), PDFString, PDFHexString)?.decodeText();
      if (!uri?.startsWith(partLinkScheme)) continue;
      let anchor = uri.slice(partLinkScheme.length);
      try {
        anchor = decodeURIComponent(anchor);
      } catch {
        // Not percent-encoded: the rest is the anchor.
      }
      const target = byAnchor.get(anchor);
      if (target) {
        annotation.delete(name('A'));
        annotation.set(name('Dest'), target);
      } else annotations.remove(index);
    }
  }
}

/**
 * Merges the printings of a book into one PDF: the front matter (cover and contents), then each
 * section's part, each already numbered with its pages in the book. Pages, named destinations and
 * the tagged structure of every printing are kept; links between parts become links inside the
 * PDF; the bookmarks, document information and XMP metadata are written for the whole book.
 * @param printings the files of the front matter's PDF, then the parts' PDFs, in print order (read
 *   one at a time, so a book of thousands of pages never holds every part's bytes at once)
 * @param contents the book's contents, for the bookmarks
 * @param metadata the document information
 * @param documentId a hex hash naming the document, the first half of its /ID
 * @returns the finished PDF and its page count
 */
export async function mergeBook(printings: string[], contents: ContentsEntry[], metadata: BookMetadata, documentId: string): Promise<{ pdf: Uint8Array; pageCount: number }> {
  const book = await PDFDocument.create({ updateMetadata: false });
  const dests = book.context.obj({}) as PDFDict;
  const structure: Structure = { rootRef: book.context.nextRef(), documentRef: book.context.nextRef(), documentKids: [], parentTree: [], ids: [], nextKey: 0, nextId: 1 };
  let documentAttributes: PDFDict | undefined;
  let producer: string | undefined;
  for (const file of printings) {
    const source = await PDFDocument.load(await readFile(file), { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
    producer ??= source.getProducer();
    documentAttributes ??= source.catalog.lookupMaybe(name('StructTreeRoot'), PDFDict)?.lookupMaybe(name('K'), PDFDict);
    copyPrinting(book, source, dests, structure);
  }
  book.catalog.set(name('Dests'), book.context.register(dests));
  if (structure.documentKids.length > 0) writeStructure(book, structure, documentAttributes);
  linkParts(book, dests);
  if (producer) book.setProducer(producer);
  writeOutline(book, contents, readDestinations(book).targets);
  writeMetadata(book, metadata);
  return { pdf: await saveReproducibly(book, documentId), pageCount: book.getPageCount() };
}
