import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRandom, gaussianPoints } from '../../../shared/random.js';
import { loadBackend } from './backend.js';
import { ffjordLogLikelihood } from './ffjord-likelihood.js';
import type { TrainedModel } from './trained-model.js';
import { ROUND_NOISE, type NoiseSource } from '../flow/noise-source.js';

/** e^M for a 2×2 matrix [a, b, c, d] (row-major), by its Taylor series: M is small here. */
function expm2(m: readonly number[]): number[] {
  let term = [1, 0, 0, 1];
  const sum = [...term];
  for (let k = 1; k < 40; k++) {
    term = [
      (term[0]! * m[0]! + term[1]! * m[2]!) / k,
      (term[0]! * m[1]! + term[1]! * m[3]!) / k,
      (term[2]! * m[0]! + term[3]! * m[2]!) / k,
      (term[2]! * m[1]! + term[3]! * m[3]!) / k,
    ];
    for (let i = 0; i < 4; i++) sum[i]! += term[i]!;
  }
  return sum;
}

/**
 * One ConcatSquash layer with zero gate weights is the linear field f(z) = σ(0)·Wᵀz; with
 * W = 2Aᵀ it is f = Az, whose flow is known exactly: z(T) = e^{AT}x and Δlogp(T) = −tr(A)T.
 */
function linearModel(a: readonly number[], endTime: number, noise: NoiseSource = ROUND_NOISE): TrainedModel {
  const zeros = new Float32Array(2);
  return {
    method: 'ffjord',
    architecture: { widths: [2, 2], layer: 'concatsquash', activation: 'tanh' },
    weights: [
      // Row-major [in, out]: weight[i][j] = 2·A[j][i].
      { name: 'layer0.weight', shape: [2, 2], data: Float32Array.of(2 * a[0]!, 2 * a[2]!, 2 * a[1]!, 2 * a[3]!) },
      { name: 'layer0.bias', shape: [2], data: zeros },
      { name: 'layer0.gateWeight', shape: [2], data: zeros },
      { name: 'layer0.gateBias', shape: [2], data: zeros },
      { name: 'layer0.hyperBias', shape: [2], data: zeros },
      { name: 'sqrtEndTime', shape: [], data: Float32Array.of(Math.sqrt(endTime)) },
    ],
    training: { preset: 'test', backend: 'none', seed: 0, steps: 0, seconds: 0, finalLoss: 0, history: [] },
    noise,
  };
}

for (const noise of [ROUND_NOISE, { shape: 'fitted', stdX: 1, stdY: 0.3 } as const]) test(`log-likelihood of a linear field matches the closed form, base N(0, diag(${noise.stdX}², ${noise.stdY}²))`, async () => {
  const { tf } = await loadBackend();
  const a = [-0.3, 0.8, -0.5, 0.6];
  const endTime = 0.7;
  const points = gaussianPoints(200, createRandom(11));
  const before = tf.memory().numTensors;
  const logp = await ffjordLogLikelihood(linearModel(a, endTime, noise), points, { batchSize: 64 });
  assert.equal(tf.memory().numTensors, before, 'no tensor may leak');
  const e = expm2(a.map((v) => v * endTime));
  for (let i = 0; i < 200; i++) {
    const x = points[2 * i]!;
    const y = points[2 * i + 1]!;
    const zx = e[0]! * x + e[1]! * y;
    const zy = e[2]! * x + e[3]! * y;
    const u = zx / noise.stdX;
    const v = zy / noise.stdY;
    const expected = -0.5 * (u * u + v * v) - Math.log(2 * Math.PI * noise.stdX * noise.stdY) + (a[0]! + a[3]!) * endTime;
    assert.ok(Math.abs(logp[i]! - expected) < 1e-4, `point ${i}: ${logp[i]} vs ${expected}`);
  }
});
