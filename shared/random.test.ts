import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRandom, gaussianPoints } from './random.js';

test('a seed reproduces the same stream and different seeds differ', () => {
  const a = createRandom(42);
  const b = createRandom(42);
  const c = createRandom(43);
  const xs = Array.from({ length: 8 }, () => a.next());
  assert.deepEqual(xs, Array.from({ length: 8 }, () => b.next()));
  assert.notDeepEqual(xs, Array.from({ length: 8 }, () => c.next()));
});

test('normal draws have mean 0 and variance 1', () => {
  const points = gaussianPoints(100_000, createRandom(7));
  let sum = 0;
  let sumSq = 0;
  for (const v of points) {
    sum += v;
    sumSq += v * v;
  }
  const mean = sum / points.length;
  const variance = sumSq / points.length - mean * mean;
  assert.ok(Math.abs(mean) < 0.01, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.01, `variance ${variance}`);
});

test('uniform draws stay in [0, 1) and fill it evenly', () => {
  const random = createRandom(1);
  const bins = new Array<number>(10).fill(0);
  for (let i = 0; i < 100_000; i++) {
    const u = random.next();
    assert.ok(u >= 0 && u < 1);
    bins[Math.floor(u * 10)]! += 1;
  }
  for (const count of bins) assert.ok(Math.abs(count - 10_000) < 500, `bin count ${count}`);
});
