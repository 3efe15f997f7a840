import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCancellation } from '../../../shared/errors.js';
import { noopJobContext, type JobContext, type Progress } from '../../../shared/job.js';
import { createRandom, gaussianPoints } from '../../../shared/random.js';
import type { ImageDensity } from '../image/density.js';
import { createMapping } from '../image/mapping.js';
import { integrate } from '../ode/integrate.js';
import { float64Ops } from '../ode/vector-ops.js';
import { loadBackend } from './backend.js';
import { ffjordDynamics } from './ffjord-dynamics.js';
import { createFfjordField } from '../inference/ffjord-field.js';
import { paramsFromWeights, parseArchitecture, flattenParams } from './ffjord-network.js';
import { ffjordFastPreset, ffjordPreset, trainFfjord, type FfjordHistoryEntry, type FfjordTrainOptions } from './ffjord-trainer.js';
import { ffjordLogLikelihood } from './ffjord-likelihood.js';
import { ROUND_NOISE } from '../flow/noise-source.js';

/** A 16×16 picture of a thick ring: off-centre mass that a Gaussian does not already fit. */
function ringDensity(): ImageDensity {
  const side = 16;
  const weights = new Float64Array(side * side);
  for (let row = 0; row < side; row++) {
    for (let col = 0; col < side; col++) {
      const r = Math.hypot(col + 0.5 - side / 2, row + 0.5 - side / 2);
      weights[row * side + col] = r > 3.5 && r < 6.5 ? 1 : 0;
    }
  }
  const total = weights.reduce((a, b) => a + b, 0);
  const mapping = createMapping(side, side, side, side);
  return {
    source: { path: 'ring', sha256: '0'.repeat(64), format: 'synthetic' },
    options: { mass: 'dark', threshold: 0, maxSide: side },
    mapping,
    width: side,
    height: side,
    probabilities: weights.map((w) => w / total),
    colours: new Uint8ClampedArray(side * side * 4).fill(255),
    background: { rgba: [255, 255, 255, 255], transparent: false },
    inkColour: [255, 255, 255, 255],
    jitterStd: mapping.modelPerPixel / 2,
  };
}

const tiny: FfjordTrainOptions = { widths: [2, 16, 16, 2], batchSize: 256, learningRate: 1e-2, evalSize: 400, seed: 7 };

function recorder(signal: AbortSignal = new AbortController().signal): { ctx: JobContext; events: Progress[] } {
  const events: Progress[] = [];
  return { ctx: { signal, progress: (p) => events.push(p) }, events };
}

const density = ringDensity();
const trained = recorder();
const model = await trainFfjord(density, { ...tiny, steps: 25, evalEvery: 24 }, trained.ctx);

test('training reduces the held-out NLL and reports its progress', () => {
  const measured = model.training.history.filter((h) => 'nll' in h) as Array<{ step: number; nll: number }>;
  assert.deepEqual(
    measured.map((h) => h.step),
    [24, 25],
  );
  assert.equal(model.training.steps, 25);
  const first = trained.events[0]!;
  const last = trained.events[trained.events.length - 1]!;
  assert.equal(first.stage, 'train');
  assert.ok(trained.events.every((p, i) => i === 0 || p.done >= trained.events[i - 1]!.done), 'progress is monotonic');
  assert.equal(last.done, last.total);
  assert.ok((first.metrics?.['nfe'] ?? 0) >= 7, 'a dopri5 solve takes at least one step');
  // log N(0, I) of the ring under the untrained flow is far off; 25 steps must close part of that gap.
  const initialLoss = model.training.history[0]!.loss;
  assert.ok(measured[1]!.nll < initialLoss - 0.2, `NLL ${measured[1]!.nll} vs first loss ${initialLoss}`);
});

test('the same seed reproduces the weights; another seed does not', async () => {
  const run = (seed: number) => trainFfjord(density, { ...tiny, seed, steps: 2, evalEvery: 0 }, recorder().ctx);
  const [a, b, c] = [await run(3), await run(3), await run(4)];
  a.weights.forEach((w, i) => assert.deepEqual(w.data, b.weights[i]!.data, w.name));
  assert.notDeepEqual(a.weights[0]!.data, c.weights[0]!.data);
});

test('the base density is the source it is given: recorded in the model and in its log p', async () => {
  const noise = { shape: 'fitted', stdX: 1, stdY: 0.5 } as const;
  const model = await trainFfjord(density, { ...tiny, steps: 1, evalEvery: 0, noise }, recorder().ctx);
  assert.deepEqual(model.noise, noise);
  const points = gaussianPoints(50, createRandom(2));
  const fitted = await ffjordLogLikelihood(model, points);
  const round = await ffjordLogLikelihood({ ...model, noise: ROUND_NOISE }, points);
  // Same flow, so the same z(T) and Δlogp: log p differs only by the Gaussians' log ratio at z(T).
  for (let i = 0; i < 50; i++) assert.notEqual(fitted[i], round[i]);
  const field = await createFfjordField(model);
  assert.deepEqual(field.source, noise);
  field.dispose();
});

test('cancelling rejects with AbortError and leaks no tensors', async () => {
  const { tf } = await loadBackend();
  const before = tf.memory().numTensors;
  const controller = new AbortController();
  const { ctx, events } = recorder(controller.signal);
  const run = trainFfjord(density, { ...tiny, steps: 1000 }, { ...ctx, progress: (p) => (events.push(p), events.length === 2 && controller.abort()) });
  await assert.rejects(run, (error) => isCancellation(error));
  assert.equal(events.length, 2);
  assert.equal(tf.memory().numTensors, before);
});

test('the field is FFJORD time-flipped: v(x, t) = −T·f(x, (1 − t)·T)', async () => {
  const { tf } = await loadBackend();
  const field = await createFfjordField(model);
  const points = gaussianPoints(50, createRandom(5));
  const t = 0.3;
  const v = new Float64Array(points.length);
  field.velocity(points, t, v);
  field.dispose();
  const params = paramsFromWeights(parseArchitecture(model), model.weights, (w) => tf.tensor(w.data, [...w.shape]));
  const expected = tf.tidy(() => {
    const y = tf.tensor2d(Array.from({ length: 50 }, (_, i) => [points[2 * i]!, points[2 * i + 1]!, 0]));
    // The dynamics are already in solver time τ = s/T, i.e. T·f(x, τT).
    return tf.neg(tf.slice(ffjordDynamics(tf, params, y, 1 - t), [0, 0], [50, 2])).dataSync();
  });
  tf.dispose(flattenParams(params));
  for (let i = 0; i < v.length; i++) assert.ok(Math.abs(v[i]! - expected[i]!) < 1e-4, `${v[i]} vs ${expected[i]}`);
});

test('the field carries noise toward the picture', async () => {
  const field = await createFfjordField(model);
  const noise = gaussianPoints(2000, createRandom(9));
  const [, samples] = integrate(
    (t, y) => {
      const out = new Float64Array(y.length);
      field.velocity(y, t, out);
      return out;
    },
    noise,
    [0, 1],
    { method: 'rk4', steps: 16 },
    float64Ops,
  );
  field.dispose();
  // The ring spans radii 3.5–6.5 pixels of 0.5 model units: 21 % of N(0, I) falls there.
  const inRing = (points: Float64Array): number => {
    let count = 0;
    for (let i = 0; i < points.length; i += 2) {
      const r = Math.hypot(points[i]!, points[i + 1]!);
      if (r > 1.75 && r < 3.25) count++;
    }
    return count / (points.length / 2);
  };
  assert.ok(inRing(samples!) > inRing(noise) + 0.1, `in the ring: samples ${inRing(samples!)} vs noise ${inRing(noise)}`);
});

test('snapshots: the weights so far, usable as a field', async () => {
  const seen: number[] = [];
  let last: Awaited<ReturnType<typeof trainFfjord>> | undefined;
  await trainFfjord(
    density,
    { ...tiny, steps: 3, evalEvery: 0, snapshotSeconds: 1e-9, onSnapshot: (m) => void (seen.push(m.training.steps), (last = m)) },
    recorder().ctx,
  );
  assert.deepEqual(seen, [1, 2]);
  assert.equal(last?.method, 'ffjord');
  const field = await createFfjordField(last!);
  const out = new Float64Array(2);
  field.velocity(Float64Array.from([0.5, -0.5]), 0.5, out);
  field.dispose();
  assert.ok(Number.isFinite(out[0]!) && Number.isFinite(out[1]!));
});

test('"FFJORD, fast" trains at its own batch, learning rate and tolerances, and gains more per step than the seed’s settings', async () => {
  const budget = { widths: [2, 16, 16, 2], evalSize: 400, seed: 7, steps: 20, evalEvery: 20 };
  const fast = await trainFfjord(density, { ...budget, preset: ffjordFastPreset }, noopJobContext);
  const seed = await trainFfjord(density, { ...budget, preset: ffjordPreset }, noopJobContext);
  assert.equal(fast.training.preset, 'ffjord-fast');
  assert.equal(seed.training.preset, 'ffjord-seed');
  const { batchSize, learningRate, atol, rtol } = fast.architecture;
  assert.deepEqual({ batchSize, learningRate, atol, rtol }, { batchSize: 250, learningRate: 1e-2, atol: 1e-3, rtol: 1e-3 });
  // Both held-out NLLs are solved at the seed's tolerance, so they compare.
  const nll = (m: typeof fast): number => (m.training.history.at(-1) as FfjordHistoryEntry).nll!;
  // Measured 4.11 against 4.98.
  assert.ok(nll(fast) < nll(seed) - 0.5, `fast ${nll(fast)} vs seed ${nll(seed)} after 20 steps`);
});
