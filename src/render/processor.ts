import type { Root as HastRoot } from 'hast';
import rehypeRaw from 'rehype-raw';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkRehype from 'remark-rehype';
import { unified, type Plugin, type Processor } from 'unified';
import type { Node } from 'unist';
import type { VFile } from 'vfile';
import { remarkSyntax } from '../markdown/parse.js';
import { fileConstructHandlers } from './constructs/index.js';
import { lessonSchema, rehypeCoursebook, rehypeFillConstructs, type CoursebookRehypeOptions } from './lesson-body.js';

/** A course.yml plugin, imported: its name as written, its attacher and its options. */
export interface LoadedPlugin {
  name: string;
  attacher: Plugin<unknown[], Node, Node | undefined>;
  /** The options from course.yml; undefined when none are given. */
  options: unknown;
}

/** A course.yml plugin that threw (or returned a promise) while attaching or transforming. */
export class PluginError extends Error {
  override readonly name = 'PluginError';
  /**
   * @param plugin the plugin's name as written in course.yml
   * @param reason what went wrong
   * @param options the cause
   */
  constructor(
    readonly plugin: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(reason, options);
  }
}

const reasonOf = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause));

/**
 * Wraps a course plugin so that whatever it throws, while attaching or while transforming a body,
 * becomes a PluginError naming it; a transformer that returns a promise is refused, since bodies
 * are rendered synchronously.
 */
function guarded(entry: LoadedPlugin): Plugin<unknown[], Node, Node | undefined> {
  return function (this: Processor, ...parameters: unknown[]) {
    let transformer: unknown;
    try {
      transformer = entry.attacher.call(this as never, ...parameters);
    } catch (cause) {
      throw new PluginError(entry.name, reasonOf(cause), { cause });
    }
    if (typeof transformer !== 'function') return undefined;
    return (tree: Node, file: VFile): Node | undefined => {
      let result: unknown;
      try {
        result = (transformer as (tree: Node, file: VFile) => unknown)(tree, file);
      } catch (cause) {
        throw new PluginError(entry.name, reasonOf(cause), { cause });
      }
      if (result instanceof Promise) {
        result.catch(() => undefined);
        throw new PluginError(entry.name, 'it works asynchronously (its transformer returns a promise); Coursebook renders bodies synchronously');
      }
      if (result instanceof Error) throw new PluginError(entry.name, result.message, { cause: result });
      return (result as Node | undefined) ?? undefined;
    };
  };
}

/** Options of the body processor. */
export interface BodyProcessorOptions extends CoursebookRehypeOptions {
  /** Keep scripts and event handlers in raw HTML (course.yml `allowScripts`): no sanitiser. */
  allowScripts: boolean;
  /** course.yml's remark plugins, run on the lesson's mdast in order. */
  remark: readonly LoadedPlugin[];
  /** course.yml's rehype plugins, run after raw HTML is parsed and before the sanitiser. */
  rehype: readonly LoadedPlugin[];
}

/**
 * The render processor, one per build: remark-parse and the dialect's syntax plugins →
 * course.yml's remark plugins → remark-rehype (raw HTML kept, course constructs as placeholders)
 * → rehype-raw → course.yml's rehype plugins → rehype-sanitize (unless `allowScripts`) → the
 * construct placeholders filled → the Coursebook plugin (highlighting, diagrams, tables) →
 * rehype-stringify.
 * Note: bodies are not parsed here: each lesson is parsed once, by the parse processor
 * (markdown/parse.ts, in worker threads), which also runs the course transforms (callouts,
 * directives, math checks). Splitting parse and render, instead of one processor with guarded
 * transforms, keeps those transforms out of this processor entirely, so they cannot run twice,
 * and keeps parse workers free of course plugins. The renderer runs this processor, on a render
 * worker or the main thread, with `runSync(clone of the lesson's mdast, file)`, where
 * `file.data.constructs` holds the body's construct handlers, and writers serialise with its `stringify`.
 * Note: course plugins run on the tree at render time, after `check`: they change what readers
 * see, not what rules check. Their syntax extensions, if any, do not reach the parse.
 * @param options highlighter, diagram renderer, script policy and course plugins
 * @throws PluginError when a course plugin throws while attaching (see `freeze`)
 */
export function bodyProcessor(options: BodyProcessorOptions): Processor<undefined, Node, Node, HastRoot, string> {
  const processor = unified().use(remarkSyntax) as unknown as Processor;
  for (const entry of options.remark) processor.use(guarded(entry), ...(entry.options === undefined ? [] : [entry.options]));
  processor.use(remarkRehype, { allowDangerousHtml: true, handlers: fileConstructHandlers() }).use(rehypeRaw);
  for (const entry of options.rehype) processor.use(guarded(entry), ...(entry.options === undefined ? [] : [entry.options]));
  if (!options.allowScripts) processor.use(rehypeSanitize, lessonSchema);
  processor.use(rehypeFillConstructs).use(rehypeCoursebook, { highlighter: options.highlighter, renderDiagram: options.renderDiagram }).use(rehypeStringify);
  return processor.freeze() as unknown as Processor<undefined, Node, Node, HastRoot, string>;
}
