import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noopJobContext } from '../../shared/job.js';
import { PreviewFrames } from '../../shared/render/preview-frames.js';
import { resolveRenderSettings } from '../../shared/render/render-settings.js';
import { prepareExactFlow } from '../engine/flow/exact-flow.js';
import { bundledSamplePath } from '../engine/image/samples.js';
import { loadDensity } from '../engine/image/load-density.js';
import { prepareScene } from '../engine/render/scene.js';
import { trajectoryData } from '../engine/pipeline/wire-data.js';

/** Mean ink of a frame over white: 0 blank paper, 1 all black. */
function meanInk(rgba: Uint8ClampedArray): number {
  let sum = 0;
  for (let i = 0; i < rgba.length; i += 4) sum += 255 - (0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!);
  return sum / (255 * (rgba.length / 4));
}

const times = [0, 0.2, 0.4, 0.6, 0.8, 0.9, 1];

test("density mode: the preview's brightness is the export's at every t, and holds while playing thins the particles", async () => {
  const density = await loadDensity(bundledSamplePath('heart.png'));
  const field = await prepareExactFlow(density, {}, noopJobContext);
  try {
    const settings = resolveRenderSettings({ size: 160, particles: 12_000, mode: 'density' });
    const scene = await prepareScene(field, density, settings, {}, noopJobContext);
    const preview = new PreviewFrames(trajectoryData(scene.trajectory, density), settings, settings.size);
    const frame = new Uint8ClampedArray(4 * preview.options.width * preview.options.height);
    for (const t of times) {
      const exported = meanInk(Uint8ClampedArray.from(scene.drawAt(t)));
      const previewed = meanInk(preview.draw(t, frame));
      // Measured: equal to 1e-4 at every t. A per-frame normalisation (the preview before) drew
      // 0.05 lighter than the export at t = 0 and 0.2 (a third of the export's ink), 0.03 at 0.6.
      assert.ok(Math.abs(previewed - exported) < 0.005, `t = ${t}: preview ${previewed.toFixed(4)} vs export ${exported.toFixed(4)}`);
      const playing = meanInk(preview.draw(t, frame, settings.particles / 3));
      // Measured within 0.007 (a third of the particles are noisier, not paler); per-frame
      // normalisation lost 0.02 at t = 1.
      assert.ok(Math.abs(playing - previewed) < 0.012, `t = ${t} while playing: ${playing.toFixed(4)} vs ${previewed.toFixed(4)}`);
    }
  } finally {
    field.dispose();
  }
});

/** Share of pixels whose channels differ by more than `tolerance` levels between two frames. */
function differingShare(a: Uint8ClampedArray, b: Uint8ClampedArray, tolerance: number): number {
  assert.equal(a.length, b.length, 'both frames have the same size');
  let differing = 0;
  for (let i = 0; i < a.length; i += 4) {
    for (let c = 0; c < 4; c++) {
      if (Math.abs(a[i + c]! - b[i + c]!) > tolerance) {
        differing++;
        break;
      }
    }
  }
  return differing / (a.length / 4);
}

test('the preview draws the pixels the export draws, for the same t and settings, in points and density mode', async () => {
  const density = await loadDensity(bundledSamplePath('flowgif-mark.png'));
  const field = await prepareExactFlow(density, {}, noopJobContext);
  try {
    for (const mode of ['points', 'density'] as const) {
      const settings = resolveRenderSettings({ size: 160, particles: 8000, mode });
      const scene = await prepareScene(field, density, settings, {}, noopJobContext);
      const preview = new PreviewFrames(trajectoryData(scene.trajectory, density), settings, settings.size);
      const frame = new Uint8ClampedArray(4 * preview.options.width * preview.options.height);
      // Times on and between the trajectory's stored levels, and inside the ink's colour blend.
      for (const t of [0, 0.13, 0.5, 0.71, 0.9, 1]) {
        const exported = Uint8ClampedArray.from(scene.drawAt(t));
        const share = differingShare(preview.draw(t, frame), exported, 0);
        // Measured: identical, pixel for pixel, in both modes (one rasteriser, one colour rule).
        assert.equal(share, 0, `${mode}, t = ${t}: ${(share * 100).toFixed(2)} % of the preview's pixels differ from the export's`);
      }
    }
  } finally {
    field.dispose();
  }
});
