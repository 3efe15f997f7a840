import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import { noopJobContext } from '../../../shared/job.js';
import { createRandom } from '../../../shared/random.js';
import { loadBundledSample } from '../flow/bundled-samples.js';
import { ROUND_NOISE } from '../flow/noise-source.js';
import { sampleDensity } from '../image/alias-sampler.js';
import { DYNAMICS_OUT, DYNAMICS_STATE, DYNAMICS_TAU, encodeFfjordDynamics, gradName, stateWidth, VJP_COTANGENT, VJP_STATE_GRAD } from '../onnx/ffjord-dynamics-graph.js';
import { loadBackend } from '../train/backend.js';
import { referenceDynamics } from '../train/ffjord-dynamics-autodiff.js';
import { ffjordLogDensity } from '../train/ffjord-likelihood.js';
import { architectureFor, flattenParams, initialWeights, paramsFromList, paramsFromWeights, weightNames } from '../train/ffjord-network.js';
import { trainFfjord, type FfjordTrainOptions } from '../train/ffjord-trainer.js';
import { createOrtFfjordSteps, ortFfjordSteps } from './ort-ffjord-steps.js';
import { assertFallsBackToTfjs, assertTrainedAlike, relativeError } from './backend-agreement.test-util.js';
import { createOrtSession } from './ort-session.js';

const architecture = architectureFor([2, 32, 32, 2]);


test('the ONNX right-hand side and its vector-Jacobian product agree with autodiff of the reference, with and without the penalties', async () => {
  const { tf } = await loadBackend();
  const names = weightNames(architecture);
  for (const penalties of [false, true]) {
    const random = createRandom(5);
    const weights = initialWeights(architecture, random, 0.7);
    const n = 64;
    const width = stateWidth(penalties);
    const y = new Float32Array(width * n).map(() => random.normal());
    const cotangent = new Float32Array(width * n).map(() => random.normal());
    const tau = 0.37;
    const expected = tf.tidy(() => {
      const params = flattenParams(paramsFromWeights(architecture, weights, (w) => tf.tensor(w.data, [...w.shape])));
      const dynamics = (state: Tensor, p: Tensor[]): Tensor => {
        const reference = referenceDynamics(tf, paramsFromList(architecture, p), tf.slice(state, [0, 0], [n, 3]) as Tensor2D, tf.scalar(tau));
        return penalties ? reference.penalised : reference.out;
      };
      const state = tf.tensor2d(y, [n, width]);
      const out = dynamics(state, params).dataSync() as Float32Array;
      const weighted = (yIn: Tensor, ...p: Tensor[]): Tensor => tf.sum(tf.mul(dynamics(yIn, p), tf.tensor2d(cotangent, [n, width])));
      const grads = tf.grads(weighted)([state, ...params]).map((g) => g.dataSync() as Float32Array);
      return { out, grads };
    });
    const { ort, session, dispose } = await createOrtSession(encodeFfjordDynamics(architecture, { vjp: true, penalties }), 'test graph');
    try {
      const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {
        [DYNAMICS_STATE]: new ort.Tensor('float32', y, [n, width]),
        [DYNAMICS_TAU]: new ort.Tensor('float32', Float32Array.of(tau), []),
        [VJP_COTANGENT]: new ort.Tensor('float32', cotangent, [n, width]),
      };
      names.forEach((name, i) => (feeds[name] = new ort.Tensor('float32', Float32Array.from(weights[i]!.data), weights[i]!.shape)));
      const result = await session.run(feeds);
      const what = penalties ? 'with the penalties' : 'plain';
      // Measured 1e-7–1e-6: float32 rounding only.
      assert.ok(relativeError(result[DYNAMICS_OUT]!.data as Float32Array, expected.out) < 1e-5, `the right-hand side, ${what}`);
      assert.ok(relativeError(result[VJP_STATE_GRAD]!.data as Float32Array, expected.grads[0]!) < 1e-5, `the state’s cotangent, ${what}`);
      names.forEach((name, i) => {
        const error = relativeError(result[gradName(name)]!.data as Float32Array, expected.grads[i + 1]!);
        assert.ok(error < 1e-5, `${name}, ${what}: gradient differs from autodiff's by ${error} of its largest entry`);
      });
    } finally {
      dispose();
    }
  }
});

test('one FFJORD batch on onnxruntime gives tfjs’s loss and gradients, through every dopri5 stage', async () => {
  const density = await loadBundledSample('heart.png', 64);
  const batch = Float32Array.from(sampleDensity(density, 200, createRandom(3)));
  const weights = initialWeights(architecture, createRandom(4), 0.5);
  const solve = { atol: 1e-5, rtol: 1e-5, source: ROUND_NOISE };
  const { tf } = await loadBackend();
  const expected = tf.tidy(() => {
    const params = flattenParams(paramsFromWeights(architecture, weights, (w) => tf.tensor(w.data, [...w.shape])));
    const x = tf.tensor2d(batch, [200, 2]);
    let nfe = 0;
    const objective = (...trainable: Tensor[]): Tensor => {
      const result = ffjordLogDensity(tf, paramsFromList(architecture, trainable), x, solve);
      nfe = result.nfe;
      return tf.neg(tf.mean(result.logp));
    };
    const { value, grads } = tf.valueAndGrads(objective)(params);
    return { loss: value.dataSync()[0]!, grads: grads.map((g) => g.dataSync() as Float32Array), nfe };
  });
  const steps = await createOrtFfjordSteps(architecture, weights, { nextBatch: () => batch, solve, weightDecay: 0 });
  try {
    const { loss, grads } = await steps.lossAndGradients();
    assert.equal(steps.nfe, expected.nfe, 'the same solver steps');
    assert.ok(expected.nfe > 14, `a real solve (${expected.nfe} evaluations)`);
    assert.ok(Math.abs(loss - expected.loss) / Math.abs(expected.loss) < 1e-6, `loss ${loss} vs tfjs ${expected.loss}`);
    weightNames(architecture).forEach((name, i) => {
      const error = relativeError(grads[i]!, expected.grads[i]!);
      // Measured 1e-7–1.4e-6: the same solver steps, float32 rounding only.
      assert.ok(error < 1e-5, `${name}: gradient differs from tfjs's by ${error} of its largest entry`);
    });
  } finally {
    steps.dispose();
  }
});

test('the adjoint method gives backpropagation’s gradient to within the solver’s tolerance, with and without the penalties', async () => {
  const density = await loadBundledSample('heart.png', 64);
  const batch = Float32Array.from(sampleDensity(density, 200, createRandom(3)));
  const weights = initialWeights(architecture, createRandom(4), 0.5);
  for (const penalties of [undefined, { kinetic: 0.05, frobenius: 0.05 }]) {
    const spec = { nextBatch: () => batch, solve: { atol: 1e-5, rtol: 1e-5, source: ROUND_NOISE }, weightDecay: 0, penalties };
    const results = [];
    for (const gradients of ['backprop', 'adjoint'] as const) {
      const steps = await createOrtFfjordSteps(architecture, weights, spec, { gradients });
      try {
        results.push({ ...(await steps.lossAndGradients()), backwardNfe: steps.backwardNfe });
      } finally {
        steps.dispose();
      }
    }
    const [backprop, adjoint] = results as [(typeof results)[0], (typeof results)[0]];
    assert.equal(backprop.backwardNfe, 0);
    assert.ok(adjoint.backwardNfe > 14, `a real backward solve (${adjoint.backwardNfe} evaluations)`);
    assert.equal(adjoint.loss, backprop.loss, 'the same forward solve');
    weightNames(architecture).forEach((name, i) => {
      // Measured up to 4.5e-6 of the largest entry at these tolerances (the hyper-biases).
      const error = relativeError(adjoint.grads[i]!, backprop.grads[i]!);
      assert.ok(error < 2e-5, `${name}${penalties ? ', penalised' : ''}: adjoint gradient differs by ${error} of its largest entry`);
    });
  }
});

test('FFJORD on onnxruntime follows the tfjs trainer step for step from the same seed, and reproduces itself', async () => {
  const density = await loadBundledSample('heart.png', 64);
  const options: FfjordTrainOptions = { widths: [2, 32, 32, 2], steps: 12, seed: 5, batchSize: 200, learningRate: 1e-2, atol: 1e-3, rtol: 1e-3, evalEvery: 12, evalSize: 300 };
  const onTfjs = await trainFfjord(density, options, noopJobContext);
  const onOrt = await trainFfjord(density, { ...options, stepBackend: ortFfjordSteps() }, noopJobContext);
  assert.equal(onOrt.training.backend, 'onnxruntime');
  assert.notEqual(onTfjs.training.backend, 'onnxruntime');
  assert.equal(onOrt.training.steps, 12);
  // Measured: losses within 7e-7, weights within 1.2e-6 of their largest entries.
  assertTrainedAlike(onTfjs, onOrt, { lossError: (a, b) => Math.abs(a - b), loss: 1e-5, weights: 2e-5 });
  const nll = (m: typeof onTfjs): number => (m.training.history.at(-1) as { nll?: number }).nll!;
  assert.ok(Math.abs(nll(onOrt) - nll(onTfjs)) < 1e-4, `held-out NLL ${nll(onOrt)} on onnxruntime vs ${nll(onTfjs)} on tfjs`);
  assert.ok(nll(onOrt) < onOrt.training.history[0]!.loss - 0.05, 'it trained');
  const again = await trainFfjord(density, { ...options, stepBackend: ortFfjordSteps() }, noopJobContext);
  assert.deepEqual(again.weights, onOrt.weights);
});

test('with Finlay et al.’s penalties both backends train alike: the same losses, NLL and weights', async () => {
  const density = await loadBundledSample('heart.png', 64);
  const options: FfjordTrainOptions = {
    widths: [2, 16, 16, 2],
    steps: 6,
    seed: 3,
    batchSize: 128,
    learningRate: 1e-2,
    atol: 1e-3,
    rtol: 1e-3,
    evalEvery: 6,
    evalSize: 200,
    penalties: { kinetic: 0.05, frobenius: 0.05 },
  };
  const onTfjs = await trainFfjord(density, options, noopJobContext);
  const onOrt = await trainFfjord(density, { ...options, stepBackend: ortFfjordSteps() }, noopJobContext);
  assert.deepEqual((onOrt.architecture as { penalties?: unknown }).penalties, options.penalties, 'the model records its penalties');
  assertTrainedAlike(onTfjs, onOrt, { lossError: (a, b) => Math.abs(a - b), loss: 1e-5, weights: 2e-5 });
  // The penalties steer: without them the same run ends elsewhere.
  const plain = await trainFfjord(density, { ...options, penalties: undefined, stepBackend: ortFfjordSteps() }, noopJobContext);
  assert.ok(relativeError(plain.weights[0]!.data, onOrt.weights[0]!.data) > 1e-4, 'the penalties changed the training');
});

test('an FFJORD step backend that cannot start here leaves training to TensorFlow.js', async () => {
  const density = await loadBundledSample('heart.png', 64);
  const options: FfjordTrainOptions = { widths: [2, 8, 2], steps: 3, seed: 2, batchSize: 64, evalEvery: 0 };
  await assertFallsBackToTfjs((stepBackend) => trainFfjord(density, { ...options, stepBackend }, noopJobContext));
});
