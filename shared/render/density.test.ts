import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRandom } from '../random.js';
import { colourMapTable } from './colour-maps.js';
import { createRasterWorkspace } from './raster-workspace.js';
import { rasterise } from './rasterise.js';
import type { RasterOptions } from './raster-options.js';
import { pixel, testOptions } from './raster.test-util.js';

/** Two Gaussian clusters of the same shape, at model x = −2 (heavy) and x = +2 (light). */
function clusters(heavy: number, light: number): Float64Array {
  const random = createRandom(3);
  const out = new Float64Array(2 * (heavy + light));
  for (let i = 0; i < heavy + light; i++) {
    out[2 * i] = (i < heavy ? -2 : 2) + 0.3 * random.normal();
    out[2 * i + 1] = 0.3 * random.normal();
  }
  return out;
}

/** The colour-map look: no per-particle colours and no tint (testOptions' white would tint). */
function mapOptions(overrides: Parameters<typeof testOptions>[0] = {}): RasterOptions {
  const { colour: _, ...options } = testOptions(overrides);
  return options;
}

const luma = ([r, g, b]: readonly number[]): number => 0.299 * r! + 0.587 * g! + 0.114 * b!;

test('density mode: more mass is brighter on magma over black', () => {
  const options = mapOptions({ mode: 'density', colourMap: 'magma', densitySmoothing: 1.5 });
  const image = rasterise(clusters(3000, 1000), undefined, options);
  const heavy = pixel(image, 64, 16, 32);
  const light = pixel(image, 64, 48, 32);
  assert.ok(luma(heavy) > luma(light) + 40, `heavy ${heavy} light ${light}`);
  assert.ok(luma(light) > 20);
  assert.deepEqual(pixel(image, 64, 32, 5), [0, 0, 0, 255]);
  // The top of the map is its last colour: the heavy core saturates at magma's pale yellow.
  const top = colourMapTable('magma').slice(-3);
  assert.deepEqual(heavy.slice(0, 3), [...top]);
});

test('density mode: more mass is darker in ink over white, and empty paper stays white', () => {
  const options = mapOptions({ mode: 'density', colourMap: 'ink', background: [255, 255, 255, 255] });
  const image = rasterise(clusters(3000, 1000), undefined, options);
  const heavy = pixel(image, 64, 16, 32);
  const light = pixel(image, 64, 48, 32);
  assert.ok(luma(heavy) < luma(light) - 40, `heavy ${heavy} light ${light}`);
  assert.ok(luma(light) < 200);
  assert.deepEqual(pixel(image, 64, 32, 5), [255, 255, 255, 255]);
});

test('density mode over a transparent background leaves empty pixels transparent', () => {
  const image = rasterise(clusters(500, 500), undefined, mapOptions({ mode: 'density', background: [0, 0, 0, 0] }));
  assert.equal(pixel(image, 64, 32, 5)[3], 0);
  assert.equal(pixel(image, 64, 16, 32)[3], 255);
});

test('the percentile normalisation ignores particle count; a fixed reference does not', () => {
  const workspace = createRasterWorkspace();
  const options = mapOptions({ mode: 'density', colourMap: 'viridis' });
  const few = clusters(1000, 1000);
  const many = Float64Array.from([...few, ...few]);
  assert.deepEqual(rasterise(many, undefined, options, undefined, workspace), rasterise(few, undefined, options, undefined, workspace));
  const reference = workspace.lastDensityReference;
  assert.ok(reference !== undefined && reference > 0);
  const fixed = { ...options, densityReference: reference * 2 };
  const dim = rasterise(few, undefined, fixed);
  const bright = rasterise(many, undefined, fixed);
  assert.ok(luma(pixel(bright, 64, 16, 32)) > luma(pixel(dim, 64, 16, 32)) + 20);
});

test('density mode skips NaN and far-away particles', () => {
  const options = mapOptions({ mode: 'density' });
  const base = clusters(800, 400);
  const junk = Float64Array.from([...base, NaN, 0, 1e9, 0, 0, -Infinity, 4.1, 0]);
  assert.deepEqual(rasterise(junk, undefined, options), rasterise(base, undefined, options));
  const colours = new Uint8ClampedArray(junk.length * 2).fill(200);
  assert.deepEqual(rasterise(junk, colours, options), rasterise(base, colours, options));
});

test("density mode with colours: each cluster in its particles' colour, as strong as the map's profile says", () => {
  const heavy = 3000;
  const positions = clusters(heavy, 1000);
  const colours = new Uint8ClampedArray(2 * positions.length);
  for (let i = 0; i < positions.length / 2; i++) colours.set(i < heavy ? [200, 30, 40, 255] : [20, 60, 200, 255], 4 * i);
  const options = mapOptions({ mode: 'density', colourMap: 'ink', background: [255, 255, 255, 255] });
  const image = rasterise(positions, colours, options);
  const red = pixel(image, 64, 16, 32);
  const blue = pixel(image, 64, 48, 32);
  // The heavy core reaches the top of the map: the particles' own colour, exactly.
  assert.deepEqual(red, [200, 30, 40, 255]);
  // The light cluster is its own hue, paler (blended toward the paper by the ink map's profile).
  assert.ok(blue[2]! > blue[0]! + 20 && blue[0]! > 20, `blue ${blue}`);
  assert.deepEqual(pixel(image, 64, 32, 5), [255, 255, 255, 255]);
  // Strength follows density alone: the same positions in one colour shade alike.
  const grey = rasterise(positions, new Uint8ClampedArray(2 * positions.length).fill(0), options);
  const tinted = rasterise(positions, undefined, { ...options, colour: [0, 0, 0, 255] });
  assert.deepEqual(grey, tinted);
  // Black particles on the ink map are the map look, but for its faint fade-in (≤ 8 levels).
  const map = rasterise(positions, undefined, options);
  assert.ok(grey.every((v, i) => Math.abs(v - map[i]!) <= 8));
});
