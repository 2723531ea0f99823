import path from 'node:path';
import type { Root as HastRoot } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import type { Highlighter } from 'shiki';
import { visit } from 'unist-util-visit';
import { VFile } from 'vfile';
import { importPlugins, type CoursePlugins } from '../config/plugins.js';
import type { DiagramResult } from '../diagrams/cache.js';
import { diagramHash } from '../diagrams/collect.js';
import { diagramFigure } from '../diagrams/figure.js';
import { loadLabels } from '../labels/catalogue.js';
import type { LessonPractice } from '../markdown/practice.js';
import type { Course } from '../model/course.js';
import { CoursebookError } from '../shared/errors.js';
import { constructHandlers } from './constructs/index.js';
import { prepareHighlighter } from './highlight.js';
import { unlinkBareAnchors } from './links.js';
import { bodyProcessor, PluginError } from './processor.js';
import { templateFolders } from './template-folders.js';

/**
 * Everything a thread needs to render a course's bodies, as plain data a worker receives: the
 * code languages, the plugins, the script policy and where the labels come from.
 */
export interface RenderSettings {
  /** Code-block languages used anywhere in the course: every thread loads all of them, so highlighting never depends on which lessons a thread saw. */
  languages: string[];
  plugins: CoursePlugins;
  allowScripts: boolean;
  language: string;
  labelFolders: string[];
  labelOverrides: Record<string, string>;
}

/** What a body needs besides its tree: its file, and for a lesson its number and practice summary. */
export interface BodySource {
  tree: MdastRoot;
  path: string;
  lessonId?: string;
  practice?: LessonPractice;
}

/** Renders bodies on one thread. */
export interface BodyRendering {
  /**
   * Renders a body to its medium-neutral hast.
   * @param source the body; its mdast is not changed unless `owned`
   * @param owned the mdast is this call's own copy (a worker's, received by structured clone) and need not be cloned first
   * @throws CoursebookError naming the file when a plugin throws or raw HTML is nested too deeply
   */
  render(source: BodySource, owned?: boolean): HastRoot;
  /** Serialises a body with the render processor's rehype-stringify. */
  html(body: HastRoot): string;
  highlighter: Highlighter;
}

/** Code-block languages used anywhere in the course. */
function languagesOf(course: Course): string[] {
  const languages = new Set<string>(['text']);
  for (const section of course.sections) {
    if (section.intro) {
      visit(section.intro.tree, 'code', (node) => {
        if (node.lang) languages.add(node.lang);
      });
    }
    for (const lesson of section.lessons) for (const lang of lesson.codeLanguages) languages.add(lang);
  }
  return [...languages].sort();
}

/**
 * The render settings of a course.
 * @param course the checked course
 */
export function renderSettings(course: Course): RenderSettings {
  return {
    languages: languagesOf(course),
    plugins: course.config.plugins,
    allowScripts: course.config.allowScripts,
    language: course.config.language,
    labelFolders: templateFolders(course).map((folder) => path.join(folder, 'labels')),
    labelOverrides: course.config.labels,
  };
}

/**
 * Prepares body rendering on this thread: the highlighter with the course's languages, the
 * course's plugins, the labels and the render processor (see processor.ts).
 * @param settings the course's render settings
 * @param diagramOf the rendered diagram of a hash, if any; asked when a body is rendered
 * @throws PluginError when a course plugin throws while attaching
 */
export async function prepareBodyRendering(settings: RenderSettings, diagramOf: (hash: string) => DiagramResult | undefined): Promise<BodyRendering> {
  const [highlighter, plugins] = await Promise.all([prepareHighlighter(settings.languages), importPlugins(settings.plugins)]);
  const renderDiagram = (block: { source: string; caption: string }) => {
    const hash = diagramHash(block.source);
    const result = diagramOf(hash);
    return result?.ok ? diagramFigure(result, block.caption, hash) : undefined;
  };
  const processor = bodyProcessor({ highlighter, renderDiagram, allowScripts: settings.allowScripts, ...plugins });
  const labels = loadLabels(settings.language, settings.labelFolders, settings.labelOverrides);
  return {
    highlighter,
    html: (body) => processor.stringify(body),
    render({ tree, path: filePath, lessonId, practice }, owned = false) {
      const file = new VFile({ path: filePath });
      file.data.constructs = constructHandlers({ labels, ...(lessonId === undefined ? {} : { lessonId }), ...(practice === undefined ? {} : { practice }) });
      try {
        return unlinkBareAnchors(processor.runSync(owned ? tree : structuredClone(tree), file) as HastRoot);
      } catch (cause) {
        // Markdown nesting is bounded when parsing; raw HTML nested thousands deep can still exhaust the stack here.
        if (cause instanceof RangeError) throw new CoursebookError(`${filePath}: its raw HTML is nested too deeply to render (${cause.message}). Flatten the nested HTML elements.`, { cause });
        if (cause instanceof PluginError) throw new CoursebookError(`${filePath}: the plugin \`${cause.plugin}\` (course.yml) failed: ${cause.message}`, { cause });
        throw cause;
      }
    },
  };
}
