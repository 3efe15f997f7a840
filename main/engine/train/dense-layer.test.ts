import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import { createRandom } from '../../../shared/random.js';
import { loadBackend } from './backend.js';
import { denseLayer, type DenseActivation } from './dense-layer.js';

function randomTensor2d(tf: Awaited<ReturnType<typeof loadBackend>>['tf'], rows: number, cols: number, seed: number): Tensor2D {
  const random = createRandom(seed);
  return tf.tensor2d(Float32Array.from({ length: rows * cols }, () => random.normal()), [rows, cols]);
}

for (const activation of ['linear', 'silu'] as DenseActivation[]) {
  test(`the ${activation} dense layer's custom gradient matches tf.grads of a plain matMul`, async () => {
    const { tf } = await loadBackend();
    const before = tf.memory().numTensors;
    const x = randomTensor2d(tf, 37, 11, 1);
    const w = randomTensor2d(tf, 11, 7, 2);
    // Made by a reshape on purpose: the wasm fused matMul rejects such a bias (see affine()).
    const b = tf.tidy(() => randomTensor2d(tf, 1, 7, 3).reshape([7]) as Tensor1D);
    const upstream = randomTensor2d(tf, 37, 7, 4);
    // A weighted sum makes every output element carry a different upstream gradient.
    const lossOf = (y: Tensor): Tensor => tf.sum(tf.mul(y, upstream));
    const reference = (xs: Tensor, ws: Tensor, bs: Tensor): Tensor => {
      const z = tf.add(tf.matMul(xs as Tensor2D, ws as Tensor2D), bs);
      return lossOf(activation === 'silu' ? tf.mul(z, tf.sigmoid(z)) : z);
    };
    const layer = denseLayer(tf, activation);
    const custom = (xs: Tensor, ws: Tensor, bs: Tensor): Tensor => lossOf(layer(xs as Tensor2D, ws as Tensor2D, bs as Tensor1D));

    const expected = tf.valueAndGrads(reference)([x, w, b]);
    const actual = tf.valueAndGrads(custom)([x, w, b]);
    assertClose(actual.value.dataSync(), expected.value.dataSync(), 1e-5, 'value');
    for (let i = 0; i < 3; i++) {
      assertClose(actual.grads[i]!.dataSync(), expected.grads[i]!.dataSync(), 1e-5, ['dx', 'dW', 'db'][i]!);
    }
    tf.dispose([x, w, b, upstream, expected.value, actual.value, ...expected.grads, ...actual.grads]);
    assert.equal(tf.memory().numTensors, before);
  });
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, label: string): void {
  assert.equal(actual.length, expected.length, label);
  for (let i = 0; i < actual.length; i++) {
    const scale = Math.max(1, Math.abs(expected[i]!));
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tolerance * scale, `${label}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

test('without an input gradient the layer still trains its weights and reports dx as zeros', async () => {
  const { tf } = await loadBackend();
  const x = randomTensor2d(tf, 9, 5, 11);
  const w = randomTensor2d(tf, 5, 3, 12);
  const b = tf.zeros([3]) as Tensor1D;
  const full = denseLayer(tf, 'silu');
  const dataOnly = denseLayer(tf, 'silu', { inputGradient: false });
  const expected = tf.grads((xs: Tensor, ws: Tensor, bs: Tensor) => tf.sum(full(xs as Tensor2D, ws as Tensor2D, bs as Tensor1D)))([x, w, b]);
  const actual = tf.grads((xs: Tensor, ws: Tensor, bs: Tensor) => tf.sum(dataOnly(xs as Tensor2D, ws as Tensor2D, bs as Tensor1D)))([x, w, b]);
  assert.ok(actual[0]!.dataSync().every((v) => v === 0));
  assertClose(actual[1]!.dataSync(), expected[1]!.dataSync(), 1e-6, 'dW');
  assertClose(actual[2]!.dataSync(), expected[2]!.dataSync(), 1e-6, 'db');
  tf.dispose([x, w, b, ...expected, ...actual]);
});
