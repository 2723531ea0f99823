import { publicUrl } from '../render/paths.js';
import { writeOutput } from './files.js';
import { feedPaths, opdsAtomFeed, opdsJsonFeed } from './opds/feeds.js';
import { feedPublications, feedsNeedBaseUrl } from './opds/publications.js';
import type { Writer } from './writer.js';

/**
 * Catalogue feeds for reading apps: an OPDS 2.0 feed and an OPDS 1.2 Atom feed listing the
 * course's book and one per section, with links to each EPUB and PDF of this build, a cover and a
 * thumbnail. Feed links must be absolute, so without course.yml's `baseUrl` nothing is written.
 * Note: it reads the books' covers from the EPUBs, so it runs after the book writers.
 */
export const opdsWriter: Writer = {
  name: 'opds',
  description: 'OPDS 2.0 and 1.2 catalogue feeds of the books, for reading apps',
  artifacts: (course) =>
    feedsNeedBaseUrl(course)
      ? []
      : [
          { scope: 'site', path: feedPaths.json, label: 'OPDS 2.0 feed' },
          { scope: 'site', path: feedPaths.atom, label: 'OPDS 1.2 feed' },
        ],
  async publish(context) {
    const { course, outDir } = context;
    if (feedsNeedBaseUrl(course)) return 'no feed: its links must be absolute, so set baseUrl in course.yml';
    const publications = await feedPublications(context);
    if (publications.length === 0) return 'no feed: this build makes no EPUB or PDF to list (add --format epub or pdf)';
    const urls = { json: publicUrl(course, feedPaths.json), atom: publicUrl(course, feedPaths.atom) };
    await writeOutput(outDir, feedPaths.json, opdsJsonFeed(course, publications, urls));
    await writeOutput(outDir, feedPaths.atom, opdsAtomFeed(course, publications, urls));
    return `${publications.length} book${publications.length === 1 ? '' : 's'} in 2 feeds`;
  },
};
