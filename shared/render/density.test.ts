import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRandom } from '../random.js';
import { colourMapTable } from './colour-maps.js';
import { createRasterWorkspace } from './raster-workspace.js';
import { rasterise } from './rasterise.js';
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

const luma = ([r, g, b]: readonly number[]): number => 0.299 * r! + 0.587 * g! + 0.114 * b!;

test('density mode: more mass is brighter on magma over black', () => {
  const options = testOptions({ mode: 'density', colourMap: 'magma', densitySmoothing: 1.5 });
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
  const options = testOptions({ mode: 'density', colourMap: 'ink', background: [255, 255, 255, 255] });
  const image = rasterise(clusters(3000, 1000), undefined, options);
  const heavy = pixel(image, 64, 16, 32);
  const light = pixel(image, 64, 48, 32);
  assert.ok(luma(heavy) < luma(light) - 40, `heavy ${heavy} light ${light}`);
  assert.ok(luma(light) < 200);
  assert.deepEqual(pixel(image, 64, 32, 5), [255, 255, 255, 255]);
});

test('density mode over a transparent background leaves empty pixels transparent', () => {
  const image = rasterise(clusters(500, 500), undefined, testOptions({ mode: 'density', background: [0, 0, 0, 0] }));
  assert.equal(pixel(image, 64, 32, 5)[3], 0);
  assert.equal(pixel(image, 64, 16, 32)[3], 255);
});

test('the percentile normalisation ignores particle count; a fixed reference does not', () => {
  const workspace = createRasterWorkspace();
  const options = testOptions({ mode: 'density', colourMap: 'viridis' });
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

test('density mode skips NaN and far-away particles, and ignores per-particle colours', () => {
  const options = testOptions({ mode: 'density' });
  const base = clusters(800, 400);
  const junk = Float64Array.from([...base, NaN, 0, 1e9, 0, 0, -Infinity, 4.1, 0]);
  assert.deepEqual(rasterise(junk, undefined, options), rasterise(base, undefined, options));
  assert.deepEqual(rasterise(base, new Uint8ClampedArray(base.length * 2), options), rasterise(base, undefined, options));
});
