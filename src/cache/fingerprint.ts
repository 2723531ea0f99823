import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { listFiles } from '../outputs/files.js';

/** sha256 of anything JSON can hold, as hex. */
export function hashOf(...parts: unknown[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(typeof part === 'string' ? part : JSON.stringify(part)).update('\0');
  return hash.digest('hex');
}

async function hashFolder(folder: string, filter: (file: string) => boolean = () => true): Promise<string> {
  const hash = createHash('sha256');
  for (const file of (await listFiles(folder)).filter(filter))
    hash
      .update(file)
      .update('\0')
      .update(await readFile(path.join(folder, file)))
      .update('\0');
  return hash.digest('hex');
}

let tool: Promise<string> | undefined;

/**
 * A fingerprint of Coursebook's own code (the compiled or source modules it runs from) and its
 * package versions: any change to the tool, even without a version bump, invalidates caches.
 */
export function toolFingerprint(): Promise<string> {
  tool ??= (async () => {
    const codeRoot = path.resolve(import.meta.dirname, '..');
    const projectRoot = path.resolve(codeRoot, '..');
    const lock = await readFile(path.join(projectRoot, 'package-lock.json')).catch(() => Buffer.from(''));
    return hashOf(await hashFolder(codeRoot, (file) => /\.(js|ts)$/.test(file) && !file.endsWith('.map')), lock.toString('utf8'));
  })();
  return tool;
}

/**
 * A fingerprint of template folders (every file in them).
 * @param folders template folders, most specific first
 */
export async function templatesFingerprint(folders: string[]): Promise<string> {
  return hashOf(...(await Promise.all(folders.map((folder) => hashFolder(folder)))));
}
