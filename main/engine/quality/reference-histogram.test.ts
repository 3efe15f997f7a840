import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syntheticDensity } from '../flow/bundled-samples.js';
import { referenceHistogram } from './reference-histogram.js';

test('one pixel on a bin corner spreads its mass by the normal CDF, symmetrically', () => {
  // 8 × 8 pixels over [-4, 4]²: pixel centres at ±0.5, ±1.5…; with 16 bins of 0.5 the centre
  // of pixel (4, 4), at (0.5, -0.5), sits on a bin corner; std 0.5 is one bin, so each of the
  // four bins around the corner holds (Φ(1) - ½)² of it.
  const density = syntheticDensity(8, 8, (i, j) => (i === 4 && j === 4 ? 1 : 0));
  const h = referenceHistogram(density, 16);
  for (const [row, col] of [[8, 8], [8, 9], [9, 8], [9, 9]] as const) {
    assert.ok(Math.abs(h.mass[row * 16 + col]! - 0.341345 ** 2) < 1e-6, `bin ${row},${col}: ${h.mass[row * 16 + col]}`);
  }
});

test('an edge pixel loses its tail outside the square', () => {
  const density = syntheticDensity(8, 8, (i, j) => (i === 0 && j === 3 ? 1 : 0));
  const h = referenceHistogram(density, 8);
  // Centre 0.5 inside the edge, std 0.5: one std, Φ(-1) ≈ 0.1587 outside.
  assert.ok(Math.abs(h.outside - 0.158655) < 1e-5, `outside ${h.outside}`);
  let total = h.outside;
  for (const m of h.mass) total += m;
  assert.ok(Math.abs(total - 1) < 1e-12);
});
