import path from 'node:path';

/**
 * Media types of what a build publishes. Text types name their charset, so a browser never guesses.
 * Note: JavaScript is `text/javascript`, the type RFC 9239 and the HTML standard prescribe;
 * `application/javascript` is its obsolete alias.
 */
const typesByExtension: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.xhtml': 'application/xhtml+xml; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.pdf': 'application/pdf',
  '.epub': 'application/epub+zip',
  '.zip': 'application/zip',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
  '.csv': 'text/csv; charset=utf-8',
};

/**
 * The Content-Type header for a published file, by its extension (case-insensitive);
 * `application/octet-stream` for anything unknown, which browsers download rather than render.
 * @param file a file name or path
 */
export function contentType(file: string): string {
  return typesByExtension[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}
