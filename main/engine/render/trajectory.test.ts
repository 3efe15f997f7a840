import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isFlowGifError } from '../../../shared/errors.js';
import { noopJobContext, type JobContext, type Progress } from '../../../shared/job.js';
import { createRandom, gaussianPoints } from '../../../shared/random.js';
import { loadBundledSample } from '../flow/bundled-samples.js';
import { createExactFlow, type ExactFlow } from '../flow/exact-flow.js';
import type { VelocityField } from '../flow/velocity-field.js';
import { integrate } from '../ode/integrate.js';
import { float64Ops } from '../ode/vector-ops.js';
import type { MlpArchitecture } from '../train/mlp-field.js';
import { createModelField } from '../inference/model-field.js';
import { untrainedFmModel } from '../train/untrained-model.test-util.js';
import { createOrtField } from '../inference/ort-field.js';
import { computeTrajectory, DEFAULT_LEVELS, levelTimes, positionsAt, trajectoryBytes, type Trajectory } from './trajectory.js';
import { noiseSourceFor, sampleNoise } from '../flow/noise-source.js';
import { syntheticDensity } from '../flow/bundled-samples.js';

/** One pixel of a 512-pixel frame, in model units (the longer side spans 8). */
const PIXEL = 8 / 512;

let exact: Promise<ExactFlow> | undefined;
const exactFlow = (): Promise<ExactFlow> => (exact ??= loadBundledSample('flowgif-mark.png').then((d) => createExactFlow(d)));

const rhsOf = (field: VelocityField) => (t: number, y: Float64Array): Float64Array => {
  const out = new Float64Array(y.length);
  field.velocity(y, t, out);
  return out;
};

/** Distances between matching points, in pixels, sorted. */
function pixelErrors(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const d: number[] = [];
  for (let i = 0; i < a.length; i += 2) d.push(Math.hypot(a[i]! - b[i]!, a[i + 1]! - b[i + 1]!) / PIXEL);
  return d.sort((x, y) => x - y);
}

function recording(): { ctx: JobContext; events: Progress[] } {
  const events: Progress[] = [];
  return { ctx: { signal: new AbortController().signal, progress: (p) => events.push(p) }, events };
}

/** The stored positions of level k: a view into the flat K × particles × 2 buffer. */
function levelOf(trajectory: Trajectory, k: number): Float32Array {
  const size = 2 * trajectory.particles;
  return trajectory.positions.subarray(k * size, (k + 1) * size);
}

test('a trajectory starts at the seeded noise and ends where a direct integrate() of the same particles does', async () => {
  const field = await exactFlow();
  const n = 1500;
  const noise = gaussianPoints(n, createRandom(21));
  const one = await computeTrajectory(field, { particles: n, seed: 21, times: 2, method: 'rk4', steps: 24 }, noopJobContext);
  assert.deepEqual([...one.start], [...Float32Array.from(noise)]);
  assert.deepEqual([...positionsAt(one, 0)], [...Float32Array.from(noise)]);
  const direct = integrate(rhsOf(field), noise, [0, 1], { method: 'rk4', steps: 24 }, float64Ops)[1]!;
  const worst = Math.max(...[...one.end].map((v, i) => Math.abs(v - direct[i]!)));
  assert.ok(worst < 1e-5, `end vs direct rk4: ${worst}`);
  assert.equal(one.nfe, 24 * 4 + 1, 'stored velocities cost no extra evaluations');
});

test("a trajectory starts from its field's own source: a 5:1 picture's fitted noise is 5:1", () => {
  const density = syntheticDensity(100, 20, (i, j) => (i > 10 && i < 90 && j > 5 && j < 15 ? 1 : 0));
  const source = noiseSourceFor('fitted', density.mapping);
  const field = createExactFlow(density, { source });
  return computeTrajectory(field, { particles: 4000, seed: 5, times: 3, steps: 4 }, noopJobContext).then((trajectory) => {
    assert.deepEqual([...trajectory.start], [...Float32Array.from(sampleNoise(source, 4000, createRandom(5)))]);
    const std = (axis: number): number => {
      let sum = 0;
      for (let i = axis; i < trajectory.start.length; i += 2) sum += trajectory.start[i]! ** 2;
      return Math.sqrt(sum / 4000);
    };
    assert.ok(Math.abs(std(0) - 1) < 0.03 && Math.abs(std(1) - 0.2) < 0.006, `start stds ${std(0)}, ${std(1)}`);
  });
});

test('on the default grid the end is sub-pixel for 99 % of particles and Hermite frames are sub-pixel for all', async () => {
  const field = await exactFlow();
  const n = 2000;
  const { ctx, events } = recording();
  const trajectory = await computeTrajectory(field, { particles: n, seed: 5 }, ctx);
  assert.equal(trajectory.times.length, DEFAULT_LEVELS);
  assert.equal(trajectory.nfe, (DEFAULT_LEVELS - 1) * 2 * 4 + 1, 'rk4, two steps per level, velocities shared with the solver');

  const fine = integrate(rhsOf(field), Float64Array.from(trajectory.start), [0, 1], { method: 'dopri5', atol: 1e-7, rtol: 1e-7 }, float64Ops)[1]!;
  const endErrors = pixelErrors(trajectory.end, fine);
  const p99 = endErrors[Math.floor(0.99 * endErrors.length)]!;
  assert.ok(p99 < 0.5, `99th percentile of the end error: ${p99.toFixed(3)} px`);

  // Interpolation alone: a fine solve from the stored level before each mid-level time.
  let worst = 0;
  for (let k = 0; k + 1 < trajectory.times.length; k++) {
    const t0 = trajectory.times[k]!;
    const mid = (t0 + trajectory.times[k + 1]!) / 2;
    const direct = integrate(rhsOf(field), Float64Array.from(levelOf(trajectory, k)), [t0, mid], { method: 'dopri5', atol: 1e-8, rtol: 1e-8 }, float64Ops)[1]!;
    worst = Math.max(worst, pixelErrors(positionsAt(trajectory, mid), direct).at(-1)!);
  }
  assert.ok(worst < 1, `worst Hermite error at mid-level times: ${worst.toFixed(3)} px`);

  assert.ok(events.length > 2 && events.every((e) => e.stage === 'integrate'));
  for (let i = 1; i < events.length; i++) assert.ok(events[i]!.done >= events[i - 1]!.done, 'progress is monotonic');
  assert.equal(events.at(-1)!.done, events.at(-1)!.total);
});

test('dopri5 takes one adaptive solve over [0, 1] and reads the levels from dense output, velocities f at the stored positions', async () => {
  const field = await exactFlow();
  const n = 2000;
  const trajectory = await computeTrajectory(field, { particles: n, seed: 5, method: 'dopri5' }, noopJobContext);
  // Measured 95 (80 for the solve, 15 for the interior levels); a restart per level interval took 203.
  assert.ok(trajectory.nfe <= 105, `dopri5 NFE ${trajectory.nfe}`);
  const fine = integrate(rhsOf(field), Float64Array.from(trajectory.start), [...trajectory.times], { method: 'dopri5', atol: 1e-9, rtol: 1e-9 }, float64Ops);
  const errors = trajectory.times.reduce<number[]>((all, _, k) => all.concat(pixelErrors(levelOf(trajectory, k), fine[k]!)), []).sort((a, b) => a - b);
  const p99 = errors[Math.floor(0.99 * errors.length)]!;
  assert.ok(p99 < 0.15, `99th percentile over all levels: ${p99.toFixed(3)} px (measured 0.126)`);
  const size = 2 * n;
  let worst = 0;
  for (let k = 0; k < trajectory.times.length; k++) {
    const f = rhsOf(field)(trajectory.times[k]!, Float64Array.from(levelOf(trajectory, k)));
    const stored = trajectory.velocities.subarray(k * size, (k + 1) * size);
    for (let i = 0; i < size; i++) worst = Math.max(worst, Math.abs(stored[i]! - f[i]!) / Math.max(1, Math.abs(f[i]!)));
  }
  assert.ok(worst < 1e-6, `stored velocity vs f at the stored position: ${worst} (float32 rounding)`);
});

test('positionsAt clamps, reuses out, and reproduces the stored levels exactly', async () => {
  const trajectory = await computeTrajectory(await exactFlow(), { particles: 300, seed: 2, times: 5 }, noopJobContext);
  const out = new Float32Array(600);
  assert.equal(positionsAt(trajectory, 0.5, out), out);
  assert.deepEqual([...positionsAt(trajectory, trajectory.times[2]!)], [...levelOf(trajectory, 2)]);
  assert.deepEqual([...positionsAt(trajectory, 1.5)], [...trajectory.end]);
  assert.deepEqual([...positionsAt(trajectory, -1)], [...trajectory.start]);
  assert.throws(() => positionsAt(trajectory, 0.5, new Float32Array(10)), RangeError);
});

test('memory is 16 bytes per particle per level: 200 000 particles on the default grid hold 54.4 MB', async () => {
  assert.equal(trajectoryBytes(200_000), 200_000 * DEFAULT_LEVELS * 16);
  assert.equal(trajectoryBytes(200_000), 54_400_000);
  const trajectory = await computeTrajectory(await exactFlow(), { particles: 100, seed: 1, times: levelTimes(9) }, noopJobContext);
  const held = trajectory.positions.byteLength + trajectory.velocities.byteLength;
  assert.equal(trajectory.bytes, held);
});

test('cancelling mid-trajectory rejects with AbortError', async () => {
  const field = await exactFlow();
  const controller = new AbortController();
  const ctx: JobContext = {
    signal: controller.signal,
    progress: (p) => {
      if (p.done === 5) controller.abort();
    },
  };
  await assert.rejects(computeTrajectory(field, { particles: 500, seed: 3 }, ctx), (e: unknown) => (e as Error).name === 'AbortError');
});

test('bad options are input errors', async () => {
  const field = await exactFlow();
  const bad = [{ particles: 0 }, { particles: 10, times: 1 }, { particles: 10, times: Float64Array.of(0, 0.5, 0.4, 1) }, { particles: 10, times: Float64Array.of(0.1, 1) }, { particles: 10, steps: 0 }];
  for (const options of bad) {
    await assert.rejects(computeTrajectory(field, { seed: 1, ...options }, noopJobContext), (e: unknown) => isFlowGifError(e) && e.code === 'INVALID_ARGUMENT');
  }
});

test('a trained model gives the same trajectory through ORT as through TensorFlow.js', async () => {
  const arch: MlpArchitecture = { kind: 'fm-mlp', version: 1, width: 64, depth: 2, fourierFeatures: 32, fourierScale: 0.5, timeFrequencies: 4 };
  const model = untrainedFmModel(arch, 8);
  const ort = await createOrtField(model);
  const tfjs = await createModelField(model);
  try {
    const options = { particles: 3000, seed: 4, times: 9, steps: 16 };
    const viaOrt = await computeTrajectory(ort, options, noopJobContext);
    const viaTfjs = await computeTrajectory(tfjs, options, noopJobContext);
    const worst = pixelErrors(positionsAt(viaOrt, 0.7), positionsAt(viaTfjs, 0.7)).at(-1)!;
    assert.ok(worst < 0.01, `ORT vs tfjs at t = 0.7: ${worst} px`);
    assert.ok(pixelErrors(viaOrt.end, viaTfjs.end).at(-1)! < 0.01);
  } finally {
    ort.dispose();
    tfjs.dispose();
  }
});
