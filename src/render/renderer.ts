import type { Root as HastRoot } from 'hast';
import type { DiagramResult } from '../diagrams/cache.js';
import { diagramHash } from '../diagrams/collect.js';
import type { Course, Lesson, Section } from '../model/course.js';
import { requestedWorkers, workerCount } from '../shared/threads.js';
import { prepareBodyRendering, renderSettings } from './body-render.js';
import { RenderPool } from './render-pool.js';

/** Renders each lesson body once per build and hands every writer the same tree. */
export interface CourseRenderer {
  /** The lesson's medium-neutral body. Shared: clone it (structuredClone) before changing it. */
  body(lesson: Lesson): HastRoot;
  /** A section introduction's medium-neutral body, if section.md has text. Shared, like `body`. */
  intro(section: Section): HastRoot | undefined;
  /** Serialises a body (or a clone of one, links rewritten) with the render processor's rehype-stringify. */
  html(body: HastRoot): string;
  /**
   * Renders lesson bodies ahead, on worker threads, so that `body` then returns them at once.
   * Call it for the bodies an output is about to need; the ones already rendered cost nothing.
   * Note: never rejects. A body a worker could not render is left to `body`, which renders it on
   * this thread and throws the error readers of `body` expect.
   * @param lessons the lessons whose bodies are about to be needed
   */
  prepare(lessons: readonly Lesson[]): Promise<void>;
  /** Stops the worker threads, if any were started (they also stop by themselves when idle). */
  close(): Promise<void>;
}

/** Below this many lessons a course renders on the main thread, unless COURSEBOOK_WORKERS says otherwise. */
const lessonsPerWorker = 24;

/**
 * Bodies that render on the main thread before workers are started, unless COURSEBOOK_WORKERS is
 * set: a build after an edit renders a few bodies, fewer than starting a worker (Shiki and all) costs.
 */
const mainThreadFirst = 12;

/**
 * Prepares rendering for a build: the highlighter with every language the course uses, the
 * course's plugins, the render processor (see processor.ts) and a cache of lesson bodies. Bodies
 * render on this thread when first asked for with `body`, or on worker threads when `prepare`d.
 * Either way a body is the same tree, so the output does not depend on COURSEBOOK_WORKERS.
 * Note: a course plugin that throws while rendering a body stops the build with a CoursebookError
 * naming the plugin and the file; `check` renders every body first when the course has plugins,
 * so it is normally reported there as a `plugin-error` diagnostic (see rules/plugin-error.ts).
 * @param course the checked course
 * @param diagrams the rendered diagrams by hash, when diagrams are rendered
 * @throws PluginError when a course plugin throws while attaching
 */
export async function createRenderer(course: Course, diagrams?: ReadonlyMap<string, DiagramResult>): Promise<CourseRenderer> {
  const settings = renderSettings(course);
  const local = await prepareBodyRendering(settings, (hash) => diagrams?.get(hash));
  const lessonCount = course.sections.reduce((sum, section) => sum + section.lessons.length, 0);
  const threads = RenderPool.available() ? workerCount(lessonCount, lessonsPerWorker) : 0;
  const pool = threads > 0 ? new RenderPool(settings, threads) : undefined;
  let onMainThread = requestedWorkers() === undefined ? mainThreadFirst : 0;
  const bodies = new Map<Lesson, HastRoot>();
  const pending = new Map<Lesson, Promise<void>>();
  const intros = new Map<Section, HastRoot>();
  const diagramsOf = (lesson: Lesson): [string, DiagramResult][] =>
    lesson.diagrams.flatMap(({ source }) => {
      const hash = diagramHash(source);
      const result = diagrams?.get(hash);
      return result ? [[hash, result] as [string, DiagramResult]] : [];
    });
  const renderAhead = (lesson: Lesson): Promise<void> | undefined => {
    if (!pool || bodies.has(lesson)) return undefined;
    if (onMainThread > 0) {
      // `body` renders it here when it is asked for.
      onMainThread--;
      return undefined;
    }
    let rendering = pending.get(lesson);
    if (!rendering) {
      const source = { tree: lesson.tree, path: lesson.path, lessonId: lesson.id, practice: lesson.practice };
      rendering = pool.render(source, diagramsOf(lesson)).then((body) => {
        if (body && !bodies.has(lesson)) bodies.set(lesson, body);
        pending.delete(lesson);
      });
      pending.set(lesson, rendering);
    }
    return rendering;
  };
  return {
    html: local.html,
    body(lesson) {
      let body = bodies.get(lesson);
      if (!body) bodies.set(lesson, (body = local.render({ tree: lesson.tree, path: lesson.path, lessonId: lesson.id, practice: lesson.practice })));
      return body;
    },
    intro(section) {
      if (!section.intro) return undefined;
      let body = intros.get(section);
      if (!body) intros.set(section, (body = local.render({ tree: section.intro.tree, path: section.file?.path ?? section.path })));
      return body;
    },
    async prepare(lessons) {
      await Promise.all(lessons.map(renderAhead));
    },
    close: async () => pool?.close(),
  };
}
