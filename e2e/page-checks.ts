import { AssertionError } from 'node:assert/strict';
import { errors, type Locator, type Page } from 'playwright-core';

export interface StateWait {
  /** Milliseconds to wait; measured from `since` when given (e.g. the moment of a click). */
  readonly timeoutMs: number;
  readonly since?: number;
  /** States that end the wait early and fail it (failed, cancelled…). */
  readonly failOn?: readonly string[];
  /** What is being waited for, for the failure message. */
  readonly what: string;
}

const quote = (value: string): string => JSON.stringify(value);

/**
 * Waits until the element with this data-testid carries attr="expected", polling the DOM (no
 * sleeps), and returns the milliseconds it took. On timeout, or when a failOn state shows up
 * first, it fails with the value it saw and any alert on screen.
 */
export async function waitForState(page: Page, testId: string, expected: string, options: StateWait, attr = 'data-state'): Promise<number> {
  const start = options.since ?? performance.now();
  const remaining = Math.max(1, options.timeoutMs - (performance.now() - start));
  const states = [expected, ...(options.failOn ?? [])];
  const selector = states.map((state) => `[data-testid=${quote(testId)}][${attr}=${quote(state)}]`).join(', ');
  try {
    await page.locator(selector).first().waitFor({ state: 'attached', timeout: remaining });
  } catch (error) {
    if (!(error instanceof errors.TimeoutError)) throw error;
    const actual = await currentAttribute(page.getByTestId(testId), attr);
    throw new AssertionError({
      message: `${options.what}: expected ${testId} ${attr}=${quote(expected)} within ${options.timeoutMs} ms; it is ${quote(actual)}.${await alertsOnScreen(page)}`,
      actual,
      expected,
      operator: 'waitForState',
    });
  }
  const elapsed = performance.now() - start;
  const actual = await currentAttribute(page.getByTestId(testId), attr);
  if (actual !== expected) {
    throw new AssertionError({
      message: `${options.what}: ${testId} ended ${attr}=${quote(actual)} instead of ${quote(expected)}.${await alertsOnScreen(page)}`,
      actual,
      expected,
      operator: 'waitForState',
    });
  }
  return elapsed;
}

/** Waits for an attribute of a located element to read exactly `expected`. */
export async function waitForAttribute(locator: Locator, attr: string, expected: string, timeoutMs: number, what: string): Promise<void> {
  // Locator.and keeps the original's identity and adds the attribute test.
  const matching = locator.and(locator.page().locator(`[${attr}=${quote(expected)}]`));
  try {
    await matching.first().waitFor({ state: 'attached', timeout: timeoutMs });
  } catch (error) {
    if (!(error instanceof errors.TimeoutError)) throw error;
    const actual = await currentAttribute(locator, attr);
    throw new AssertionError({ message: `${what}: expected ${attr}=${quote(expected)} within ${timeoutMs} ms; it is ${quote(actual)}.`, actual, expected, operator: 'waitForAttribute' });
  }
}

async function currentAttribute(locator: Locator, attr: string): Promise<string> {
  try {
    return (await locator.first().getAttribute(attr, { timeout: 1000 })) ?? '(no attribute)';
  } catch {
    return '(no such element)';
  }
}

/** The text of every alert on screen, for failure messages: the UI usually says what went wrong. */
export async function alertsOnScreen(page: Page): Promise<string> {
  const texts = await page
    .getByRole('alert')
    .allInnerTexts()
    .catch(() => []);
  const shown = texts.map((text) => text.replace(/\s+/g, ' ').trim()).filter((text) => text !== '');
  return shown.length === 0 ? '' : ` Alerts on screen: ${shown.map(quote).join('; ')}`;
}
