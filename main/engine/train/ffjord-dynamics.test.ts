import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Scalar, Tensor, Tensor2D } from '@tensorflow/tfjs';
import { createRandom } from '../../../shared/random.js';
import { loadBackend, type Tf } from './backend.js';
import { ffjordDynamics } from './ffjord-dynamics.js';
import { architectureFor, ffjordForward, flattenParams, initialWeights, paramsFromList, paramsFromWeights, type FfjordParams } from './ffjord-network.js';
import { referenceDynamics } from './ffjord-dynamics-autodiff.js';

function setup(tf: Tf, widths: number[], seed: number) {
  const architecture = architectureFor(widths);
  const params = paramsFromWeights(architecture, initialWeights(architecture, createRandom(seed), 0.7), (w) => tf.tensor(w.data, [...w.shape]));
  const random = createRandom(seed + 1);
  const n = 48;
  const yData = new Float32Array(n * 3);
  for (let i = 0; i < yData.length; i++) yData[i] = 2 * random.normal();
  const weights = new Float32Array(n * 3);
  for (let i = 0; i < weights.length; i++) weights[i] = random.normal();
  return { architecture, params, n, yData, weights };
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tolerance: number, what: string): void => {
  assert.equal(a.length, b.length);
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tolerance * (1 + scale), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};

test('the exact 2-D divergence equals the autodiff trace of the network', async () => {
  const { tf } = await loadBackend();
  for (const widths of [[2, 16, 16, 2], [2, 2]]) {
    const { params, n, yData } = setup(tf, widths, 3);
    const [exact, autodiff, f, forward] = tf.tidy(() => {
      const y = tf.tensor2d(yData, [n, 3]);
      const tau = tf.scalar(0.37) as Scalar;
      const column = (k: number) => (yy: Tensor) => tf.sum(tf.slice(referenceDynamics(tf, params, yy as Tensor2D, tau).f, [0, k], [n, 1]));
      const trace = tf.add(tf.slice(tf.grad(column(0))(y), [0, 0], [n, 1]), tf.slice(tf.grad(column(1))(y), [0, 1], [n, 1]));
      const endTime = tf.square(params.sqrtEndTime);
      const out = ffjordDynamics(tf, params, y, 0.37);
      const sampled = tf.mul(ffjordForward(tf, params, tf.slice(y, [0, 0], [n, 2]) as Tensor2D, tf.mul(tau, endTime) as Scalar), endTime);
      return [tf.slice(out, [0, 2], [n, 1]).dataSync(), tf.mul(tf.neg(trace), endTime).dataSync(), tf.slice(out, [0, 0], [n, 2]).dataSync(), sampled.dataSync()];
    });
    close(exact, autodiff, 1e-4, `${widths} trace`);
    close(forward, f, 1e-5, `${widths} forward-only f`);
    if (widths.length > 2) assert.ok(Math.max(...autodiff) - Math.min(...autodiff) > 1e-3, 'the trace should vary between points');
    tf.dispose(flattenParams(params));
  }
});

test('the hand-written backward pass matches autodiff of the reference', async () => {
  const { tf } = await loadBackend();
  for (const widths of [[2, 16, 8, 2], [2, 5, 2], [2, 2]]) {
    const { architecture, params, n, yData, weights } = setup(tf, widths, 5);
    const flat = flattenParams(params);
    const gradsOf = (dynamics: (p: FfjordParams, y: Tensor2D, tau: Scalar, tauValue: number) => Tensor2D): Float32Array[] =>
      tf.tidy(() => {
        const w = tf.tensor2d(weights, [n, 3]);
        const tau = tf.scalar(0.61) as Scalar;
        const loss = (y: Tensor, ...p: Tensor[]) => tf.sum(tf.mul(dynamics(paramsFromList(architecture, p), y as Tensor2D, tau, 0.61), w));
        return tf.grads(loss)([tf.tensor2d(yData, [n, 3]), ...flat]).map((g) => g.dataSync() as Float32Array);
      });
    const before = tf.memory().numTensors;
    const custom = gradsOf((p, y, _tau, tauValue) => ffjordDynamics(tf, p, y, tauValue));
    assert.equal(tf.memory().numTensors, before, 'the kernel leaks no tensors');
    const reference = gradsOf((p, y, tau) => referenceDynamics(tf, p, y, tau).out);
    ['y', ...flat.map((_, i) => `param ${i}`)].forEach((name, i) => close(custom[i]!, reference[i]!, 2e-4, `${widths} d/d${name}`));
    tf.dispose(flat);
  }
});
