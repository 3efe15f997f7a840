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

test('blend, dot size, opacity and smoothing are checked with the ranges the CLI takes', () => {
  assert.throws(() => resolveRenderSettings({ blend: 'glow' as never }), /blend must be one of alpha, additive \(got glow\)/);
  assert.throws(() => resolveRenderSettings({ opacity: 1.2 }), /opacity must be from 0 to 1 \(got 1\.2\)/);
  assert.throws(() => resolveRenderSettings({ pointSize: 0.05 }), /pointSize must be from 0\.1 to 64/);
  assert.throws(() => resolveRenderSettings({ densitySmoothing: -1 }), /densitySmoothing must be from 0 to 64/);
  const edges = resolveRenderSettings({ blend: 'additive', opacity: 0, pointSize: 64, densitySmoothing: 0 });
  assert.deepEqual([edges.blend, edges.opacity, edges.pointSize, edges.densitySmoothing], ['additive', 0, 64, 0]);
});

test('a dot size left out follows a particle count above the automatic one, keeping the ink of the automatic count', () => {
  const automatic = resolveRenderSettings({ canvas: { width: 1920, height: 1080 } });
  assert.deepEqual([automatic.particles, automatic.pointSize], [200_000, 3.29]);
  const million = resolveRenderSettings({ canvas: { width: 1920, height: 1080 }, particles: 1_000_000 });
  assert.equal(million.pointSize, 1.47);
  // Coverage goes with particles × dot area: the same to the rounding of the dot.
  const coverage = (s: { particles: number; pointSize: number }): number => s.particles * s.pointSize ** 2;
  assert.ok(Math.abs(coverage(million) / coverage(automatic) - 1) < 0.02);
  assert.equal(resolveRenderSettings({ canvas: { width: 1920, height: 1080 }, particles: 50_000 }).pointSize, 3.29, 'fewer keep the automatic dot');
  assert.equal(resolveRenderSettings({ size: 1920, particles: 1_000_000, pointSize: 2 }).pointSize, 2);
});
