import { createRequire } from 'node:module';
import type { Page } from 'puppeteer';

const require = createRequire(import.meta.url);

/**
 * axe-core's violations on the page a tab shows, as `rule-id: first targets`; [] for none.
 * @param tab a loaded page (its colour scheme already emulated)
 */
export async function axeViolations(tab: Page): Promise<string[]> {
  await tab.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  return tab.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: () => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe.run();
    return result.violations.map(
      (v) =>
        `${v.id}: ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', ')}`,
    );
  });
}
