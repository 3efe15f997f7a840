import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hermitePositionsAt, hermiteSegment } from './hermite.js';

// x(t) = t³ is reproduced exactly by cubic Hermite from its values and slopes at the levels.
function cubicLevels(times: number[]): { particles: number; times: number[]; positions: Float32Array; velocities: Float32Array } {
  const positions = new Float32Array(times.length * 2);
  const velocities = new Float32Array(times.length * 2);
  times.forEach((t, k) => {
    positions[2 * k] = t ** 3;
    positions[2 * k + 1] = -t;
    velocities[2 * k] = 3 * t * t;
    velocities[2 * k + 1] = -1;
  });
  return { particles: 1, times, positions, velocities };
}

test('hermite reproduces a cubic between uneven levels', () => {
  const levels = cubicLevels([0, 0.4, 0.7, 1]);
  const out = new Float32Array(2);
  for (const t of [0, 0.1, 0.4, 0.55, 0.9, 1]) {
    hermitePositionsAt(levels, t, out);
    assert.ok(Math.abs(out[0]! - t ** 3) < 1e-6, `x at ${t}`);
    assert.ok(Math.abs(out[1]! + t) < 1e-6, `y at ${t}`);
  }
});

test('hermiteSegment clamps t and marks exact levels', () => {
  assert.equal(hermiteSegment([0, 0.5, 1], -1).exact, 0);
  assert.equal(hermiteSegment([0, 0.5, 1], 2).exact, 1);
  assert.equal(hermiteSegment([0, 0.5, 1], 0.5).level, 1);
  assert.throws(() => hermiteSegment([0, 1], Number.NaN), RangeError);
});

test('a prefix of particles is interpolated when asked', () => {
  const levels = { particles: 3, times: [0, 1], positions: new Float32Array([1, 1, 2, 2, 3, 3, 5, 5, 6, 6, 7, 7]), velocities: new Float32Array(12) };
  const out = new Float32Array(6).fill(-9);
  hermitePositionsAt(levels, 0.5, out, 2);
  assert.deepEqual([...out], [3, 3, 4, 4, -9, -9]);
});
