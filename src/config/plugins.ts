import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { hashOf } from '../cache/fingerprint.js';
import { CoursebookError } from '../shared/errors.js';
import type { LoadedPlugin } from '../render/processor.js';

/** A course.yml plugin, found: its name as written, options, the file to import and its version. */
export interface ResolvedPlugin {
  name: string;
  /** The options from course.yml; undefined when none are given. */
  options?: unknown;
  /** Absolute path of the module to import. */
  file: string;
  /** The installed package's version, or for a plugin given by path the hash of its file. */
  version: string;
}

/** course.yml's `plugins`, found: remark plugins, then rehype plugins, each in order. */
export interface CoursePlugins {
  remark: ResolvedPlugin[];
  rehype: ResolvedPlugin[];
}

const isPath = (name: string): boolean => name.startsWith('.') || path.isAbsolute(name);

/** The version in the package.json of the package that holds `file` and is called `name`. */
function packageVersion(name: string, file: string): string {
  for (let folder = path.dirname(file); folder !== path.dirname(folder); folder = path.dirname(folder)) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === name) return manifest.version ?? 'unknown';
    } catch {
      // No package.json here: look further up.
    }
  }
  return 'unknown';
}

/**
 * Finds a plugin: a path (`./plugins/x.js`) relative to the content root, else a package from the
 * content root's node_modules (and its parents'), else from Coursebook's own.
 * Note: resolution uses `require` conditions; packages that export only for `import` are found by
 * the `default` condition, which unified's plugins all provide.
 * @param root absolute path of the content root
 * @param name the plugin's name as written in course.yml
 * @param options its options
 * @returns the plugin, or undefined when it cannot be found
 */
export function resolvePlugin(root: string, name: string, options: unknown): ResolvedPlugin | undefined {
  const withOptions = options === undefined ? {} : { options };
  if (isPath(name)) {
    const file = path.resolve(root, name);
    try {
      return { name, ...withOptions, file, version: hashOf(readFileSync(file, 'utf8')) };
    } catch {
      return undefined;
    }
  }
  for (const from of [path.join(root, 'package.json'), import.meta.filename]) {
    try {
      const file = createRequire(from).resolve(name);
      return { name, ...withOptions, file, version: packageVersion(name, file) };
    } catch {
      // Not installed there: try the next place.
    }
  }
  return undefined;
}

/**
 * Imports the course's plugins.
 * @param plugins the plugins course.yml names, found by `resolvePlugin`
 * @throws CoursebookError when a plugin cannot be imported or exports no function
 */
export async function importPlugins(plugins: CoursePlugins): Promise<{ remark: LoadedPlugin[]; rehype: LoadedPlugin[] }> {
  const load = async (plugin: ResolvedPlugin): Promise<LoadedPlugin> => {
    let module: { default?: unknown };
    try {
      module = (await import(pathToFileURL(plugin.file).href)) as { default?: unknown };
    } catch (cause) {
      throw new CoursebookError(`The plugin \`${plugin.name}\` (course.yml) could not be loaded from ${plugin.file}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    }
    if (typeof module.default !== 'function') throw new CoursebookError(`The plugin \`${plugin.name}\` (course.yml) has no default export that is a function; is it a remark or rehype plugin?`);
    return { name: plugin.name, attacher: module.default as LoadedPlugin['attacher'], options: plugin.options };
  };
  return { remark: await Promise.all(plugins.remark.map(load)), rehype: await Promise.all(plugins.rehype.map(load)) };
}
