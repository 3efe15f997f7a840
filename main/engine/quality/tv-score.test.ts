import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRandom } from '../../../shared/random.js';
import { sampleDensity } from '../image/alias-sampler.js';
import { loadBundledSample } from '../flow/bundled-samples.js';
import { blobSamples, evaluateSamples } from './tv-score.js';

const N = 20_000;

test('true samples score about 0 and blob samples about 1', async () => {
  const density = await loadBundledSample('heart.png');
  const truth = evaluateSamples(density, sampleDensity(density, N, createRandom(11)), { seed: 3 });
  assert.ok(Math.abs(truth.score) < 0.03, `true samples scored ${truth.score}`);
  assert.ok(truth.tvBlob > truth.tvTrue + 0.3, `floors too close: ${truth.tvTrue} vs ${truth.tvBlob}`);
  assert.equal(truth.n, N);
  assert.equal(truth.bins, 64);
  const blob = evaluateSamples(density, blobSamples(density, N, 99), { seed: 3 });
  assert.ok(Math.abs(blob.score - 1) < 0.05, `blob samples scored ${blob.score}`);
});

test('a shifted or blurred sampler scores between the floors, worse the further it is off', async () => {
  const density = await loadBundledSample('star.jpg');
  const scoreOf = (dx: number, blur: number): number => {
    const random = createRandom(5);
    const points = sampleDensity(density, N, random);
    for (let i = 0; i < points.length; i += 2) {
      points[i] = points[i]! + dx + blur * random.normal();
      points[i + 1] = points[i + 1]! + blur * random.normal();
    }
    return evaluateSamples(density, points).score;
  };
  const slightly = scoreOf(0.1, 0);
  const more = scoreOf(0.4, 0);
  const blurred = scoreOf(0, 0.3);
  for (const s of [slightly, more, blurred]) assert.ok(s > 0.03 && s < 1, `score ${s} not between the floors`);
  assert.ok(more > slightly, `shift 0.4 scored ${more}, shift 0.1 scored ${slightly}`);
});

test('samples thrown outside the square cost what they weigh', async () => {
  const density = await loadBundledSample('heart.png');
  const points = sampleDensity(density, N, createRandom(2));
  const base = evaluateSamples(density, points, { seed: 1 });
  for (let i = 0; i < points.length / 10; i += 2) points[i] = 100;
  const lossy = evaluateSamples(density, points, { seed: 1 });
  // A tenth of the points left their bins for outside: half of that is charged outright, the
  // other half where their bins now fall short (less where those bins were over-full).
  assert.ok(lossy.tv > base.tv + 0.04 && lossy.tv < base.tv + 0.1, `tv ${base.tv} → ${lossy.tv}`);
  points.fill(-100);
  const gone = evaluateSamples(density, points, { seed: 1 });
  assert.ok(gone.tv > 0.99 && gone.score > 1, `all outside: tv ${gone.tv}, score ${gone.score}`);
});
