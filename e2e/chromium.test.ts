/** The acceptance journey in Debian's Chromium, against the web host and the real engine. */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { artifactsDir, rendererMissing } from './paths.js';
import { defineE2e } from './specs.js';
import { chromiumTarget } from './targets.js';

defineE2e(chromiumTarget);

// Its own host, since the journey's must outlive every scenario.
test('the web host stopping under an open page says so in the app\'s words', { skip: chromiumTarget.unavailable() ?? rendererMissing() }, async () => {
  const session = await chromiumTarget.start();
  try {
    const page = await session.freshPage();
    await page.getByTestId('backend-label').waitFor({ timeout: 30_000 });
    assert.ok(session.stopHost !== undefined, 'the web host session can stop its host');
    await session.stopHost();
    const banner = page.getByTestId('error-banner');
    await banner.waitFor({ timeout: 10_000 });
    await fs.mkdir(artifactsDir, { recursive: true });
    await page.screenshot({ path: path.join(artifactsDir, 'chromium-host-stopped.png') });
    const text = await banner.innerText();
    assert.match(text, /FlowGIF stopped/);
    assert.match(text, /Start FlowGIF again and open the address it shows/);
    // Was "Unexpected error" with a bare WebSocket code and a command line to type.
    assert.doesNotMatch(text, /Unexpected|npm run|--/);
  } finally {
    await session.close();
  }
});
