import type { Course, Lesson } from '../model/course.js';
import { relativeUrl, type LinkPolicy } from './links.js';
import { outputPaths, publicUrl } from './paths.js';

/** Lessons and sections by their source path. */
type CourseIndex = { lessons: Map<string, Lesson>; sections: Map<string, Course['sections'][number]> };

const indexes = new WeakMap<Course, CourseIndex>();

/**
 * Finds lessons and sections by their source path.
 * Note: built once per course and shared, since a link policy is made for every page; a loaded
 * course does not change.
 */
export function indexCourse(course: Course): CourseIndex {
  let index = indexes.get(course);
  if (!index) {
    index = {
      lessons: new Map(course.sections.flatMap((section) => section.lessons.map((lesson) => [lesson.path, lesson] as const))),
      sections: new Map(course.sections.map((section) => [section.path, section] as const)),
    };
    indexes.set(course, index);
  }
  return index;
}

const withFragment = (url: string, fragment: string | undefined): string => (fragment ? `${url}#${encodeURIComponent(fragment)}` : url);

/**
 * Links for the HTML site: relative from the page being written, so the site works from file://
 * and under any sub-path.
 * @param course the course
 * @param fromPage the output path of the page being written
 */
export function siteLinkPolicy(course: Course, fromPage: string): LinkPolicy {
  const { lessons, sections } = indexCourse(course);
  const to = (outputPath: string): string => relativeUrl(fromPage, outputPath);
  return {
    lesson: (targetPath, fragment) => {
      const lesson = lessons.get(targetPath);
      return lesson ? withFragment(to(outputPaths.lesson(lesson)), fragment) : null;
    },
    section: (sectionPath, fragment) => {
      const section = sections.get(sectionPath);
      return section ? withFragment(to(outputPaths.section(section)), fragment) : null;
    },
    anchor: (fragment) => `#${encodeURIComponent(fragment)}`,
    asset: (assetPath) => to(outputPaths.asset(assetPath)),
    external: (url) => url,
  };
}

/**
 * Links for documents served apart from the pages (the JSON API): relative to the site root, or
 * absolute under `baseUrl`.
 * @param course the course
 * @param lesson the lesson whose in-page anchors are resolved against its page
 */
export function apiLinkPolicy(course: Course, lesson: Lesson): LinkPolicy {
  const { lessons, sections } = indexCourse(course);
  return {
    lesson: (targetPath, fragment) => {
      const target = lessons.get(targetPath);
      return target ? withFragment(publicUrl(course, outputPaths.lesson(target)), fragment) : null;
    },
    section: (sectionPath, fragment) => {
      const section = sections.get(sectionPath);
      return section ? withFragment(publicUrl(course, outputPaths.section(section)), fragment) : null;
    },
    anchor: (fragment) => withFragment(publicUrl(course, outputPaths.lesson(lesson)), fragment),
    asset: (assetPath) => publicUrl(course, outputPaths.asset(assetPath)),
    external: (url) => url,
  };
}
