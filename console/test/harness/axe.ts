import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One axe-core finding, reduced to what a failing assertion should print. */
export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (every WCAG A/AA rule and best practice, shadow roots included) on the page as it is now;
 * `exclude` names elements (by their host tag) left out of the run.
 */
export async function axeViolations(page: Page, exclude: string[] = []): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: await axeSource });
  return page.evaluate(async (exclude) => {
    type Context = { exclude: { fromShadowDom: string[] }[] };
    const { violations } = await (
      window as unknown as { axe: { run: (ctx: Context) => Promise<{ violations: AxeViolation[] }> } }
    ).axe.run({ exclude: exclude.map((tag) => ({ fromShadowDom: ['todo-app', tag] })) });
    interface AxeViolation {
      id: string;
      impact: string | null;
      help: string;
      nodes: { target: unknown[] }[];
    }
    return violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => JSON.stringify(n.target)),
    }));
  }, exclude);
}
