import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { CoursebookError } from '../shared/errors.js';

/** Watches folders until closed. */
export interface FolderWatcher {
  /** Stops watching and drops any change not yet reported. */
  close(): void;
}

/** Options of `watchFolders`. */
export interface WatchOptions {
  /** How long the folders must be quiet before a burst of changes is reported (ms). */
  debounceMs: number;
  /** Receives an error of the watcher (such as a watched folder that was removed); watching goes on where it can. */
  onError: (error: Error, folder: string) => void;
}

/**
 * Files editors and tools write beside the real ones: swap and backup files (vim's `.x.swp`, `x~`
 * and its `4913` probe, emacs' `.#x` and `#x#`), version control and installed packages. They
 * never change the course, so they must not cause a rebuild (and a page reload).
 */
function isNoise(relative: string): boolean {
  const parts = relative.split(/[\\/]/);
  const name = parts.at(-1) ?? '';
  return parts.some((part) => part === '.git' || part === 'node_modules') || /~$|\.sw[a-p]$|^\.#|^#.*#$|^4913$/.test(name);
}

/**
 * Watches folders recursively and reports each burst of changes once, after the folders have
 * been quiet for `debounceMs` (an editor's save is often several writes and a rename).
 * Note: Node's `fs.watch` with `recursive: true` covers folders created later, on Linux too (Node 20).
 * @param folders absolute folders to watch
 * @param onChange receives the absolute paths changed in the burst, sorted
 * @param options the quiet time and an error handler
 * @throws CoursebookError when a folder cannot be watched at all
 */
export function watchFolders(folders: string[], onChange: (changed: string[]) => void, options: WatchOptions): FolderWatcher {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    timer = undefined;
    const changed = [...pending].sort();
    pending.clear();
    if (changed.length > 0) onChange(changed);
  };
  const watchers: FSWatcher[] = [];
  const close = (): void => {
    clearTimeout(timer);
    pending.clear();
    for (const watcher of watchers) watcher.close();
  };
  for (const folder of folders) {
    try {
      const watcher = watch(folder, { recursive: true }, (_event, name) => {
        const relative = name === null ? '' : String(name);
        if (isNoise(relative)) return;
        pending.add(path.join(folder, relative));
        clearTimeout(timer);
        timer = setTimeout(flush, options.debounceMs);
      });
      watcher.on('error', (error) => options.onError(error, folder));
      watchers.push(watcher);
    } catch (cause) {
      close();
      throw new CoursebookError(`Could not watch ${folder} for changes: ${(cause as Error).message}`, { cause });
    }
  }
  return { close };
}
