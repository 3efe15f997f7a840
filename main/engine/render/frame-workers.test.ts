import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FlowGifError } from '../../../shared/errors.js';
import { noopJobContext } from '../../../shared/job.js';
import { resolveRenderSettings, type RenderSettingsInput } from '../../../shared/render/render-settings.js';
import { prepareExactFlow, type ExactFlow } from '../flow/exact-flow.js';
import type { ImageDensity } from '../image/density.js';
import { loadDensity } from '../image/load-density.js';
import { bundledSamplePath } from '../image/samples.js';
import { openFramePool } from './frame-workers.js';
import { prepareScene } from './scene.js';

/** Frames drawn in worker threads are the main thread's, bit for bit, in every look. */
describe('frame workers', () => {
  let density: ImageDensity;
  let field: ExactFlow;
  before(async () => {
    density = await loadDensity(bundledSamplePath('flowgif-mark.png'));
    field = await prepareExactFlow(density, {}, noopJobContext);
  });
  after(() => field.dispose());

  const looks: Array<[string, RenderSettingsInput]> = [
    ['points in the picture\'s ink', { colour: 'ink' }],
    ['density, coloured', { mode: 'density', densityLook: 'colour' }],
    ['density, colour map', { mode: 'density', densityLook: 'map', colourMap: 'magma' }],
  ];
  for (const [name, look] of looks) {
    it(`draw what scene.drawAt draws: ${name}`, async () => {
      const scene = await prepareScene(field, density, resolveRenderSettings({ size: 96, particles: 5000, ...look }), {}, noopJobContext);
      const pool = openFramePool(scene.recipe, 2);
      try {
        const ts = [0, 0.13, 0.5, 0.77, 1];
        const drawn = await Promise.all(ts.map((t) => pool.draw(t, noopJobContext.signal)));
        ts.forEach((t, i) => {
          const serial = scene.drawAt(t);
          assert.equal(drawn[i]!.length, serial.length);
          assert.ok(Buffer.from(drawn[i]!.buffer).equals(Buffer.from(serial.buffer, serial.byteOffset, serial.byteLength)), `frame at t = ${t} differs`);
        });
        // Not blank: the comparison above would pass for two empty frames.
        const last = drawn[drawn.length - 1]!;
        assert.ok(last.some((v, i) => v !== last[i % 4]), 'the last frame shows something');
      } finally {
        await pool.close();
      }
    });
  }

  it('a frame that cannot be drawn is a FlowGifError, and the pool stops', async () => {
    const scene = await prepareScene(field, density, resolveRenderSettings({ size: 64, particles: 500 }), {}, noopJobContext);
    const pool = openFramePool(scene.recipe, 1);
    try {
      await assert.rejects(pool.draw(Number.NaN, noopJobContext.signal), (error: unknown) => error instanceof FlowGifError && error.code === 'ENCODER_FAILED' && /frame could not be drawn/.test(error.message));
    } finally {
      await pool.close();
    }
    await assert.rejects(pool.draw(0.5, noopJobContext.signal), FlowGifError);
  });
});
