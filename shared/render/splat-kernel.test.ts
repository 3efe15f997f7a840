import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discKernel } from './splat-kernel.js';

test('every phase of a disc kernel holds exactly its area, only within its span, at most 1 per pixel', () => {
  for (const d of [0.3, 1, 1.5, 2, 4.7, 12]) {
    const k = discKernel(d);
    const kk = k.size * k.size;
    for (let py = 0; py < k.phases; py++) {
      for (let px = 0; px < k.phases; px++) {
        const base = (py * k.phases + px) * kk;
        let sum = 0;
        for (let row = 0; row < k.size; row++) {
          for (let col = 0; col < k.size; col++) {
            const w = k.weights[base + row * k.size + col]!;
            assert.ok(w >= 0 && w <= 1, `d ${d}: weight ${w}`);
            if (row >= k.span[py]! || col >= k.span[px]!) assert.equal(w, 0, `d ${d}: weight outside the span`);
            sum += w;
          }
        }
        assert.ok(Math.abs(sum - k.area) < 1e-4 * Math.max(1, k.area), `d ${d} phase ${px},${py}: ${sum} vs ${k.area}`);
      }
    }
  }
});

test('the kernel is mirror-symmetric: phase φ and its mirror give mirrored weights', () => {
  const k = discKernel(3);
  const kk = k.size * k.size;
  // Phase 0 puts a 3 px disc's box at [0, 3], symmetric about x = 1.5: columns 0 and 2 match, as do rows.
  for (let row = 0; row < k.size; row++) {
    assert.ok(Math.abs(k.weights[row * k.size]! - k.weights[row * k.size + 2]!) < 1e-6);
    assert.ok(Math.abs(k.weights[row]! - k.weights[2 * k.size + row]!) < 1e-6);
  }
  assert.equal(k.weights[k.size + 1], 1);
  assert.equal(k.weights.length, k.phases * k.phases * kk);
  assert.equal(discKernel(3), k, 'cached');
});
