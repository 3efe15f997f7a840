import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { noopJobContext } from '../../../shared/job.js';
import { createRandom } from '../../../shared/random.js';
import { rasterOptionsFor } from '../../../shared/render/frame-raster.js';
import { rasterise } from '../../../shared/render/rasterise.js';
import { resolveRenderSettings, type RenderSettings } from '../../../shared/render/render-settings.js';
import { defaultView, outputSize } from '../../../shared/render/view.js';
import { sampleDensity } from '../image/alias-sampler.js';
import type { ImageDensity } from '../image/density.js';
import { loadDensity } from '../image/load-density.js';
import { modelBounds } from '../image/mapping.js';
import { bundledSamplePath } from '../image/samples.js';
import { finerWorkingSide, workingSideFor } from '../image/working-side.js';
import { finerExactFlow, openFlow } from './flow-source.js';

/**
 * The t = 1 frame of `settings` in one dark colour. The exact flow's t = 1 is the density's own
 * samples (its tests hold them to the picture), so these are drawn directly: no paths to solve.
 */
function lastFrame(density: ImageDensity, settings: RenderSettings): { rgba: Uint8ClampedArray; width: number; height: number } {
  const bounds = modelBounds(density.mapping);
  const { width, height } = outputSize(bounds, settings.size);
  const options = rasterOptionsFor({ ...settings, colour: 'solid' }, { width, height, view: defaultView(bounds, { width, height }) });
  const points = sampleDensity(density, settings.particles, createRandom(settings.seed + 1));
  return { rgba: rasterise(points, undefined, options), width, height };
}

/** Share of pixels with ink (any channel at least 32 levels below white), and the mean ink (0..1). */
function ink(rgba: Uint8ClampedArray): { covered: number; mean: number } {
  let covered = 0;
  let sum = 0;
  for (let i = 0; i < rgba.length; i += 4) {
    const depth = 255 - Math.min(rgba[i]!, rgba[i + 1]!, rgba[i + 2]!);
    if (depth > 32) covered++;
    sum += depth / 255;
  }
  return { covered: covered / (rgba.length / 4), mean: sum / (rgba.length / 4) };
}

test('large outputs look as solid as 512 px: the ink-covered share of the last frame matches', async () => {
  for (const sample of ['heart.png', 'flowgif-mark.png'] as const) {
    const density = await loadDensity(bundledSamplePath(sample));
    const reference = ink(lastFrame(density, resolveRenderSettings({ size: 512 })).rgba);
    // Measured (heart, flowgif-mark): ink-covered share 1.4 %, 1.3 % below 512 px's at 1080 px
    // (200 000 particles); 7.8 %, 6.4 % below at 2048 px, where dots of 3.5 px make up for the
    // capped count: fewer, larger dots leave a little more paper between them at the same mean
    // ink. Mean ink within 0.3 % at both.
    for (const [size, tolerance] of [[1080, 0.03], [2048, 0.1]] as const) {
      const automatic = ink(lastFrame(density, resolveRenderSettings({ size })).rgba);
      assert.ok(Math.abs(automatic.covered / reference.covered - 1) < tolerance, `${sample} at ${size} px: ${automatic.covered.toFixed(3)} vs ${reference.covered.toFixed(3)} at 512 px`);
      assert.ok(Math.abs(automatic.mean / reference.mean - 1) < 0.01, `${sample} at ${size} px: mean ink ${automatic.mean.toFixed(4)} vs ${reference.mean.toFixed(4)}`);
    }
    // The fixed defaults of before: half the ink at 1080 px.
    const fixed = ink(lastFrame(density, resolveRenderSettings({ size: 1080, particles: 60_000, pointSize: 1.6 })).rgba);
    assert.ok(fixed.covered < 0.6 * reference.covered, `${sample}: fixed defaults ${fixed.covered.toFixed(3)} vs ${reference.covered.toFixed(3)}`);
  }
});

test('the defaults follow the size; explicit particles and point size win; 512 px is as before', () => {
  const at512 = resolveRenderSettings({ size: 512 });
  assert.equal(at512.particles, 60_000);
  assert.equal(at512.pointSize, 1.6);
  assert.deepEqual([resolveRenderSettings({ size: 256 }).particles, resolveRenderSettings({ size: 256 }).pointSize], [60_000, 1.6]);
  const at1080 = resolveRenderSettings({ size: 1080 });
  assert.ok(at1080.particles === 200_000 && at1080.pointSize > 1.6, `${at1080.particles} at ${at1080.pointSize}`);
  const given = resolveRenderSettings({ size: 1080, particles: 5000, pointSize: 2 });
  assert.deepEqual([given.particles, given.pointSize], [5000, 2]);
});

/**
 * How soft the left edge of a centred bar is: the mean ink of each column over the middle fifth
 * of the rows, then the columns it takes to rise from 10 % to 90 % of the ink at the centre (a
 * 10–90 % rise distance, px).
 */
function edgeRise(frame: { rgba: Uint8ClampedArray; width: number; height: number }): number {
  const { rgba, width, height } = frame;
  const top = Math.round(0.4 * height);
  const bottom = Math.round(0.6 * height);
  const profile: number[] = [];
  for (let x = 0; x < width; x++) {
    let sum = 0;
    for (let y = top; y < bottom; y++) sum += 255 - rgba[4 * (y * width + x)]!;
    profile.push(sum / (bottom - top));
  }
  const centre = profile.slice(Math.round(0.45 * width), Math.round(0.55 * width));
  const inside = centre.reduce((a, b) => a + b, 0) / centre.length;
  // Where the profile first crosses a level, interpolated between columns.
  const crossing = (level: number): number => {
    const x = profile.findIndex((v) => v >= level * inside);
    const below = profile[x - 1]!;
    return x - 1 + (level * inside - below) / (profile[x]! - below);
  };
  return crossing(0.9) - crossing(0.1);
}

test('a large output reads the picture at a working size that follows it: sharper edges at 1500 px', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'flowgif-output-size-'));
  try {
    // A 1500 × 300 banner: a black bar from x = 300 to 1200 (a sharp vertical edge at 300).
    const picture = join(dir, 'banner.png');
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="1500" height="300"><rect width="1500" height="300" fill="#fff"/><rect x="300" y="60" width="900" height="180" fill="#000"/></svg>';
    await writeFile(picture, await sharp(Buffer.from(svg)).png().toBuffer());
    assert.equal(workingSideFor(1500), 1500);
    const flow = await openFlow({ kind: 'exact', imagePath: picture, outputSize: 1500 }, noopJobContext);
    flow.field.dispose();
    assert.equal(flow.density.width, 1500, 'the working grid follows the output');
    const before = await loadDensity(picture);
    assert.equal(before.width, 512);
    assert.equal(finerWorkingSide(before.mapping, 1500), 1500);
    assert.equal(finerWorkingSide(flow.density.mapping, 1500), undefined);

    // The app opens pictures at the default size and reopens them for a large export.
    const bytes = await sharp(Buffer.from(svg)).png().toBuffer();
    const reopened = await finerExactFlow(before, { path: picture }, 1500, noopJobContext);
    assert.equal(reopened?.density.width, 1500);
    reopened?.field.dispose();
    assert.equal(await finerExactFlow(before, { bytes, name: 'banner.png' }, 512, noopJobContext), undefined, 'no finer grid for a small export');
    const changed = await sharp(bytes).negate({ alpha: false }).png().toBuffer();
    assert.equal(await finerExactFlow(before, { bytes: changed, name: 'banner.png' }, 1500, noopJobContext), undefined, 'a picture changed since it was opened is not used');

    const settings = resolveRenderSettings({ size: 1500 });
    const sharp1500 = edgeRise(lastFrame(flow.density, settings));
    const soft512 = edgeRise(lastFrame(before, settings));
    // Measured: 1.9 px at a 1500 px working grid (the 2.6 px dots set most of it), 3.3 px at 512.
    assert.ok(sharp1500 < 2.3 && soft512 > 1.5 * sharp1500, `rise ${sharp1500.toFixed(2)} px vs ${soft512.toFixed(2)} px before`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
