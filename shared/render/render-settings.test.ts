import { test } from 'node:test';
import assert from 'node:assert/strict';
import { outputDensityFor } from './output-density.js';
import { resolveRenderSettings } from './render-settings.js';

test('an exact canvas is the output size: its long side is the size that particles and dots follow', () => {
  const exact = resolveRenderSettings({ canvas: { width: 1200, height: 630 }, size: 256 });
  assert.equal(exact.size, 1200);
  assert.equal(exact.particles, outputDensityFor(1200).particles);
  const square = resolveRenderSettings({ canvas: 'square', size: 300 });
  assert.deepEqual([square.canvas, square.size], ['square', 300]);
  assert.equal(resolveRenderSettings().canvas, 'picture');
  assert.throws(() => resolveRenderSettings({ canvas: { width: 1200, height: 8 } }), /canvas width and height must be whole pixels from 16 to 4096/);
});
