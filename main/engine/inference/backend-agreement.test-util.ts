import assert from 'node:assert/strict';

/**
 * How far two backends' arrays differ: the largest difference relative to the largest magnitude,
 * since float32 sums in another order differ in their last bits.
 */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}
