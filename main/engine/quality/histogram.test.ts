import { test } from 'node:test';
import assert from 'node:assert/strict';
import { histogramOf, totalVariation } from './histogram.js';

test('points land in square bins over [-4, 4]², row 0 at the top', () => {
  const h = histogramOf(Float64Array.from([-3.9, 3.9, 3.9, -3.9, 0.01, 0.01, -0.01, -0.01]), 4);
  assert.equal(h.mass[0], 0.25);
  assert.equal(h.mass[15], 0.25);
  assert.equal(h.mass[1 * 4 + 2], 0.25);
  assert.equal(h.mass[2 * 4 + 1], 0.25);
  assert.equal(h.outside, 0);
});

test('mass outside the square, and non-finite points, count as outside and as error', () => {
  const inside = histogramOf(Float64Array.from([0.5, 0.5, 0.5, 0.5]), 8);
  const half = histogramOf(Float64Array.from([0.5, 0.5, 4.5, 0, 0.5, 0.5, Number.NaN, 0]), 8);
  assert.equal(half.outside, 0.5);
  assert.equal(totalVariation(inside, half), 0.5);
  assert.equal(totalVariation(inside, inside), 0);
});
