import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Scalar, Tensor, Tensor2D } from '@tensorflow/tfjs';
import { isFlowGifError } from '../../../shared/errors.js';
import { noopJobContext } from '../../../shared/job.js';
import { createRandom } from '../../../shared/random.js';
import { loadBundledSample } from '../flow/bundled-samples.js';
import { exportOnnx } from '../onnx/export-onnx.js';
import { loadBackend } from '../train/backend.js';
import { architectureFor, ffjordForward, flattenParams, initialWeights, paramsFromWeights } from '../train/ffjord-network.js';
import { trainFlowMatching } from '../train/flow-matching.js';
import { initWeights, type MlpArchitecture } from '../train/mlp-field.js';
import { createModelField } from './model-field.js';
import type { NamedTensor, TrainedModel } from '../train/trained-model.js';
import { createInferenceField, createOrtField } from './ort-field.js';
import { currentOrtTempFolder, leaseOrtTempFolder } from './ort-temp-folder.js';
import { ROUND_NOISE } from '../flow/noise-source.js';

const training = { preset: 'test', backend: 'test', seed: 1, steps: 0, seconds: 0, finalLoss: 0, history: [] };

function randomPoints(n: number, seed: number, scale = 2.5): Float64Array {
  const random = createRandom(seed);
  return Float64Array.from({ length: 2 * n }, () => scale * random.normal());
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** The app's preset architecture with non-zero biases, as training leaves them. */
function presetSizedFmModel(seed: number): TrainedModel {
  const arch: MlpArchitecture = { kind: 'fm-mlp', version: 1, width: 128, depth: 3, fourierFeatures: 64, fourierScale: 1, timeFrequencies: 4 };
  const random = createRandom(seed);
  const weights = initWeights(arch, random).map((w): NamedTensor =>
    w.shape.length === 1 ? { ...w, data: Float32Array.from(w.data, () => 0.1 * random.normal()) } : w,
  );
  return { method: 'fm', architecture: { ...arch }, weights, training, noise: ROUND_NOISE };
}

const ffjordModel = (seed: number, endTime: number): TrainedModel => {
  const architecture = architectureFor([2, 64, 64, 64, 2]);
  return { method: 'ffjord', architecture: { ...architecture }, weights: initialWeights(architecture, createRandom(seed), endTime), training, noise: ROUND_NOISE };
};

/** FFJORD's own tfjs network, in our time: v(x, t) = −T·f(x, (1 − t)·T). */
async function ffjordReference(model: TrainedModel, points: Float64Array, t: number): Promise<Float32Array> {
  const { tf } = await loadBackend();
  const params = paramsFromWeights(architectureFor(model.architecture['widths'] as number[]), model.weights, (w) => tf.tensor(w.data, [...w.shape]));
  try {
    const v = tf.tidy(() => {
      const endTime = tf.square(params.sqrtEndTime) as Scalar;
      const s = tf.mul(tf.sub(1, t), endTime) as Scalar;
      const f = ffjordForward(tf, params, tf.tensor2d(Float32Array.from(points), [points.length / 2, 2]), s);
      return tf.mul(f, tf.neg(endTime)) as Tensor2D;
    });
    const data = v.dataSync() as Float32Array;
    v.dispose();
    return data;
  } finally {
    tf.dispose(flattenParams(params) as Tensor[]);
  }
}

test('ORT and TensorFlow.js agree on flow-matching fields (trained briefly, and preset-sized)', async () => {
  const density = await loadBundledSample('heart.png', 128);
  const trained = await trainFlowMatching(density, { steps: 20, batchSize: 256, width: 32, depth: 2, fourierFeatures: 16, seed: 3 }, noopJobContext);
  for (const model of [trained, presetSizedFmModel(5)]) {
    const tfjsField = await createModelField(model);
    // A chunk smaller than the batch, so chunk boundaries are crossed.
    const ortField = await createOrtField(model, { chunkSize: 700 });
    try {
      assert.equal(ortField.kind, 'fm');
      const points = randomPoints(2000, 11);
      for (const t of [0, 0.37, 0.93, 1]) {
        const expected = new Float64Array(points.length);
        const actual = new Float64Array(points.length);
        tfjsField.velocity(points, t, expected);
        await ortField.velocityAsync(points, t, actual);
        const worst = maxAbsDifference(actual, expected);
        assert.ok(worst < 1e-4, `fm width ${String(model.architecture['width'])}, t = ${t}: max |ORT − tfjs| = ${worst}`);
      }
    } finally {
      tfjsField.dispose();
      ortField.dispose();
    }
  }
});

test('the flow-matching graph gives the JS model’s velocities with t fed once ([1, 1]) or per row ([N, 1])', async () => {
  const { InferenceSession, Tensor } = await import('onnxruntime-node');
  const model = presetSizedFmModel(6);
  const tfjsField = await createModelField(model);
  const lease = leaseOrtTempFolder();
  const session = await lease.creating(() => InferenceSession.create(exportOnnx(model)));
  try {
    const times = [0, 0.21, 0.5, 0.93, 1];
    const n = 400;
    const points = randomPoints(n, 15);
    const x = new Tensor('float32', Float32Array.from(points), [n, 2]);
    // Per row: row i carries times[i % 5], so neighbouring rows differ in t.
    const rowTimes = Float32Array.from({ length: n }, (_, i) => times[i % times.length]!);
    const perRow = (await session.run({ x, t: new Tensor('float32', rowTimes, [n, 1]) }))['v']!.data as Float32Array;
    for (const [j, t] of times.entries()) {
      const expected = new Float64Array(points.length);
      tfjsField.velocity(points, Math.fround(t), expected);
      const once = (await session.run({ x, t: new Tensor('float32', Float32Array.of(t), [1, 1]) }))['v']!.data as Float32Array;
      assert.ok(maxAbsDifference(once, expected) < 1e-4, `t = ${t} once: max |ORT − tfjs| = ${maxAbsDifference(once, expected)}`);
      let worst = 0;
      for (let i = j; i < n; i += times.length) {
        for (const c of [0, 1]) worst = Math.max(worst, Math.abs(perRow[2 * i + c]! - expected[2 * i + c]!));
      }
      assert.ok(worst < 1e-4, `t = ${t} per row: max |ORT − tfjs| = ${worst}`);
    }
  } finally {
    tfjsField.dispose();
    await session.release();
    lease.release();
  }
});

test('ORT agrees with FFJORD’s tfjs network and its tfjs field in our time convention', async () => {
  const model = ffjordModel(7, 0.8);
  const field = await createOrtField(model);
  const tfjsField = await createModelField(model);
  try {
    assert.equal(field.kind, 'ffjord');
    const points = randomPoints(3000, 12);
    for (const t of [0, 0.25, 0.8, 1]) {
      const actual = new Float64Array(points.length);
      await field.velocityAsync(points, t, actual);
      const fromNetwork = maxAbsDifference(actual, await ffjordReference(model, points, t));
      assert.ok(fromNetwork < 1e-4, `ffjord t = ${t}: max |ORT − tfjs network| = ${fromNetwork}`);
      const viaField = new Float64Array(points.length);
      tfjsField.velocity(points, t, viaField);
      const fromField = maxAbsDifference(actual, viaField);
      assert.ok(fromField < 1e-4, `ffjord t = ${t}: max |ORT − createModelField| = ${fromField}`);
    }
  } finally {
    field.dispose();
    tfjsField.dispose();
  }
});

test('the exported graph takes t per row or once for all rows, and follows the ONNX signature', async () => {
  const { InferenceSession, Tensor } = await import('onnxruntime-node');
  const model = ffjordModel(8, 0.5);
  // Leased, so ORT's first-session temp files never land in /tmp even when this test runs alone.
  const lease = leaseOrtTempFolder();
  const session = await lease.creating(() => InferenceSession.create(exportOnnx(model)));
  try {
    assert.deepEqual(session.inputNames, ['x', 't']);
    assert.deepEqual(session.outputNames, ['v']);
    const n = 50;
    const x = new Tensor('float32', Float32Array.from(randomPoints(n, 13)), [n, 2]);
    const perRow = await session.run({ x, t: new Tensor('float32', new Float32Array(n).fill(0.6), [n, 1]) });
    const once = await session.run({ x, t: new Tensor('float32', Float32Array.of(0.6), [1, 1]) });
    assert.deepEqual(perRow['v']!.dims, [n, 2]);
    assert.deepEqual([...(once['v']!.data as Float32Array)], [...(perRow['v']!.data as Float32Array)]);
    // Rows may also carry different times: row i at t_i matches a batch at t_i.
    const times = Float32Array.from({ length: n }, (_, i) => i / (n - 1));
    const mixed = (await session.run({ x, t: new Tensor('float32', times, [n, 1]) }))['v']!.data as Float32Array;
    for (const i of [0, 17, n - 1]) {
      const single = await session.run({
        x: new Tensor('float32', (x.data as Float32Array).slice(2 * i, 2 * i + 2), [1, 2]),
        t: new Tensor('float32', Float32Array.of(times[i]!), [1, 1]),
      });
      assert.deepEqual([...(single['v']!.data as Float32Array)], [mixed[2 * i]!, mixed[2 * i + 1]!]);
    }
  } finally {
    await session.release();
    lease.release();
  }
});

test('ORT writes its temp files into a folder of ours and the folder goes with the last field', async () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'flowgif-ort-test-'));
  const before = process.env['TMPDIR'];
  try {
    const first = await createOrtField(presetSizedFmModel(1), { tempDir: parent });
    const second = await createOrtField(ffjordModel(2, 0.5), { tempDir: parent });
    assert.equal(process.env['TMPDIR'], before, 'TMPDIR is restored once sessions exist');
    const folder = currentOrtTempFolder();
    assert.ok(folder !== undefined && path.dirname(folder) === parent, `temp folder ${folder} is inside ${parent}`);
    first.dispose();
    first.dispose();
    assert.ok(fs.existsSync(folder), 'still in use by the second field');
    second.dispose();
    assert.equal(fs.existsSync(folder), false, 'removed with the last field');
    assert.deepEqual(fs.readdirSync(parent), []);
    await assert.rejects(second.velocityAsync(new Float64Array(2), 0.5, new Float64Array(2)), /after dispose/);
  } finally {
    fs.rmSync(parent, { recursive: true, force: true });
  }
});

test('a fresh process leaves nothing in its TMPDIR: ORT’s .ses and mat-debug files go and are removed', () => {
  // ORT writes them once per process, at its first session, so only a new process shows it.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flowgif-ort-process-'));
  try {
    const script = `
      const { createOrtField } = await import(${JSON.stringify(new URL('./ort-field.js', import.meta.url).href)});
      const { currentOrtTempFolder } = await import(${JSON.stringify(new URL('./ort-temp-folder.js', import.meta.url).href)});
      const { readdirSync } = await import('node:fs');
      const bytes = new Uint8Array(Buffer.from(process.argv[1], 'base64'));
      const field = await createOrtField(bytes);
      const inside = readdirSync(currentOrtTempFolder()).sort();
      const v = new Float64Array(2);
      await field.velocityAsync(new Float64Array([0.5, -0.5]), 0.5, v);
      field.dispose();
      process.stdout.write(JSON.stringify({ inside, finite: v.every(Number.isFinite) }));
    `;
    const bytes = Buffer.from(exportOnnx(ffjordModel(9, 0.5))).toString('base64');
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, bytes], { env: { ...process.env, TMPDIR: tmp }, encoding: 'utf8' });
    const report = JSON.parse(out) as { inside: string[]; finite: boolean };
    assert.equal(report.finite, true);
    // Where ORT's files went (when it writes them: the Linux build does).
    if (report.inside.length > 0) assert.ok(report.inside.includes('.ses'), `unexpected files ${report.inside.join(', ')}`);
    assert.deepEqual(fs.readdirSync(tmp), [], 'nothing left in the process TMPDIR');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('unknown methods and damaged weights are refused before ORT sees them', async () => {
  const foreign = { ...presetSizedFmModel(1), method: 'rectified' } as unknown as TrainedModel;
  assert.throws(() => exportOnnx(foreign), (e: unknown) => isFlowGifError(e) && e.code === 'MODEL_FOREIGN');
  const good = ffjordModel(3, 0.5);
  const damaged: TrainedModel = { ...good, weights: good.weights.filter((w) => w.name !== 'layer1.gateBias') };
  await assert.rejects(createOrtField(damaged), (e: unknown) => isFlowGifError(e) && e.code === 'MODEL_CORRUPT');
  await assert.rejects(createOrtField(Uint8Array.of(1, 2, 3)), (e: unknown) => isFlowGifError(e) && e.code === 'MODEL_CORRUPT');
});

test('createInferenceField prefers ORT and can be asked for tfjs', async () => {
  const model = presetSizedFmModel(4);
  const ort = await createInferenceField(model);
  const tfjs = await createInferenceField(model, { prefer: 'tfjs' });
  try {
    assert.equal(ort.backend, 'onnxruntime');
    assert.equal(tfjs.backend, 'tfjs');
    const points = randomPoints(100, 14);
    const a = new Float64Array(points.length);
    const b = new Float64Array(points.length);
    await ort.field.velocityAsync(points, 0.5, a);
    await tfjs.field.velocityAsync(points, 0.5, b);
    assert.ok(maxAbsDifference(a, b) < 1e-4);
  } finally {
    ort.field.dispose();
    tfjs.field.dispose();
  }
});
