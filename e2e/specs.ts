import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { artifactsDir, rendererMissing } from './paths.js';
import { JourneyContinues, scenarios } from './scenarios.js';
import type { Session, Target } from './targets.js';

/** Uncaught errors and console errors of a page, gathered while a scenario runs. */
class PageLog {
  readonly #lines: string[] = [];
  readonly #uncaught: string[] = [];

  constructor(page: Page) {
    page.on('pageerror', (error) => this.#uncaught.push(error.stack ?? error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') this.#lines.push(message.text());
    });
  }

  /** Everything since the last take, emptied. */
  take(): { uncaught: string[]; consoleErrors: string[] } {
    return { uncaught: this.#uncaught.splice(0), consoleErrors: this.#lines.splice(0) };
  }
}

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);

/**
 * Registers every scenario against one target: one app (a web host and browser, or Electron)
 * for the file; a scenario marked fresh starts on a new page, the others continue the page of
 * the step before and are skipped once a step of that journey has failed.
 */
export function defineE2e(target: Target): void {
  const skip = rendererMissing() ?? target.unavailable();
  if (skip !== undefined) {
    // Each scenario reported skipped, with the reason, so a CI summary counts what did not run.
    describe(`FlowGIF end to end on ${target.name}`, () => {
      for (const scenario of scenarios) it(scenario.name, { skip }, () => {});
    });
    return;
  }
  describe(`FlowGIF end to end on ${target.name}`, () => {
    let session: Session | undefined;
    let page: Page | undefined;
    const logs = new WeakMap<Page, PageLog>();
    let journeyFailed = false;

    before(async () => {
      await fs.mkdir(artifactsDir, { recursive: true });
      // This run's screenshots only: an old FAILED-… picture must not outlive its fix.
      for (const name of await fs.readdir(artifactsDir)) {
        if (name.startsWith(`${target.name}-`) && name.endsWith('.png')) await fs.rm(path.join(artifactsDir, name), { force: true });
      }
      session = await target.start();
    });
    after(async () => {
      await session?.close();
    });

    for (const scenario of scenarios) {
      it(scenario.name, { timeout: scenario.timeoutMs }, async (t) => {
        if (session === undefined) throw new Error(`the ${target.name} target did not start`);
        if (scenario.fresh) {
          page = await session.freshPage();
          journeyFailed = false;
        } else if (journeyFailed || page === undefined) {
          t.skip('an earlier step of this journey failed');
          return;
        }
        const current = page;
        if (!logs.has(current)) logs.set(current, new PageLog(current));
        const log = logs.get(current)!;
        log.take();
        const shot = async (name: string): Promise<string> => {
          const file = path.join(artifactsDir, `${target.name}-${name}.png`);
          await current.screenshot({ path: file });
          return file;
        };
        try {
          await scenario.run({ page: current, exportDir: session.exportDir, shot, note: (message) => t.diagnostic(message) });
          const { uncaught } = log.take();
          if (uncaught.length > 0) throw new Error(`uncaught errors in the page:\n${uncaught.join('\n')}`);
        } catch (error) {
          if (!(error instanceof JourneyContinues)) journeyFailed = true;
          const file = await shot(`FAILED-${slug(scenario.name)}`).catch(() => undefined);
          if (file !== undefined) t.diagnostic(`screenshot of the failure: ${file}`);
          const { uncaught, consoleErrors } = log.take();
          for (const line of [...uncaught, ...consoleErrors]) t.diagnostic(`page: ${line}`);
          throw error;
        }
      });
    }
  });
}
