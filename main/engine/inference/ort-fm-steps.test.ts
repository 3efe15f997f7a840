import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Tensor } from '@tensorflow/tfjs';
import { noopJobContext } from '../../../shared/job.js';
import { createRandom } from '../../../shared/random.js';
import { loadBundledSample } from '../flow/bundled-samples.js';
import { sampleDensity } from '../image/alias-sampler.js';
import { encodeFmTrainingStep, trainedTensors, TRAIN_FOURIER, TRAIN_LOSS, TRAIN_STEP_SIZE, TRAIN_TARGET, TRAIN_TIME_FEATURES, TRAIN_X } from '../onnx/fm-train-graph.js';
import { ADAM_DEFAULTS, createAdam } from '../train/adam.js';
import { loadBackend } from '../train/backend.js';
import { trainFlowMatching } from '../train/flow-matching.js';
import { forward, initWeights, timeFeatureSize, weightTensors, writeTimeFeatures, type MlpArchitecture } from '../train/mlp-field.js';
import { ortFlowMatchingSteps } from './ort-fm-steps.js';
import { assertFallsBackToTfjs, assertTrainedAlike, relativeError } from './backend-agreement.test-util.js';
import { createOrtSession } from './ort-session.js';

const arch: MlpArchitecture = { kind: 'fm-mlp', version: 1, width: 48, depth: 3, fourierFeatures: 16, fourierScale: 0.5, timeFrequencies: 4 };


test('the onnxruntime training step gives tfjs’s loss, gradients and Adam update for the same weights and batch', async () => {
  const density = await loadBundledSample('heart.png', 64);
  const random = createRandom(7);
  const rows = 512;
  const x1 = sampleDensity(density, rows, random);
  const xt = new Float32Array(2 * rows);
  const target = new Float32Array(2 * rows);
  const timeFeatures = new Float32Array(timeFeatureSize(arch) * rows);
  for (let i = 0; i < rows; i++) {
    const t = random.next();
    for (let d = 0; d < 2; d++) {
      const x0 = random.normal();
      xt[2 * i + d] = t * x1[2 * i + d]! + (1 - t) * x0;
      target[2 * i + d] = x1[2 * i + d]! - x0;
    }
    writeTimeFeatures(arch, t, timeFeatures, i);
  }
  const weights = initWeights(arch, createRandom(3));
  const learningRate = 0.01;

  const { tf } = await loadBackend();
  const expected = tf.tidy(() => {
    const [fourier, ...params] = weightTensors(tf, weights);
    const x = tf.tensor2d(xt, [rows, 2]);
    const time = tf.tensor2d(timeFeatures, [rows, timeFeatureSize(arch)]);
    const y = tf.tensor2d(target, [rows, 2]);
    const loss = (...trainable: Tensor[]): Tensor => tf.mean(tf.sum(tf.squaredDifference(forward(tf, arch, [fourier!, ...(trainable as typeof params)], x, time), y), 1));
    const { value, grads } = tf.valueAndGrads(loss)(params);
    const adam = createAdam(tf, params);
    const next = adam.step(params, grads, learningRate);
    const out = { loss: value.dataSync()[0]!, grads: grads.map((g) => g.dataSync() as Float32Array), next: next.map((p) => p.dataSync() as Float32Array) };
    adam.dispose();
    return out;
  });

  const names = trainedTensors(arch);
  const { ort, session, dispose } = await createOrtSession(encodeFmTrainingStep(arch, ADAM_DEFAULTS), 'test step');
  try {
    const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {
      [TRAIN_X]: new ort.Tensor('float32', xt, [rows, 2]),
      [TRAIN_TIME_FEATURES]: new ort.Tensor('float32', timeFeatures, [rows, timeFeatureSize(arch)]),
      [TRAIN_TARGET]: new ort.Tensor('float32', target, [rows, 2]),
      [TRAIN_FOURIER]: new ort.Tensor('float32', weights[0]!.data, weights[0]!.shape),
      // Step 1: Adam's bias corrections give exactly the learning rate·sqrt(1 − β2)/(1 − β1).
      [TRAIN_STEP_SIZE]: new ort.Tensor('float32', Float32Array.of((learningRate * Math.sqrt(1 - ADAM_DEFAULTS.beta2)) / (1 - ADAM_DEFAULTS.beta1)), []),
    };
    names.forEach((n, i) => {
      feeds[n.param] = new ort.Tensor('float32', weights[i + 1]!.data, n.shape);
      feeds[n.m] = new ort.Tensor('float32', new Float32Array(weights[i + 1]!.data.length), n.shape);
      feeds[n.v] = new ort.Tensor('float32', new Float32Array(weights[i + 1]!.data.length), n.shape);
    });
    const result = await session.run(feeds);
    const loss = (result[TRAIN_LOSS]!.data as Float32Array)[0]!;
    assert.ok(expected.loss > 0.1, `a real loss to compare (${expected.loss})`);
    assert.ok(Math.abs(loss - expected.loss) / expected.loss < 1e-5, `loss ${loss} vs tfjs ${expected.loss}`);
    names.forEach((n, i) => {
      const gradError = relativeError(result[n.grad]!.data as Float32Array, expected.grads[i]!);
      assert.ok(gradError < 1e-4, `${n.name}: gradient differs from tfjs's by ${gradError} of its largest entry`);
      // The first Adam step moves every weight by about the learning rate, whatever its gradient;
      // where a gradient is near Adam's epsilon, float32 rounding shows most.
      const moved = relativeError(result[n.nextParam]!.data as Float32Array, weights[i + 1]!.data);
      const nextError = relativeError(result[n.nextParam]!.data as Float32Array, expected.next[i]!);
      assert.ok(nextError < 1e-4 && moved > 1e-4, `${n.name}: updated weights differ from tfjs's by ${nextError} (moved ${moved})`);
    });
  } finally {
    dispose();
  }
});

test('flow matching on onnxruntime follows the tfjs trainer step for step from the same seed', async () => {
  const density = await loadBundledSample('heart.png', 64);
  const options = { steps: 40, seed: 5, batchSize: 256, width: 48, fourierFeatures: 16 };
  const onTfjs = await trainFlowMatching(density, options, noopJobContext);
  const onOrt = await trainFlowMatching(density, { ...options, stepBackend: ortFlowMatchingSteps() }, noopJobContext);
  assert.equal(onOrt.training.backend, 'onnxruntime');
  assert.notEqual(onTfjs.training.backend, 'onnxruntime');
  assert.equal(onOrt.training.steps, 40);
  const first = onTfjs.training.history[0]!.loss;
  assert.ok(onTfjs.training.finalLoss < 0.8 * first, `tfjs trained (${first} → ${onTfjs.training.finalLoss})`);
  assertTrainedAlike(onTfjs, onOrt, { lossError: (a, b) => Math.abs(a - b) / b, loss: 1e-3, weights: 1e-3 });
  // Reproducible on its own backend: the same seed and steps give the same weights, bit for bit.
  const again = await trainFlowMatching(density, { ...options, stepBackend: ortFlowMatchingSteps() }, noopJobContext);
  assert.deepEqual(again.weights, onOrt.weights);
});

test('a step backend that cannot start here leaves flow matching to TensorFlow.js, which trains as it would alone', async () => {
  const density = await loadBundledSample('heart.png', 64);
  const options = { steps: 5, seed: 2, batchSize: 128, width: 32, fourierFeatures: 8 };
  await assertFallsBackToTfjs((stepBackend) => trainFlowMatching(density, { ...options, stepBackend }, noopJobContext));
});
