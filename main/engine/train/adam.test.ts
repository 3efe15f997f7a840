import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBackend } from './backend.js';
import { createAdam, type AdamOptions } from './adam.js';

// Two tensors of different shapes, each with its own moments; a zero gradient on one entry.
const start = [[0.5, -1, 2, 0], [3, -3]];
const shapes = [[4], [2, 1]];
const gradients = [
  [[0.2, -0.4, 1, 0], [1, -1]],
  [[-0.1, -0.4, 0.5, 0.3], [1, -1]],
  [[0.3, 0.1, -2, 0.3], [-1, 1]],
];
const learningRates = [0.1, 0.05, 0.01];

/**
 * Parameters after each step, worked out in float64 from Kingma & Ba (2015), Algorithm 1 in the
 * form of their §2: m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², αt = α·√(1−β2^t)/(1−β1^t),
 * θ ← θ − αt·m/(√v + ε). The code has no weight decay, so none is applied. Checks by hand: the
 * first step moves each entry by α·sign(g) (the bias correction undoes the zero start), a zero
 * gradient leaves its entry alone, and at step 2 the first entry moves by 0.0117658 · 0.008/√0.00004996.
 */
const cases: { readonly name: string; readonly options: AdamOptions; readonly expected: number[][][] }[] = [
  {
    name: 'the defaults (β1 0.9, β2 0.999, ε 1e-8)',
    options: {},
    expected: [
      [[0.400000158, -0.900000079, 1.90000003, 0], [2.90000003, -2.90000003]],
      [[0.386683325, -0.850000107, 1.85339106, -0.037206802], [2.85000004, -2.85000004]],
      [[0.380330129, -0.843501119, 1.85545463, -0.0457914211], [2.84738012, -2.84738012]],
    ],
  },
  {
    // A large ε shows where it sits: outside the bias correction of v.
    name: 'β1 0.5, β2 0.9, ε 0.01',
    options: { beta1: 0.5, beta2: 0.9, epsilon: 0.01 },
    expected: [
      [[0.413652706, -0.907326485, 1.90306534, 0], [2.90306534, -2.90306534]],
      [[0.413652706, -0.860038629, 1.86144696, -0.0415654464], [2.8541867, -2.8541867]],
      [[0.406492165, -0.856703817, 1.86764794, -0.0510749611], [2.85558834, -2.85558834]],
    ],
  },
];

for (const { name, options, expected } of cases) {
  test(`Adam matches the published update rule step by step: ${name}`, async () => {
    const { tf } = await loadBackend();
    const before = tf.memory().numTensors;
    let params = start.map((values, i) => tf.tensor(values, shapes[i]));
    const adam = createAdam(tf, params, options);
    gradients.forEach((stepGrads, step) => {
      const grads = stepGrads.map((values, i) => tf.tensor(values, shapes[i]));
      params = adam.step(params, grads, learningRates[step]!);
      tf.dispose(grads);
      params.forEach((p, i) => {
        assert.deepEqual(p.shape, shapes[i]);
        const got = Array.from(p.dataSync());
        got.forEach((value, j) => {
          const want = expected[step]![i]![j]!;
          // float32 arithmetic: a few ulps of the values' size.
          assert.ok(Math.abs(value - want) <= 1e-6 * Math.max(1, Math.abs(want)), `step ${step + 1}, tensor ${i}[${j}]: ${value} ≠ ${want}`);
        });
      });
    });
    tf.dispose(params);
    adam.dispose();
    assert.equal(tf.memory().numTensors, before, 'the moments and the old parameters are freed');
  });
}
