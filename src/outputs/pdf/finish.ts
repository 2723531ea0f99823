import { createHash } from 'node:crypto';
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFRef, PDFString, type PDFDocument, type PDFObject } from 'pdf-lib';

/** The document information a finished PDF carries. */
export interface BookMetadata {
  title: string;
  authors: string[];
  subject: string;
  keywords: string[];
  /** BCP 47 language tag. */
  language: string;
  /** The build date: creation and modification date alike, so two builds give the same bytes. */
  date: Date;
}

/** Text as XML character data and attribute values. */
const xmlText = (value: string): string => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The build date as XMP writes dates: UTC, to the second. */
const xmpDate = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The XMP packet of a book: the Info dictionary's title, authors, subject, keywords, creator,
 * producer and dates, and the language, in Dublin Core, XMP and Adobe PDF terms.
 * @param metadata the book's document information
 * @param producer the Info dictionary's Producer (Chromium's PDF library)
 */
export function xmpPacket(metadata: BookMetadata, producer: string): string {
  const date = xmpDate(metadata.date);
  const items = (values: string[]): string => values.map((value) => `<rdf:li>${xmlText(value)}</rdf:li>`).join('');
  const description = metadata.subject ? `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xmlText(metadata.subject)}</rdf:li></rdf:Alt></dc:description>` : '';
  const subjects = metadata.keywords.length > 0 ? `<dc:subject><rdf:Bag>${items(metadata.keywords)}</rdf:Bag></dc:subject><pdf:Keywords>${xmlText(metadata.keywords.join('; '))}</pdf:Keywords>` : '';
  const creators = metadata.authors.length > 0 ? `<dc:creator><rdf:Seq>${items(metadata.authors)}</rdf:Seq></dc:creator>` : '';
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">',
    '<dc:format>application/pdf</dc:format>',
    `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xmlText(metadata.title)}</rdf:li></rdf:Alt></dc:title>`,
    creators,
    description,
    subjects,
    `<dc:language><rdf:Bag><rdf:li>${xmlText(metadata.language)}</rdf:li></rdf:Bag></dc:language>`,
    `<xmp:CreatorTool>Coursebook</xmp:CreatorTool>`,
    `<xmp:CreateDate>${date}</xmp:CreateDate>`,
    `<xmp:ModifyDate>${date}</xmp:ModifyDate>`,
    `<xmp:MetadataDate>${date}</xmp:MetadataDate>`,
    `<pdf:Producer>${xmlText(producer)}</pdf:Producer>`,
    '</rdf:Description>',
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * Sets the document information Chromium leaves out or dates with the clock: author, subject,
 * keywords, creator, language, and creation and modification dates from the build date; the same
 * in an XMP metadata stream, which archives and PDF/UA checkers read; and asks viewers to show
 * the title rather than the file name (DisplayDocTitle).
 * Note: the stream is not compressed, so tools that do not inflate streams can read it.
 * @param doc the printed PDF
 * @param metadata what to set
 */
export function writeMetadata(doc: PDFDocument, metadata: BookMetadata): void {
  doc.setTitle(metadata.title, { showInWindowTitleBar: true });
  if (metadata.authors.length > 0) doc.setAuthor(metadata.authors.join(', '));
  if (metadata.subject) doc.setSubject(metadata.subject);
  // pdf-lib joins keywords with spaces; multi-word keywords need a clearer separator.
  if (metadata.keywords.length > 0) doc.setKeywords([metadata.keywords.join('; ')]);
  doc.setCreator('Coursebook');
  doc.setLanguage(metadata.language);
  doc.setCreationDate(metadata.date);
  doc.setModificationDate(metadata.date);
  const producer = doc.getProducer() ?? '';
  const xmp = doc.context.stream(new TextEncoder().encode(xmpPacket(metadata, producer)), { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(xmp));
}

/** Chromium's structure element ids: "node" and the DOM node's number. */
const structureId = /^node(\d+)$/;

/**
 * Renumbers the ids of the structure tree's elements first, first + 1, … in their order.
 * Note: Chromium names each element after its DOM node's number, which counts every node the
 * renderer process ever made, so it depends on what else that process did (another book printing
 * beside this one). The order, and so the sorted ID tree, stays as it was.
 * @param doc a printed PDF
 * @param first the first number (the parts of a book are numbered one after the other)
 * @returns how many numbers it gave
 */
export function renumberStructureIds(doc: PDFDocument, first = 1): number {
  const root = doc.catalog.get(PDFName.of('StructTreeRoot'));
  if (!root) return 0;
  const found: { container: PDFDict | PDFArray; key: PDFName | number; number: number }[] = [];
  const seen = new Set<PDFObject>();
  const walk = (value: PDFObject | undefined, container?: PDFDict | PDFArray, key?: PDFName | number): void => {
    if (value === undefined || seen.has(value)) return;
    if (value instanceof PDFRef) {
      seen.add(value);
      walk(doc.context.lookup(value));
    } else if (value instanceof PDFDict) {
      seen.add(value);
      for (const [name, entry] of value.entries()) walk(entry, value, name);
    } else if (value instanceof PDFArray) {
      seen.add(value);
      for (const [index, entry] of value.asArray().entries()) walk(entry, value, index);
    } else if ((value instanceof PDFString || value instanceof PDFHexString) && container && key !== undefined) {
      const number = structureId.exec(value.decodeText())?.[1];
      if (number) found.push({ container, key, number: Number(number) });
    }
  };
  walk(root);
  const ranks = new Map([...new Set(found.map((entry) => entry.number))].sort((a, b) => a - b).map((number, index) => [number, first + index]));
  for (const { container, key, number } of found) {
    const renamed = PDFString.of(`node${String(ranks.get(number)).padStart(8, '0')}`);
    if (container instanceof PDFDict) container.set(key as PDFName, renamed);
    else container.set(key as number, renamed);
  }
  return ranks.size;
}

/**
 * Saves the PDF with a document /ID that identical builds repeat: the first half names the
 * document, the second is a hash of the saved bytes, so it changes exactly when they do.
 * Note: the PDF is saved once, with a placeholder of the hash's length as the second half, which
 * is then overwritten in the trailer: a book of thousands of pages is not serialised twice.
 * @param doc the finished PDF
 * @param documentId a hex hash naming the document (course and file)
 */
export async function saveReproducibly(doc: PDFDocument, documentId: string): Promise<Uint8Array> {
  const name = PDFHexString.of(documentId.slice(0, 32));
  const placeholder = 'f'.repeat(32);
  doc.context.trailerInfo.ID = doc.context.obj([name, PDFHexString.of(placeholder)]);
  // Object streams would make the file a little smaller and the save several times slower.
  const bytes = await doc.save({ useObjectStreams: false, objectsPerTick: Infinity });
  const revision = createHash('sha256').update(bytes).digest('hex').slice(0, 32);
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = tail.lastIndexOf(`<${placeholder}>`, undefined, 'latin1');
  if (at < 0) throw new Error('The saved PDF has no document ID in its trailer.');
  tail.write(revision, at + 1, 'latin1');
  return bytes;
}
