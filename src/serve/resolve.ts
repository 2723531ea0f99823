import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** What a request path names inside the served folder. */
export type Resolution = { kind: 'file'; file: string } | { kind: 'redirect'; location: string } | { kind: 'not-found' } | { kind: 'forbidden' } | { kind: 'bad-request' };

/** Whether `target` is `folder` or inside it (both absolute). */
function contains(folder: string, target: string): boolean {
  const relative = path.relative(folder, target);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** The real path of a file inside `realRoot`, or why there is none. */
async function realInside(realRoot: string, target: string): Promise<{ real: string } | { kind: 'not-found' | 'forbidden' }> {
  let real: string;
  try {
    real = await realpath(target);
  } catch {
    return { kind: 'not-found' };
  }
  return contains(realRoot, real) ? { real } : { kind: 'forbidden' };
}

/**
 * Maps a request URL to a file of the served folder: `index.html` for a folder, a redirect that
 * adds the trailing slash a folder's relative links need, and nothing outside the folder.
 * Note: the checks run on the decoded path (`%2e%2e` is `..`, `%2f` is `/`), again on the joined
 * path, and again on the real path, so a symlink that points outside is refused like `../` is.
 * Dot-files (such as the build's `.coursebook-output` marker) are never served.
 * @param root the served folder (absolute)
 * @param requestUrl the request target as it arrived (`/a/b.html?x=1`)
 */
export async function resolveRequest(root: string, requestUrl: string): Promise<Resolution> {
  const [rawPath = '/', query] = requestUrl.split('#', 1)[0]!.split(/\?(.*)/s, 2);
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { kind: 'bad-request' };
  }
  if (!decoded.startsWith('/') || decoded.includes('\0')) return { kind: 'bad-request' };
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '..' || segment.includes('\\'))) return { kind: 'forbidden' };
  if (segments.some((segment) => segment.startsWith('.'))) return { kind: 'not-found' };
  const target = path.join(root, ...segments);
  if (!contains(root, target)) return { kind: 'forbidden' };

  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch {
    // No build has been published yet (or one is being swapped in this instant).
    return { kind: 'not-found' };
  }
  const found = await realInside(realRoot, target);
  if (!('real' in found)) return found;
  const info = await stat(found.real).catch(() => undefined);
  if (info?.isDirectory()) {
    // Leading slashes collapse to one, so the redirect can never become `//other.host/`.
    if (!rawPath.endsWith('/')) return { kind: 'redirect', location: `/${rawPath.replace(/^\/+/, '')}/${query === undefined ? '' : `?${query}`}` };
    const index = await realInside(realRoot, path.join(found.real, 'index.html'));
    if (!('real' in index)) return index;
    return (await stat(index.real).catch(() => undefined))?.isFile() ? { kind: 'file', file: index.real } : { kind: 'not-found' };
  }
  // A file can vanish between the checks while a rebuild swaps the folder: then it is not found.
  return info?.isFile() ? { kind: 'file', file: found.real } : { kind: 'not-found' };
}
