import { configFileName } from '../config/load.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { CoursebookError } from '../shared/errors.js';
import type { Course } from '../model/course.js';
import type { DiagramResult } from '../diagrams/cache.js';
import { PluginError } from '../render/processor.js';
import { createRenderer, type CourseRenderer } from '../render/renderer.js';

const lessonStart = { line: 1, column: 1 };

/** What a plugin's failure says, from the renderer's error. */
function pluginFailure(error: unknown): PluginError | undefined {
  if (error instanceof PluginError) return error;
  if (error instanceof CoursebookError && error.cause instanceof PluginError) return error.cause;
  return undefined;
}

/**
 * `plugin-error`: renders every body once, when course.yml names plugins, so that a plugin that
 * throws is a diagnostic naming the plugin and the lesson, reported with the others before
 * anything is written. The renderer is returned so `build` reuses the bodies instead of
 * rendering them again.
 * Note: a course without plugins is not rendered here: Coursebook's own rendering is checked by
 * the other rules, and rendering costs a highlighter.
 * @param course the loaded course
 * @param diagrams the build's rendered diagrams, by hash
 * @returns the diagnostics, and the renderer when every body rendered
 */
export async function checkPlugins(course: Course, diagrams?: ReadonlyMap<string, DiagramResult>): Promise<{ diagnostics: Diagnostic[]; renderer?: CourseRenderer }> {
  const { remark, rehype } = course.config.plugins;
  if (remark.length + rehype.length === 0) return { diagnostics: [] };
  let renderer: CourseRenderer;
  try {
    renderer = await createRenderer(course, diagrams);
  } catch (error) {
    const failure = pluginFailure(error);
    if (!failure) throw error;
    return {
      diagnostics: [
        diagnostic(
          'plugin-error',
          configFileName,
          lessonStart,
          `The plugin \`${failure.plugin}\` failed while starting: ${failure.message}. Fix its options in course.yml or remove it from \`plugins\`.`,
        ),
      ],
    };
  }
  const diagnostics: Diagnostic[] = [];
  const attempt = (file: string, what: string, render: () => unknown): void => {
    try {
      render();
    } catch (error) {
      const failure = pluginFailure(error);
      if (!failure) throw error;
      diagnostics.push(
        diagnostic(
          'plugin-error',
          file,
          lessonStart,
          `The plugin \`${failure.plugin}\` failed on ${what}: ${failure.message}. Fix the plugin or its options in course.yml, or remove it from \`plugins\`.`,
        ),
      );
    }
  };
  // On worker threads first; a body a plugin fails on is rendered again below, where it throws.
  await renderer.prepare(course.sections.flatMap((section) => section.lessons));
  for (const section of course.sections) {
    if (section.intro && section.file) attempt(section.file.path, `the introduction of section ${section.number}`, () => renderer.intro(section));
    for (const lesson of section.lessons) attempt(lesson.path, `lesson ${lesson.id}`, () => renderer.body(lesson));
  }
  return diagnostics.length ? { diagnostics } : { diagnostics, renderer };
}
