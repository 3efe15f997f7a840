import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noopJobContext } from '../../../shared/job.js';
import { resolveRenderSettings } from '../../../shared/render/render-settings.js';
import { prepareExactFlow } from '../flow/exact-flow.js';
import { bundledSamplePath } from '../image/samples.js';
import { loadDensity } from '../image/load-density.js';
import { hueVariety } from './frame-measures.test-util.js';
import { prepareScene } from './scene.js';

test("the default colours start as one cloud: the first frame's colour variety is a small part of the last's", async () => {
  const density = await loadDensity(bundledSamplePath('ring-alpha.png'));
  const field = await prepareExactFlow(density, {}, noopJobContext);
  try {
    const settings = resolveRenderSettings({ size: 160, particles: 20_000 });
    assert.equal(settings.colour, 'ink', 'the default');
    const scene = await prepareScene(field, density, settings, {}, noopJobContext);
    const first = hueVariety(Uint8ClampedArray.from(scene.drawAt(0)));
    const last = hueVariety(Uint8ClampedArray.from(scene.drawAt(1)));
    // Measured: 0.000 at t = 0 against 0.545 at t = 1; 'image' shows 0.572 at t = 0.
    assert.ok(first < 0.01 && last > 0.5, `first ${first.toFixed(3)} vs last ${last.toFixed(3)}`);

    const fromStart = await prepareScene(field, density, { ...settings, colour: 'image' }, {}, noopJobContext);
    const startVariety = hueVariety(Uint8ClampedArray.from(fromStart.drawAt(0)));
    assert.ok(startVariety > 0.9 * last, `'image' keeps the colours from the start: ${startVariety.toFixed(3)} vs ${last.toFixed(3)}`);
  } finally {
    field.dispose();
  }
});
