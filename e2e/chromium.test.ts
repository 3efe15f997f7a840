/** The acceptance journey in Debian's Chromium, against the web host and the real engine. */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { waitForState } from './page-checks.js';
import { artifactsDir, rendererMissing, SAMPLE } from './paths.js';
import { defineE2e } from './specs.js';
import { chromiumTarget } from './targets.js';

defineE2e(chromiumTarget);

// Its own host, since the journey's must outlive every scenario.
test('the web host stopping under an open page says so in the app\'s words, and the page reconnects when it starts again', { skip: chromiumTarget.unavailable() ?? rendererMissing() }, async () => {
  const session = await chromiumTarget.start();
  try {
    const page = await session.freshPage();
    await page.getByTestId(`sample-${SAMPLE}`).click();
    await waitForState(page, 'preview-canvas', 'ready', { timeoutMs: 60_000, what: `the preview of ${SAMPLE}` });
    assert.ok(session.stopHost !== undefined && session.restartHost !== undefined, 'the web host session can stop and restart its host');
    await session.stopHost();
    const banner = page.getByTestId('error-banner');
    await banner.waitFor({ timeout: 10_000 });
    await fs.mkdir(artifactsDir, { recursive: true });
    await page.screenshot({ path: path.join(artifactsDir, 'chromium-host-stopped.png') });
    const text = await banner.innerText();
    assert.match(text, /FlowGIF stopped/);
    assert.match(text, /Start FlowGIF again: this page reconnects by itself/);
    // Was "Unexpected error" with a bare WebSocket code and a command line to type.
    assert.doesNotMatch(text, /Unexpected|npm run|--/);

    // Started again: the same page reconnects, without a reload, and opens its picture anew.
    const before = await page.evaluate(() => performance.timeOrigin);
    await session.restartHost();
    const notice = page.getByTestId('notice');
    await notice.waitFor({ timeout: 20_000 });
    assert.match(await notice.innerText(), /^Reconnected to FlowGIF\./);
    await banner.waitFor({ state: 'detached', timeout: 5000 });
    await waitForState(page, 'preview-canvas', 'ready', { timeoutMs: 60_000, what: `the preview of ${SAMPLE} after the reconnect` });
    // The picture is open in the new engine: a training of it starts (an old id would be refused).
    await page.getByTestId('train-start').click();
    await waitForState(page, 'train-progress', 'running', { timeoutMs: 10_000, failOn: ['failed'], what: 'a training after the reconnect' });
    await page.getByTestId('train-cancel').click();
    await waitForState(page, 'train-progress', 'cancelled', { timeoutMs: 30_000, failOn: ['failed', 'done'], what: 'cancelling that training' });
    assert.equal(await page.evaluate(() => performance.timeOrigin), before, 'the same page, not a reload');
    await page.screenshot({ path: path.join(artifactsDir, 'chromium-host-reconnected.png') });
  } finally {
    await session.close();
  }
});
