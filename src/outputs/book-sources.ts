import type { Course } from '../model/course.js';
import type { BookScope } from './books.js';

/**
 * The source files a book is made from, relative to the content root: course.yml, and the
 * section.md and lessons of each section it holds. A book's date is the newest of them.
 * @param course the course
 * @param book the book
 */
export function bookSources(_course: Course, book: BookScope): string[] {
  return ['course.yml', ...book.sections.flatMap((section) => [...(section.hasSectionFile ? [section.path] : []), ...section.lessons.map((lesson) => lesson.path)])];
}
