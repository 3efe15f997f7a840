import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isFlowGifError } from '../../../shared/errors.js';
import { createRandom } from '../../../shared/random.js';
import { loadBackend } from '../train/backend.js';
import { forward, initWeights, weightTensors, timeFeatureSize, writeTimeFeatures, type MlpArchitecture } from '../train/mlp-field.js';
import { createModelField } from './model-field.js';
import { INFERENCE_CHUNK } from './point-chunks.js';
import type { NamedTensor, TrainedModel } from '../train/trained-model.js';
import { ROUND_NOISE } from '../flow/noise-source.js';

const arch: MlpArchitecture = { kind: 'fm-mlp', version: 1, width: 16, depth: 2, fourierFeatures: 8, fourierScale: 1, timeFrequencies: 2 };

function modelWith(weights: readonly NamedTensor[], architecture: Record<string, unknown> = { ...arch }): TrainedModel {
  return {
    method: 'fm',
    architecture,
    weights,
    training: { preset: 'test', backend: 'wasm', seed: 1, steps: 0, seconds: 0, finalLoss: 0, history: [] },
    noise: ROUND_NOISE,
  };
}

test('createModelField gives the training-time network its velocities, across chunk boundaries', async () => {
  const { tf } = await loadBackend();
  const weights = initWeights(arch, createRandom(3));
  const field = await createModelField(modelWith(weights));
  const n = INFERENCE_CHUNK + 123;
  const random = createRandom(4);
  const points = Float64Array.from({ length: 2 * n }, () => 3 * random.normal());
  const t = 0.37;
  const out = new Float64Array(2 * n);
  field.velocity(points, t, out);

  const features = new Float32Array(timeFeatureSize(arch) * n);
  for (let i = 0; i < n; i++) writeTimeFeatures(arch, t, features, i);
  const expected = tf.tidy(() => {
    const params = weightTensors(tf, weights);
    const x = tf.tensor2d(Float32Array.from(points), [n, 2]);
    return forward(tf, arch, params, x, tf.tensor2d(features, [n, timeFeatureSize(arch)]));
  });
  const reference = expected.dataSync();
  expected.dispose();
  for (let i = 0; i < 2 * n; i++) assert.ok(Math.abs(out[i]! - reference[i]!) < 1e-5, `component ${i}: ${out[i]} vs ${reference[i]}`);
  const before = tf.memory().numTensors;
  field.velocity(points.subarray(0, 20), 0.9, new Float64Array(20));
  assert.equal(tf.memory().numTensors, before, 'a velocity call leaves no tensors behind');
  field.dispose();
  assert.equal(tf.memory().numTensors, before - weights.length, 'dispose frees the weights');
});

test('damaged models are reported as MODEL_CORRUPT', async () => {
  const weights = initWeights(arch, createRandom(5));
  const replace = (name: string, change: (w: NamedTensor) => NamedTensor | undefined): NamedTensor[] =>
    weights.flatMap((w) => {
      if (w.name !== name) return [w];
      const changed = change(w);
      return changed === undefined ? [] : [changed];
    });
  const cases: Array<[string, TrainedModel]> = [
    ['missing weight', modelWith(replace('hidden1.bias', () => undefined))],
    ['wrong shape', modelWith(replace('hidden0.kernel', (w) => ({ ...w, shape: [w.shape[0]!, 17] })))],
    ['short data', modelWith(replace('output.kernel', (w) => ({ ...w, data: w.data.subarray(1) })))],
    ['non-finite value', modelWith(replace('output.bias', (w) => ({ ...w, data: Float32Array.of(NaN, 0) })))],
    ['width mismatch', modelWith(weights, { ...arch, width: 32 })],
    ['unknown kind', modelWith(weights, { ...arch, kind: 'resnet' })],
    ['bad depth', modelWith(weights, { ...arch, depth: 'two' })],
  ];
  for (const [label, model] of cases) {
    await assert.rejects(createModelField(model), (error) => isFlowGifError(error) && error.code === 'MODEL_CORRUPT', label);
  }
});
