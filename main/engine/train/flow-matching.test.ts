import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCancellation } from '../../../shared/errors.js';
import type { JobContext, Progress } from '../../../shared/job.js';
import { loadDensity } from '../image/load-density.js';
import { bundledSamplePath } from '../image/samples.js';
import { evaluateSamples } from '../quality/tv-score.js';
import { integrate } from '../ode/integrate.js';
import { float64Ops } from '../ode/vector-ops.js';
import { createRandom, gaussianPoints } from '../../../shared/random.js';
import { loadBackend } from './backend.js';
import { createModelField } from '../inference/model-field.js';
import { trainFlowMatching, type FlowMatchingOptions } from './flow-matching.js';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createExactFlow } from '../flow/exact-flow.js';
import { noiseSourceFor } from '../flow/noise-source.js';
import { sampleFlow } from '../flow/sample-flow.js';
import { writeTestPicture } from '../../tools/fixture-pictures.js';

const tiny: FlowMatchingOptions = { width: 32, depth: 2, fourierFeatures: 16, timeFrequencies: 2, batchSize: 256 };
const heart = (): ReturnType<typeof loadDensity> => loadDensity(bundledSamplePath('heart.png'), { maxSide: 64 });

function recorder(onProgress: (p: Progress) => void = () => {}, signal: AbortSignal = new AbortController().signal): JobContext & { seen: Progress[] } {
  const seen: Progress[] = [];
  return {
    seen,
    signal,
    progress: (p) => {
      seen.push(p);
      onProgress(p);
    },
  };
}

test('the loss falls over a few hundred tiny steps, and progress is monotonic and completes', async () => {
  const density = await heart();
  const ctx = recorder();
  const model = await trainFlowMatching(density, { ...tiny, steps: 300, seed: 1 }, ctx);
  assert.equal(model.training.steps, 300);
  const first = model.training.history[0]!.loss;
  assert.ok(model.training.finalLoss < 0.9 * first, `loss ${first} → ${model.training.finalLoss}`);
  // Distillation first reports building the exact flow ('prepare'), then the training.
  const training = ctx.seen.filter((p) => p.stage === 'train');
  assert.ok(training.length >= 150, 'progress at least every other step');
  for (let i = 1; i < training.length; i++) assert.ok(training[i]!.done >= training[i - 1]!.done);
  const last = ctx.seen.at(-1)!;
  assert.equal(last.stage, 'train');
  assert.equal(last.done, last.total);
  assert.equal(last.metrics?.['step'], 300);
  assert.ok(Number.isFinite(last.metrics?.['loss']) && Number.isFinite(last.metrics?.['samplesPerSecond']));
});

test('the same seed reproduces identical weights; another seed does not', async () => {
  const density = await heart();
  const run = (seed: number): ReturnType<typeof trainFlowMatching> =>
    trainFlowMatching(density, { ...tiny, steps: 20, seed }, recorder());
  const [a, b, c] = [await run(7), await run(7), await run(8)];
  assert.equal(a.weights.length, b.weights.length);
  a.weights.forEach((w, i) => assert.deepEqual(w.data, b.weights[i]!.data, w.name));
  assert.notDeepEqual(a.weights[1]!.data, c.weights[1]!.data);
});

test('cancelling mid-training rejects with AbortError and frees every tensor', async () => {
  const { tf } = await loadBackend();
  const density = await heart();
  const before = tf.memory().numTensors;
  const controller = new AbortController();
  let stepAtAbort = 0;
  const ctx = recorder((p) => {
    const step = p.metrics?.['step'] ?? 0;
    if (step >= 5 && !controller.signal.aborted) {
      stepAtAbort = step;
      controller.abort();
    }
  }, controller.signal);
  await assert.rejects(trainFlowMatching(density, { ...tiny, steps: 100_000 }, ctx), (error) => isCancellation(error));
  const lastStep = ctx.seen.at(-1)?.metrics?.['step'] ?? 0;
  assert.ok(lastStep <= stepAtAbort + 1, `stopped at step ${lastStep}, aborted at ${stepAtAbort}`);
  assert.equal(tf.memory().numTensors, before);
});

test('tensor count stays flat over a thousand steps', async () => {
  const { tf } = await loadBackend();
  const density = await heart();
  const before = tf.memory().numTensors;
  const counts: number[] = [];
  const ctx = recorder((p) => {
    if (p.stage === 'train') counts.push(tf.memory().numTensors);
  });
  await trainFlowMatching(density, { width: 8, depth: 1, fourierFeatures: 4, timeFrequencies: 1, batchSize: 16, steps: 1000 }, ctx);
  const steady = counts.slice(5);
  assert.equal(Math.max(...steady), Math.min(...steady), 'no tensors accumulate between steps');
  assert.equal(tf.memory().numTensors, before, 'nothing left after training');
});

for (const distill of [false, true]) {
  test(`a short training on a simple shape beats the Gaussian blob by far (${distill ? 'distilled' : 'plain'} targets)`, async () => {
    const density = await heart();
    const options = { width: 64, depth: 2, fourierFeatures: 32, fourierScale: 0.5, learningRate: 5e-3, batchSize: 512, steps: 400 };
    const model = await trainFlowMatching(density, { ...options, distill, seed: 3 }, recorder());
    const field = await createModelField(model);
    const rhs = (t: number, y: Float64Array): Float64Array => {
      const out = new Float64Array(y.length);
      field.velocity(y, t, out);
      return out;
    };
    const samples = integrate(rhs, gaussianPoints(4000, createRandom(4)), [0, 1], { method: 'midpoint', steps: 16 }, float64Ops)[1]!;
    field.dispose();
    const report = evaluateSamples(density, samples, { seed: 5 });
    // 1 is the blob. Seed 3 measures 0.100 plain and 0.025 distilled (the run is deterministic);
    // seeds 5, 11 and 29 gave 0.14–0.20 plain and −0.01–0.04 distilled. The bounds sit just above
    // that spread, so a change that only reshuffles the random draws passes and a 2.5× (plain)
    // or 2× (distilled) loss of quality fails.
    const bound = distill ? 0.06 : 0.25;
    assert.ok(report.score < bound, `score ${report.score.toFixed(3)} (tv ${report.tv.toFixed(3)}, blob ${report.tvBlob.toFixed(3)})`);
  });
}

test('trained from the fitted source of a 5:1 banner, the model records it and samples well from it', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-fm-noise-'));
  const density = await loadDensity(await writeTestPicture(dir, 'banner'), { maxSide: 128 });
  await fs.rm(dir, { recursive: true });
  const noise = noiseSourceFor('fitted', density.mapping);
  assert.ok(Math.abs(noise.stdY - 0.2) < 0.01);
  const options = { width: 64, depth: 2, fourierFeatures: 32, fourierScale: 0.5, learningRate: 5e-3, batchSize: 512, steps: 300 };
  const model = await trainFlowMatching(density, { ...options, distill: true, seed: 3, noise }, recorder());
  assert.deepEqual(model.noise, noise);
  const field = await createModelField(model);
  assert.deepEqual(field.source, noise);
  const score = evaluateSamples(density, await sampleFlow(field, 4000, { seed: 4 }), { seed: 5 }).score;
  field.dispose();
  // The same training from round noise, for comparison: measured 0.31 fitted, 0.30 round.
  const round = await trainFlowMatching(density, { ...options, distill: true, seed: 3 }, recorder());
  const roundField = await createModelField(round);
  const roundScore = evaluateSamples(density, await sampleFlow(roundField, 4000, { seed: 4 }), { seed: 5 }).score;
  roundField.dispose();
  assert.ok(score < 0.36 && score < roundScore + 0.05, `score ${score.toFixed(3)}, round ${roundScore.toFixed(3)}`);
  // A distillation target must start from the same source as the model it teaches.
  const roundExact = createExactFlow(density);
  await assert.rejects(trainFlowMatching(density, { ...tiny, steps: 1, distill: true, noise, exactField: roundExact }, recorder()), /another source/);
});

test('snapshots: the weights so far, on the way, without changing the result', async () => {
  const density = await heart();
  const snapshots: Array<{ steps: number; model: Awaited<ReturnType<typeof trainFlowMatching>> }> = [];
  const watched = await trainFlowMatching(
    density,
    {
      ...tiny,
      steps: 12,
      seed: 3,
      snapshotSeconds: 1e-9,
      onSnapshot: async (model) => {
        snapshots.push({ steps: model.training.steps, model });
        // An asynchronous hook is awaited before the next step.
        await new Promise<void>((resolve) => setImmediate(resolve));
      },
    },
    recorder(),
  );
  const plain = await trainFlowMatching(density, { ...tiny, steps: 12, seed: 3 }, recorder());
  watched.weights.forEach((w, i) => assert.deepEqual(w.data, plain.weights[i]!.data, w.name));
  assert.deepEqual(snapshots.map((s) => s.steps), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  const field = await createModelField(snapshots[5]!.model);
  const out = new Float64Array(2);
  field.velocity(Float64Array.from([0.1, 0.2]), 0.5, out);
  field.dispose();
  assert.ok(Number.isFinite(out[0]!) && Number.isFinite(out[1]!));
  await assert.rejects(trainFlowMatching(density, { ...tiny, steps: 2, snapshotSeconds: 0 }, recorder()), /snapshotSeconds/);
});
