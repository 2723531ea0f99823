/**
 * Coursebook's library API: what the CLI does, as functions a script can call.
 *
 * Stable (semver applies): `loadCourse`, `check`, `build`, `serve`, `initCourse`, `rules`,
 * `ruleCatalogue`, `writers`, `formatDiagnostics`, and the types exported below.
 * Everything else in the package is internal and may change in any release.
 */
export { build, check, selectWriters, sourceDateEpoch, type BuildOptions, type BuildResult, type CheckOptions, type CheckResult, type WrittenSummary, type BuildEvent } from './pipeline.js';
export { loadCourse, type LoadResult } from './load/load.js';
export { CoursebookError } from './shared/errors.js';
export { rules, checkCourse } from './rules/index.js';
export type { Rule } from './rules/rule.js';
export { ruleCatalogue, ruleIds, type RuleId } from './diagnostics/catalogue.js';
export { countBySeverity, type Diagnostic, type Severity } from './diagnostics/diagnostic.js';
export { formatDiagnostics, reporterNames, type ReporterName } from './diagnostics/reporters.js';
export { writers } from './outputs/index.js';
export type { Writer, PublishContext } from './outputs/writer.js';
export type { Artifact, ArtifactScope, ArtifactSpec, PublicationPlan } from './outputs/plan.js';
export { serve, type ServeOptions, type ServeSession } from './serve/serve.js';
export { initCourse, type InitResult } from './init/init.js';
export type { Body, Course, CourseConfig, Lesson, LessonGroup, LessonHeading, LessonReference, ReferenceTarget, Section } from './model/course.js';
