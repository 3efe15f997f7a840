import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tupleOps } from './tuple-ops.js';
import { float64Ops } from './vector-ops.js';

test('combine computes y + h Σ c_i k_i into a new array and skips zero coefficients', () => {
  const y = Float64Array.of(1, 2);
  const k1 = Float64Array.of(1, 1);
  const poison = Float64Array.of(NaN, NaN);
  const out = float64Ops.combine(y, 0.5, [2, 0], [k1, poison]);
  assert.deepEqual(Array.from(out), [2, 3]);
  assert.deepEqual(Array.from(y), [1, 2]);
  assert.notEqual(float64Ops.combine(y, 1, [], []), y);
});

test('errorRatio is the RMS of h Σ e_i k_i scaled by atol + rtol max(|y0|, |y1|)', () => {
  const y0 = Float64Array.of(1, -4);
  const y1 = Float64Array.of(3, 2);
  const k = Float64Array.of(1, 2);
  // err = 2 * 0.5 * k = (1, 2); scale = 1 + 1 * (3, 4) = (4, 5).
  const expected = Math.sqrt(((1 / 4) ** 2 + (2 / 5) ** 2) / 2);
  assert.ok(Math.abs(float64Ops.errorRatio(y0, y1, 2, [0.5], [k], 1, 1) - expected) < 1e-15);
  assert.equal(float64Ops.rmsNorm(Float64Array.of(3, 4, 0, 0)), 2.5);
  assert.throws(() => float64Ops.combine(y0, 1, [1], [Float64Array.of(1)]), RangeError);
});

test('tupleOps combines each part and takes the largest part norm (mixed norm)', () => {
  const ops = tupleOps(float64Ops, float64Ops);
  const y = [Float64Array.of(0, 0), Float64Array.of(0)] as const;
  const k = [Float64Array.of(1, 1), Float64Array.of(10)] as const;
  const out = ops.combine(y, 1, [1], [k]);
  assert.deepEqual([Array.from(out[0]), Array.from(out[1])], [[1, 1], [10]]);
  assert.equal(ops.errorRatio(y, y, 1, [1], [k], 1, 0), 10);
  assert.equal(ops.rmsNorm(k), 10);
});
