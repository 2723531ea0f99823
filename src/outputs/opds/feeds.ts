import type { Course } from '../../model/course.js';
import { escapeXml } from '../lms/package.js';
import type { FeedLink, FeedPublication } from './publications.js';

/** Where the feeds are published. */
export const feedPaths = { json: 'opds/catalog.json', atom: 'opds/catalog.xml' } as const;

/** OPDS 1.2's media type of an acquisition feed. */
export const atomFeedType = 'application/atom+xml;profile=opds-catalog;kind=acquisition';

/** The relation of a link to a book that anyone may download. */
const openAccess = 'http://opds-spec.org/acquisition/open-access';

const iso = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** An OPDS 2.0 link object. */
const link = (target: FeedLink, rel?: string): Record<string, unknown> => ({
  ...(rel ? { rel } : {}),
  href: target.href,
  type: target.type,
  ...(target.width ? { width: target.width, height: target.height } : {}),
});

/**
 * The OPDS 2.0 feed (application/opds+json): the course's books as publications.
 * @param course the course (title, feed id)
 * @param publications the books
 * @param urls the feeds' own absolute URLs
 */
export function opdsJsonFeed(course: Course, publications: FeedPublication[], urls: { json: string; atom: string }): string {
  const modified = new Date(Math.max(...publications.map((publication) => publication.modified.getTime())));
  const feed = {
    metadata: { title: course.config.title, modified: iso(modified), numberOfItems: publications.length },
    links: [
      { rel: 'self', href: urls.json, type: 'application/opds+json' },
      { rel: 'alternate', href: urls.atom, type: atomFeedType },
    ],
    publications: publications.map((publication) => ({
      metadata: {
        '@type': 'http://schema.org/Book',
        identifier: publication.identifier,
        title: publication.title,
        ...(publication.subtitle ? { subtitle: publication.subtitle } : {}),
        ...(publication.authors.length ? { author: publication.authors.map((name) => ({ name })) } : {}),
        language: publication.language,
        modified: iso(publication.modified),
        ...(publication.description ? { description: publication.description } : {}),
        ...(publication.subjects.length ? { subject: publication.subjects.map((name) => ({ name })) } : {}),
      },
      links: publication.acquisitions.map((acquisition) => link(acquisition, openAccess)),
      ...(publication.cover ? { images: [link(publication.cover), ...(publication.thumbnail ? [link(publication.thumbnail)] : [])] } : {}),
    })),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}

/**
 * The OPDS 1.2 acquisition feed (Atom), for reading apps that read only 1.2 (KOReader).
 * @param course the course (title, authors, feed id)
 * @param publications the books
 * @param urls the feeds' own absolute URLs
 */
export function opdsAtomFeed(course: Course, publications: FeedPublication[], urls: { json: string; atom: string }): string {
  const modified = new Date(Math.max(...publications.map((publication) => publication.modified.getTime())));
  const authors = (names: string[]): string[] => names.map((name) => `<author><name>${escapeXml(name)}</name></author>`);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/terms/" xmlns:opds="http://opds-spec.org/2010/catalog">',
    `<id>${escapeXml(course.config.identifier)}#opds</id>`,
    `<title>${escapeXml(course.config.title)}</title>`,
    `<updated>${iso(modified)}</updated>`,
    // Atom needs an author for the feed or for every entry; the course's, or the tool's name.
    ...(course.config.authors.length ? authors(course.config.authors) : ['<author><name>Coursebook</name></author>']),
    `<link rel="self" href="${escapeXml(urls.atom)}" type="${atomFeedType}"/>`,
    `<link rel="start" href="${escapeXml(urls.atom)}" type="${atomFeedType}"/>`,
    `<link rel="alternate" href="${escapeXml(urls.json)}" type="application/opds+json"/>`,
  ];
  for (const publication of publications) {
    lines.push(
      '<entry>',
      `<title>${escapeXml(publication.title)}</title>`,
      `<id>${escapeXml(publication.identifier)}</id>`,
      `<updated>${iso(publication.modified)}</updated>`,
      ...authors(publication.authors),
      `<dc:language>${escapeXml(publication.language)}</dc:language>`,
      ...(publication.description ? [`<summary>${escapeXml(publication.description)}</summary>`] : []),
      ...publication.subjects.map((subject) => `<category term="${escapeXml(subject)}" label="${escapeXml(subject)}"/>`),
      ...publication.acquisitions.map((acquisition) => `<link rel="${openAccess}" href="${escapeXml(acquisition.href)}" type="${acquisition.type}"/>`),
      ...(publication.cover ? [`<link rel="http://opds-spec.org/image" href="${escapeXml(publication.cover.href)}" type="${publication.cover.type}"/>`] : []),
      ...(publication.thumbnail ? [`<link rel="http://opds-spec.org/image/thumbnail" href="${escapeXml(publication.thumbnail.href)}" type="${publication.thumbnail.type}"/>`] : []),
      '</entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}
