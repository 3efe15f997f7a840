import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlowGifError } from '../errors.js';
import { particleColours } from './particle-colours.js';

const rgbaAt = (c: Uint8ClampedArray, i: number): number[] => [...c.subarray(4 * i, 4 * i + 4)];

test('solid fills every particle with one colour, white by default', () => {
  const c = particleColours('solid', 3, { solid: [1, 2, 3, 4] });
  assert.deepEqual([...c], [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]);
  assert.deepEqual(rgbaAt(particleColours('solid', 1), 0), [255, 255, 255, 255]);
  assert.equal(particleColours('solid', 0).length, 0);
});

test('image colours pass through unchanged, as a copy', () => {
  const image = Uint8ClampedArray.of(9, 8, 7, 255, 1, 2, 3, 128, 42, 42, 42, 42);
  const c = particleColours('image', 2, { imageColours: image });
  assert.deepEqual([...c], [9, 8, 7, 255, 1, 2, 3, 128]);
  image[0] = 0;
  assert.equal(c[0], 9);
});

test('angle gives a hue wheel over the starting direction, independent of radius', () => {
  const angles = [0, Math.PI / 2, Math.PI, -Math.PI / 2];
  const start = new Float64Array(angles.flatMap((a) => [Math.cos(a), Math.sin(a)]).concat([3, 0]));
  const c = particleColours('angle', 5, { start, saturation: 1, lightness: 0.5 });
  // atan2 = 0 is red; a quarter turn later is yellow-green, half a turn cyan, three quarters purple.
  assert.deepEqual(rgbaAt(c, 0), [255, 0, 0, 255]);
  assert.deepEqual(rgbaAt(c, 1), [128, 255, 0, 255]);
  assert.deepEqual(rgbaAt(c, 2), [0, 255, 255, 255]);
  assert.deepEqual(rgbaAt(c, 3), [128, 0, 255, 255]);
  assert.deepEqual(rgbaAt(c, 4), rgbaAt(c, 0), 'same direction, further out: same colour');
  const distinct = new Set([0, 1, 2, 3].map((i) => rgbaAt(c, i).join()));
  assert.equal(distinct.size, 4);
  // Nearby directions get nearby colours: the wheel is continuous.
  const near = particleColours('angle', 2, { start: Float64Array.of(1, 0.01, 1, -0.01) });
  const gap = rgbaAt(near, 0).reduce((s, v, i) => s + Math.abs(v - rgbaAt(near, 1)[i]!), 0);
  assert.ok(gap < 10, `gap ${gap}`);
});

test('missing or short inputs are input errors', () => {
  const isInvalid = (e: unknown): boolean => e instanceof FlowGifError && e.code === 'INVALID_ARGUMENT';
  assert.throws(() => particleColours('image', 2), isInvalid);
  assert.throws(() => particleColours('image', 2, { imageColours: new Uint8ClampedArray(4) }), isInvalid);
  assert.throws(() => particleColours('angle', 2), isInvalid);
  assert.throws(() => particleColours('angle', 2, { start: Float64Array.of(1, 0) }), isInvalid);
  assert.throws(() => particleColours('angle', 1, { start: Float64Array.of(1, 0), saturation: 2 }), isInvalid);
  assert.throws(() => particleColours('solid', -1), isInvalid);
  assert.throws(() => particleColours('rainbow' as never, 1), isInvalid);
});
