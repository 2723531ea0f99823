import type { Element, Root as HastRoot } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import type { Highlighter } from 'shiki';
import { visit } from 'unist-util-visit';
import { VFile } from 'vfile';
import { importPlugins } from '../config/plugins.js';
import { CoursebookError } from '../shared/errors.js';
import type { Course, Lesson, Section } from '../model/course.js';
import { constructHandlers, type PracticeContext } from './constructs/index.js';
import { prepareHighlighter } from './highlight.js';
import { courseLabels } from './labels.js';
import type { DiagramBlock } from './lesson-body.js';
import { unlinkBareAnchors } from './links.js';
import { bodyProcessor, PluginError } from './processor.js';

/** Renders each lesson body once per build and hands every writer the same tree. */
export interface CourseRenderer {
  /** The lesson's medium-neutral body. Shared: clone it (structuredClone) before changing it. */
  body(lesson: Lesson): HastRoot;
  /** A section introduction's medium-neutral body, if section.md has text. Shared, like `body`. */
  intro(section: Section): HastRoot | undefined;
  /** Serialises a body (or a clone of one, links rewritten) with the render processor's rehype-stringify. */
  html(body: HastRoot): string;
  highlighter: Highlighter;
}

/** Code-block languages used anywhere in the course. */
function languagesOf(course: Course): Set<string> {
  const languages = new Set<string>(['text']);
  for (const section of course.sections) {
    if (section.intro) {
      visit(section.intro.tree, 'code', (node) => {
        if (node.lang) languages.add(node.lang);
      });
    }
    for (const lesson of section.lessons) for (const lang of lesson.codeLanguages) languages.add(lang);
  }
  return languages;
}

/**
 * Prepares rendering for a build: the highlighter with every language the course uses, the
 * course's plugins, the render processor (see processor.ts) and a cache of lesson bodies.
 * Note: a course plugin that throws while rendering a body stops the build with a CoursebookError
 * naming the plugin and the file; `check` renders every body first when the course has plugins,
 * so it is normally reported there as a `plugin-error` diagnostic (see rules/plugin-error.ts).
 * @param course the checked course
 * @param renderDiagram turns a mermaid block into an SVG figure, when diagrams are rendered
 * @throws PluginError when a course plugin throws while attaching
 */
export async function createRenderer(course: Course, renderDiagram?: (block: DiagramBlock) => Element | undefined): Promise<CourseRenderer> {
  const highlighter = await prepareHighlighter(languagesOf(course));
  const plugins = await importPlugins(course.config.plugins);
  const processor = bodyProcessor({ highlighter, renderDiagram, allowScripts: course.config.allowScripts, ...plugins });
  const labels = courseLabels(course);
  const render = (tree: MdastRoot, filePath: string, context: PracticeContext): HastRoot => {
    const file = new VFile({ path: filePath });
    file.data.constructs = constructHandlers(context);
    try {
      return unlinkBareAnchors(processor.runSync(structuredClone(tree), file) as HastRoot);
    } catch (cause) {
      // Markdown nesting is bounded when parsing; raw HTML nested thousands deep can still exhaust the stack here.
      if (cause instanceof RangeError) throw new CoursebookError(`${filePath}: its raw HTML is nested too deeply to render (${cause.message}). Flatten the nested HTML elements.`, { cause });
      if (cause instanceof PluginError) throw new CoursebookError(`${filePath}: the plugin \`${cause.plugin}\` (course.yml) failed: ${cause.message}`, { cause });
      throw cause;
    }
  };
  const bodies = new Map<Lesson, HastRoot>();
  const intros = new Map<Section, HastRoot>();
  return {
    highlighter,
    html: (body) => processor.stringify(body),
    body(lesson) {
      let body = bodies.get(lesson);
      if (!body) bodies.set(lesson, (body = render(lesson.tree, lesson.path, { labels, lessonId: lesson.id, practice: lesson.practice })));
      return body;
    },
    intro(section) {
      if (!section.intro) return undefined;
      let body = intros.get(section);
      if (!body) intros.set(section, (body = render(section.intro.tree, section.file?.path ?? section.path, { labels })));
      return body;
    },
  };
}
