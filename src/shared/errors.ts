/**
 * A problem that stops a command before it can check anything (exit code 2):
 * no such folder, no course.yml, a course.yml that cannot be read or parsed, a bad flag.
 */
export class CoursebookError extends Error {
  override readonly name = 'CoursebookError';
}
