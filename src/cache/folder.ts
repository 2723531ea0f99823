import path from 'node:path';
import { isInside } from '../shared/paths.js';
import type { CourseConfig } from '../model/course.js';

/** Where the persistent cache lives, and whether there is one. */
export interface CacheOptions {
  /** The output folder; the cache sits beside it. Defaults to `dist`. */
  out?: string;
  /** Use the persistent cache (default true). */
  cache?: boolean;
}

/**
 * The persistent cache folder: course.yml's `cache` (relative to the content root), else
 * `.coursebook-cache/` beside the output folder; none with `cache: false`.
 * Note: nothing is ever written inside the content folder, so such a cache moves beside it.
 * @param root the content root
 * @param config the course settings
 * @param options output folder and cache switch
 */
export function cacheFolder(root: string, config: Pick<CourseConfig, 'cache'>, options: CacheOptions): string | undefined {
  if (options.cache === false) return undefined;
  const wanted = config.cache ? path.resolve(root, config.cache) : path.join(path.dirname(path.resolve(options.out ?? 'dist')), '.coursebook-cache');
  return isInside(root, wanted) ? path.join(path.dirname(root), '.coursebook-cache') : wanted;
}
