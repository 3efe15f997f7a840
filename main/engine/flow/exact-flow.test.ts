import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRandom } from '../../../shared/random.js';
import type { Progress } from '../../../shared/job.js';
import { sampleDensity } from '../image/alias-sampler.js';
import type { ImageDensity } from '../image/density.js';
import { pixelCentreToModel } from '../image/mapping.js';
import { loadBundledSample, syntheticDensity } from './bundled-samples.js';
import { createExactFlow, exactFlowFromLevels, prepareExactFlow } from './exact-flow.js';
import { noiseSourceFor, ROUND_NOISE, type NoiseSource } from './noise-source.js';

/** m̄_t(x) by the definition: Σ w_i m_i / Σ w_i over every component, in log space. */
function bruteForceMean(density: ImageDensity, x: number, y: number, t: number, source: NoiseSource): [number, number] {
  const { width, height, probabilities, jitterStd: sigma, mapping } = density;
  const vx = t * t * sigma * sigma + (1 - t) * (1 - t) * source.stdX * source.stdX;
  const vy = t * t * sigma * sigma + (1 - t) * (1 - t) * source.stdY * source.stdY;
  const logs = new Float64Array(width * height).fill(-Infinity);
  let best = -Infinity;
  for (let k = 0; k < logs.length; k++) {
    const p = probabilities[k]!;
    if (p === 0) continue;
    const [mx, my] = pixelCentreToModel(mapping, k % width, Math.floor(k / width));
    logs[k] = Math.log(p) - (x - t * mx) ** 2 / (2 * vx) - (y - t * my) ** 2 / (2 * vy);
    best = Math.max(best, logs[k]!);
  }
  let sw = 0;
  let sx = 0;
  let sy = 0;
  for (let k = 0; k < logs.length; k++) {
    if (logs[k] === -Infinity) continue;
    const w = Math.exp(logs[k]! - best);
    const [mx, my] = pixelCentreToModel(mapping, k % width, Math.floor(k / width));
    sw += w;
    sx += w * mx;
    sy += w * my;
  }
  return [sx / sw, sy / sw];
}

/** Points of the true marginal at t (x_t = t·x1 + (1 - t)·x0), where the flow is evaluated. */
function marginalPoints(density: ImageDensity, t: number, n: number, seed: number, source: NoiseSource = ROUND_NOISE): Float64Array {
  const random = createRandom(seed);
  const x1 = sampleDensity(density, n, random);
  for (let i = 0; i < x1.length; i++) x1[i] = t * x1[i]! + (1 - t) * (i % 2 === 0 ? source.stdX : source.stdY) * random.normal();
  return x1;
}

const TIMES = [0, 0.001, 0.02, 0.1, 0.3, 0.5, 0.7, 0.85, 0.95, 0.99, 1];

function assertMatchesBruteForce(density: ImageDensity, label: string, source: NoiseSource = ROUND_NOISE): void {
  const flow = createExactFlow(density, { source });
  const extent = 8;
  for (const t of TIMES) {
    const points = marginalPoints(density, t, 60, 7, source);
    const out = new Float64Array(points.length);
    flow.posteriorMean(points, t, out);
    let worst = 0;
    for (let i = 0; i < points.length; i += 2) {
      const [bx, by] = bruteForceMean(density, points[i]!, points[i + 1]!, t, source);
      worst = Math.max(worst, Math.hypot(out[i]! - bx, out[i + 1]! - by));
    }
    assert.ok(worst / extent < 4e-3, `${label}, t = ${t}: worst error ${(worst / extent).toExponential(2)} of the extent`);
  }
}

test('the posterior mean matches the brute-force sum at every t, on a bundled sample', async () => {
  assertMatchesBruteForce(await loadBundledSample('heart.png', 48), 'heart 48');
});

test('the posterior mean matches the brute-force sum on a wide picture of far-apart parts', () => {
  // Two blobs and a thin line on a 2:1 grid: sharp decision boundaries and empty space.
  const density = syntheticDensity(64, 32, (i, j) => {
    const blob = (ci: number, cj: number, r: number): number => ((i - ci) ** 2 + (j - cj) ** 2 < r * r ? 1 : 0);
    return blob(10, 10, 5) + 3 * blob(52, 20, 3) + (j === 28 && i > 5 && i < 40 ? 0.5 : 0);
  });
  assertMatchesBruteForce(density, 'synthetic 64×32');
});

test('with a diagonal source the posterior mean matches the brute-force sum at every t', async () => {
  // Either axis the narrow one, and the fitted source of a wide picture.
  const heart = await loadBundledSample('heart.png', 48);
  assertMatchesBruteForce(heart, 'heart 48, d = (1, 0.3)', { shape: 'fitted', stdX: 1, stdY: 0.3 });
  assertMatchesBruteForce(heart, 'heart 48, d = (0.2, 0.9)', { shape: 'fitted', stdX: 0.2, stdY: 0.9 });
  const wide = syntheticDensity(80, 16, (i, j) => ((i > 5 && i < 30 && j > 3 && j < 12) || (i - 60) ** 2 + (j - 8) ** 2 < 20 ? 1 : 0));
  const fitted = noiseSourceFor('fitted', wide.mapping);
  assert.deepEqual([fitted.stdX, fitted.stdY], [1, 0.2]);
  assertMatchesBruteForce(wide, 'synthetic 80×16, fitted', fitted);
});

test('the velocity is the closed form c·x + (1 - t·c)·m̄, and x at t = 1', () => {
  const density = syntheticDensity(16, 16, (i, j) => (i + j) % 5);
  const flow = createExactFlow(density);
  const sigma = density.jitterStd;
  for (const t of [0, 0.4, 0.9, 1]) {
    const points = marginalPoints(density, t, 20, 3);
    const v = new Float64Array(points.length);
    const m = new Float64Array(points.length);
    flow.velocity(points, t, v);
    flow.posteriorMean(points, t, m);
    const s2 = t * t * sigma * sigma + (1 - t) ** 2;
    const c = (t * sigma * sigma - (1 - t)) / s2;
    for (let i = 0; i < points.length; i++) {
      assert.ok(Math.abs(v[i]! - (c * points[i]! + (1 - t * c) * m[i]!)) < 1e-12);
    }
    if (t === 1) for (let i = 0; i < points.length; i++) assert.ok(Math.abs(v[i]! - points[i]!) < 1e-12);
  }
  // Per axis with a diagonal source: c_a = (tσ² − (1 − t)·d_a²) / S_a.
  const source: NoiseSource = { shape: 'fitted', stdX: 0.4, stdY: 1 };
  const diagonal = createExactFlow(density, { source });
  for (const t of [0, 0.4, 0.9]) {
    const points = marginalPoints(density, t, 20, 3, source);
    const v = new Float64Array(points.length);
    const m = new Float64Array(points.length);
    diagonal.velocity(points, t, v);
    diagonal.posteriorMean(points, t, m);
    for (let i = 0; i < points.length; i++) {
      const d2 = (i % 2 === 0 ? source.stdX : source.stdY) ** 2;
      const c = (t * sigma * sigma - (1 - t) * d2) / (t * t * sigma * sigma + (1 - t) ** 2 * d2);
      assert.ok(Math.abs(v[i]! - (c * points[i]! + (1 - t * c) * m[i]!)) < 1e-12);
    }
  }
});

test('far from the picture the field stays finite and, until t nears 1, points back toward it', () => {
  const density = syntheticDensity(32, 32, (i, j) => (Math.abs(i - 16) < 4 && Math.abs(j - 16) < 4 ? 1 : 0));
  const flow = createExactFlow(density);
  const points = Float64Array.from([50, 0, -30, 40, 0, -1e6, 6, 6]);
  const v = new Float64Array(points.length);
  for (const t of [0.05, 0.5, 0.9]) {
    flow.velocity(points, t, v);
    for (let i = 0; i < points.length; i += 2) {
      // Toward the origin, where the square is.
      assert.ok(v[i]! * points[i]! + v[i + 1]! * points[i + 1]! < 0, `t = ${t}: point ${i / 2} pushed outward`);
    }
  }
  // Near t = 1 the noise no longer explains x, so the velocity tends to x itself: outward.
  flow.velocity(points, 0.9999, v);
  assert.ok(v.every(Number.isFinite));
});

test('precompute reports monotonic progress and stops when cancelled', async () => {
  const density = await loadBundledSample('star.jpg', 96);
  const seen: Progress[] = [];
  createExactFlow(density, {}, { signal: new AbortController().signal, progress: (p) => seen.push(p) });
  assert.ok(seen.length > 2);
  assert.ok(seen.every((p, i) => p.stage === 'prepare' && (i === 0 || p.done > seen[i - 1]!.done)));
  assert.equal(seen.at(-1)!.done, seen.at(-1)!.total);

  const controller = new AbortController();
  let reports = 0;
  const ctx = {
    signal: controller.signal,
    progress: () => {
      if (++reports === 3) controller.abort();
    },
  };
  assert.throws(() => createExactFlow(density, {}, ctx), { name: 'AbortError' });
  const later = new AbortController();
  const pending = prepareExactFlow(density, {}, { signal: later.signal, progress: () => {} });
  setImmediate(() => later.abort());
  await assert.rejects(pending, { name: 'AbortError' });
});

test('prepared for a host, the levels are built into shared memory, bit for bit the ones createExactFlow builds, and a cancel stops them', async () => {
  const density = await loadBundledSample('flowgif-mark.png', 256);
  const source = noiseSourceFor('fitted', density.mapping);
  const here = createExactFlow(density, { source });
  const seen: Progress[] = [];
  const prepared = await prepareExactFlow(density, { source }, { signal: new AbortController().signal, progress: (p) => seen.push(p) });
  assert.equal(prepared.levels.length, here.levels.length);
  assert.ok(here.levels.length > 20, `${here.levels.length} levels`);
  const bytes = (a: Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  for (const [k, level] of prepared.levels.entries()) {
    const own = here.levels[k]!;
    assert.ok(level.mass.buffer instanceof SharedArrayBuffer, `level ${k} is in shared memory`);
    assert.deepEqual([level.blurCol, level.blurRow, level.nx, level.ny], [own.blurCol, own.blurRow, own.nx, own.ny], `level ${k}'s grid`);
    for (const name of ['mass', 'meanCol', 'meanRow'] as const) assert.ok(bytes(level[name]).equals(bytes(own[name])), `level ${k}'s ${name}`);
  }
  assert.deepEqual(seen.map((p) => p.done), here.levels.map((_, k) => k + 1));
  assert.ok(seen.every((p) => p.stage === 'prepare' && p.total === here.levels.length));

  // The same flow from the levels alone, as a solver thread rebuilds it.
  const points = marginalPoints(density, 0.6, 50, 3, source);
  const a = new Float64Array(points.length);
  const b = new Float64Array(points.length);
  here.velocity(points, 0.6, a);
  exactFlowFromLevels(density, prepared.options, prepared.levels).velocity(points, 0.6, b);
  assert.deepEqual(b, a);
  assert.throws(() => exactFlowFromLevels(density, prepared.options, prepared.levels.slice(1)), /needs \d+ blur levels/);

  const controller = new AbortController();
  const pending = prepareExactFlow(density, { source }, { signal: controller.signal, progress: () => controller.abort() });
  await assert.rejects(pending, { name: 'AbortError' });
});
