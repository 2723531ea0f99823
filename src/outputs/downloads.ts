import type { Section } from '../model/course.js';
import type { DownloadView } from '../render/view.js';
import type { PublicationPlan } from './plan.js';

/**
 * The downloads a view offers, read from the plan: for each section and for the course, every
 * artifact a writer marked as a download, with the writer's label.
 * @param plan the build's publication plan
 */
export function downloadsOf(plan: PublicationPlan): { section(section: Section): DownloadView[]; course: DownloadView[] } {
  const toView = (artifact: { format: string; label: string; path: string }): DownloadView => ({ kind: artifact.format, label: artifact.label, href: artifact.path });
  return { section: (section) => plan.downloads(section).map(toView), course: plan.downloads().map(toView) };
}
