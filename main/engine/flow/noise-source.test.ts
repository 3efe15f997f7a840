import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRandom, gaussianPoints } from '../../../shared/random.js';
import { createMapping } from '../image/mapping.js';
import { MIN_NOISE_STD_RATIO, noiseSourceFor, ROUND_NOISE, sampleNoise } from './noise-source.js';

test('the fitted source spreads each axis in proportion to the picture: a square keeps N(0, I)', () => {
  assert.deepEqual(noiseSourceFor('fitted', createMapping(384, 384, 384, 384)), { shape: 'fitted', stdX: 1, stdY: 1 });
  assert.deepEqual(noiseSourceFor('fitted', createMapping(600, 120, 512, 102)), { shape: 'fitted', stdX: 1, stdY: 102 / 512 });
  assert.deepEqual(noiseSourceFor('fitted', createMapping(120, 360, 120, 360)), { shape: 'fitted', stdX: 1 / 3, stdY: 1 });
  // A 65 535 × 1 strip works at 512 × 1: the short axis stops at the floor.
  assert.deepEqual(noiseSourceFor('fitted', createMapping(65535, 1, 512, 1)), { shape: 'fitted', stdX: 1, stdY: MIN_NOISE_STD_RATIO });
  assert.equal(noiseSourceFor('round', createMapping(600, 120, 512, 102)), ROUND_NOISE);
});

test('samples are the gaussianPoints stream scaled per axis', () => {
  const source = { shape: 'fitted', stdX: 1, stdY: 0.25 } as const;
  const round = gaussianPoints(500, createRandom(3));
  const shaped = sampleNoise(source, 500, createRandom(3));
  for (let i = 0; i < round.length; i++) assert.equal(shaped[i], round[i]! * (i % 2 === 0 ? 1 : 0.25));
  assert.deepEqual(sampleNoise(ROUND_NOISE, 500, createRandom(3)), round);
});
