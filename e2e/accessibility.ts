import { createRequire } from 'node:module';
import fs from 'node:fs';
import type { Page } from 'playwright-core';

/** axe-core's browser bundle, evaluated in the page (the host's CSP allows no injected script tag, and evaluate is not one). */
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  /** Each offending element: its selector and axe's summary of what to fix. */
  readonly nodes: readonly { readonly target: string; readonly summary: string }[];
}

/** The WCAG 2.1 A and AA rules axe checks. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** What axe-core finds against WCAG 2.1 A/AA on the page as it is now, serious and critical only unless `all`. */
export async function axeViolations(page: Page, all = false): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  // A string, as the e2e code has no DOM types: it runs in the page.
  const found = (await page.evaluate(`(async () => {
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_TAGS)} }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' '), summary: n.failureSummary || '' })),
    }));
  })()`)) as AxeViolation[];
  return all ? found : found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** One line a violation, for an assertion message or the report. */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations.map((v) => `${v.impact ?? '?'} ${v.id} (${v.help}): ${v.nodes.map((n) => n.target).join(', ')}`).join('\n');
}

/**
 * The acceptance's accessibility check of one state of the app: no serious or critical WCAG 2.1
 * A/AA violation, in the light theme and, with `dark`, the dark one too. Minor ones are noted.
 */
export async function checkAccessible(page: Page, state: string, note: (message: string) => void, options: { dark?: boolean } = {}): Promise<void> {
  const themes: ('light' | 'dark')[] = options.dark === true ? ['light', 'dark'] : ['light'];
  for (const theme of themes) {
    await page.emulateMedia({ colorScheme: theme });
    const found = await axeViolations(page, true);
    const serious = found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    note(`axe (WCAG 2.1 A/AA) ${state}, ${theme}: ${found.length === 0 ? 'no violations' : describeViolations(found)}`);
    if (serious.length > 0) {
      await page.emulateMedia({ colorScheme: 'light' });
      throw new Error(`axe finds serious or critical WCAG 2.1 A/AA violations ${state} (${theme} theme):\n${describeViolations(serious)}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
