import GithubSlugger from 'github-slugger';
import type { Course, Lesson, Section } from '../model/course.js';

/**
 * Where the site's pages and the catalogue's documents live, relative to the output root: other
 * formats link to them (a book's link to a lesson outside it, the catalogue's page URLs), so they
 * are shared here. Books are planned by their writers (see outputs/books.ts and the plan).
 * Note: site pages mirror the source layout (04-distributed-systems/01-….html), which is stable,
 * collision-free, and works from file:// because every link names its file.
 */
export const outputPaths = {
  home: 'index.html',
  section: (section: Section): string => `${section.dir}/index.html`,
  lesson: (lesson: Lesson): string => lesson.path.replace(/\.md$/i, '.html'),
  asset: (assetPath: string): string => assetPath,
  siteAssets: 'assets',
  searchIndex: 'assets/search-index.js',
  api: 'api',
  catalogue: 'api/catalogue.json',
  sectionApi: (section: Section): string => `api/sections/${section.number}.json`,
  lessonApi: (lesson: Lesson): string => `api/lessons/${lesson.id}.json`,
  schemas: 'api/schemas',
} as const;

/** The course's file-name slug, from its title. */
export function courseSlug(course: Course): string {
  return new GithubSlugger().slug(course.config.title) || 'course';
}

/**
 * A URL for a published file: relative to the site root, or absolute under course.yml's `baseUrl`.
 * @param course the course (for `baseUrl`)
 * @param outputPath a path from `outputPaths`
 */
export function publicUrl(course: Course, outputPath: string): string {
  const encoded = outputPath.split('/').map(encodeURIComponent).join('/');
  const base = course.config.baseUrl;
  return base ? `${base.replace(/\/+$/, '')}/${encoded}` : encoded;
}
