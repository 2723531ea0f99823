import type { Element, Root as HastRoot } from 'hast';
import type { Highlighter } from 'shiki';
import { visit } from 'unist-util-visit';
import { CoursebookError } from '../load/errors.js';
import type { Course, Lesson, Section } from '../model/course.js';
import { prepareHighlighter } from './highlight.js';
import { courseLabels } from './labels.js';
import { lessonBodyHast, type DiagramBlock } from './lesson-body.js';
import { unlinkBareAnchors } from './links.js';

/** Renders each lesson body once per build and hands every writer the same tree. */
export interface CourseRenderer {
  /** The lesson's medium-neutral body. Shared: clone it (structuredClone) before changing it. */
  body(lesson: Lesson): HastRoot;
  /** A section introduction's medium-neutral body, if section.md has text. Shared, like `body`. */
  intro(section: Section): HastRoot | undefined;
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
 * Prepares rendering for a build: the highlighter with every language the course uses, and a
 * cache of lesson bodies.
 * @param course the checked course
 * @param renderDiagram turns a mermaid block into an SVG figure, when diagrams are rendered
 */
export async function createRenderer(course: Course, renderDiagram?: (block: DiagramBlock) => Element | undefined): Promise<CourseRenderer> {
  const highlighter = await prepareHighlighter(languagesOf(course));
  const options = { highlighter, allowScripts: course.config.allowScripts, labels: courseLabels(course), ...(renderDiagram ? { renderDiagram } : {}) };
  const bodies = new Map<Lesson, HastRoot>();
  const intros = new Map<Section, HastRoot>();
  return {
    highlighter,
    body(lesson) {
      let body = bodies.get(lesson);
      if (!body) {
        try {
          body = unlinkBareAnchors(lessonBodyHast(lesson.tree, { ...options, lessonId: lesson.id, practice: lesson.practice }));
        } catch (cause) {
          // Markdown nesting is bounded when parsing; raw HTML nested thousands deep can still exhaust the stack here.
          if (!(cause instanceof RangeError)) throw cause;
          throw new CoursebookError(`${lesson.path}: its raw HTML is nested too deeply to render (${cause.message}). Flatten the nested HTML elements.`, { cause });
        }
        bodies.set(lesson, body);
      }
      return body;
    },
    intro(section) {
      if (!section.intro) return undefined;
      let body = intros.get(section);
      if (!body) intros.set(section, (body = unlinkBareAnchors(lessonBodyHast(section.intro.tree, options))));
      return body;
    },
  };
}
