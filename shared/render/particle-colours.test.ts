import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlowGifError } from '../errors.js';
import { INK_FORM_END, INK_FORM_START, inkFormWeight, particleColours, particleColoursAt } from './particle-colours.js';

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

test("ink starts every particle in the picture's mean colour and reaches each one's own as the picture forms", () => {
  const own = particleColours('ink', 2, { imageColours: Uint8ClampedArray.of(200, 0, 0, 255, 0, 0, 100, 255) });
  const at = particleColoursAt('ink');
  const first = at(own, 0);
  assert.deepEqual(rgbaAt(first, 0), [100, 0, 50, 255]);
  assert.deepEqual(rgbaAt(first, 1), [100, 0, 50, 255]);
  assert.deepEqual(rgbaAt(at(own, INK_FORM_START), 0), [100, 0, 50, 255], 'one colour until the shapes appear');
  let previous = 100;
  for (const t of [0.6, 0.7, 0.8, 0.9]) {
    const red = at(own, t)[0]!;
    assert.ok(red > previous && red < 200, `t = ${t}: red ${red} moves on from ${previous}`);
    previous = red;
  }
  assert.deepEqual([...at(own, 1)], [...own]);
  assert.equal(inkFormWeight(INK_FORM_END), 1);
  // The other modes keep one colour a particle the whole way.
  const image = particleColours('image', 2, { imageColours: own });
  assert.equal(particleColoursAt('image')(image, 0), image);
});
