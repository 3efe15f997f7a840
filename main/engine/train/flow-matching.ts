import type { Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import { FlowGifError } from '../../../shared/errors.js';
import type { JobContext } from '../../../shared/job.js';
import { createRandom, type Random } from '../../../shared/random.js';
import { createExactFlow } from '../flow/exact-flow.js';
import { ROUND_NOISE, sameNoise, type NoiseSource } from '../flow/noise-source.js';
import type { VelocityField } from '../flow/velocity-field.js';
import { sampleDensity } from '../image/alias-sampler.js';
import type { ImageDensity } from '../image/density.js';
import { loadBackend, type Tf } from './backend.js';
import { forward, initWeights, weightTensors, timeFeatureSize, writeTimeFeatures, type MlpArchitecture } from './mlp-field.js';
import { fastPreset, type FlowMatchingPreset, type TimeSampling } from './presets.js';
import { createTfjsSteps } from './tfjs-steps.js';
import { type EarlyFinish, type NamedTensor, type SnapshotOptions, type TrainedModel } from './trained-model.js';
import { runTrainingLoop, type StepRunner } from './training-loop.js';

export interface FlowMatchingOptions extends SnapshotOptions, EarlyFinish {
  /** Wall-clock budget; training stops at seconds or steps, whichever comes first. */
  readonly seconds?: number;
  readonly steps?: number;
  readonly seed?: number;
  readonly batchSize?: number;
  readonly learningRate?: number;
  readonly width?: number;
  readonly depth?: number;
  readonly fourierFeatures?: number;
  readonly fourierScale?: number;
  readonly timeFrequencies?: number;
  /** Regress on the exact flow's velocity at x_t instead of x1 − x0 (lower variance). */
  readonly distill?: boolean;
  readonly timeSampling?: TimeSampling;
  /** Defaults to `fast`. */
  readonly preset?: FlowMatchingPreset;
  /** The exact flow of the same density and source, when the caller already has one; else built here. */
  readonly exactField?: VelocityField;
  /** The source x0 is drawn from; default the round N(0, I). */
  readonly noise?: NoiseSource;
  /** Takes the steps instead of TensorFlow.js: the pipeline gives onnxruntime's where it loads. */
  readonly stepBackend?: FmStepBackend | undefined;
}

/** One batch: the points x_t, their time features and the velocity v(x_t, t) is regressed on. */
export interface FmBatch {
  readonly xt: Float32Array;
  readonly timeFeatures: Float32Array;
  readonly target: Float32Array;
}

/**
 * A backend that runs flow matching's whole step (forward, backward, Adam) itself. It starts
 * from `trainable` (weightLayout() order without the fixed Fourier matrix, which comes apart)
 * and draws each step's batch from `nextBatch`, whose buffers are reused from step to step.
 */
export interface FmStepBackend {
  /** Recorded in the model's training record and shown by the CLI and the app. */
  readonly name: string;
  create(arch: MlpArchitecture, trainable: readonly NamedTensor[], fourier: Float32Array, nextBatch: () => FmBatch): Promise<StepRunner>;
}

/** Fraction of the budget spent warming the learning rate up, and where the decay ends. */
const WARMUP_FRACTION = 0.03;
const WARMUP_MAX_STEPS = 200;
const FINAL_LR_RATIO = 0.02;
/** Distillation evaluates the exact field once per distinct t: a batch shares this many. */
const DISTILL_TIME_GROUPS = 32;
/** Weight of each step's loss in the reported running mean. */
const LOSS_SMOOTHING = 0.05;

/**
 * Conditional flow matching (Lipman et al. 2022, rectified-flow path): x_t = t·x1 + (1−t)·x0,
 * loss mean‖v(x_t, t) − (x1 − x0)‖². One forward and one backward pass per step.
 *
 * Seeded: the weights, the Fourier matrix and every batch come from the seed, so the same
 * seed, step budget and backend give identical weights. A seconds budget shapes the
 * learning-rate schedule by elapsed time and is therefore not reproducible.
 */
export async function trainFlowMatching(
  density: ImageDensity,
  options: FlowMatchingOptions,
  ctx: JobContext,
): Promise<TrainedModel> {
  const preset = options.preset ?? fastPreset;
  const seed = options.seed ?? 1;
  const batchSize = positive('batchSize', options.batchSize ?? preset.batchSize);
  const peakLr = positive('learningRate', options.learningRate ?? preset.learningRate);
  const arch: MlpArchitecture = {
    kind: 'fm-mlp',
    version: 1,
    width: positive('width', options.width ?? preset.width),
    depth: positive('depth', options.depth ?? preset.depth),
    fourierFeatures: positive('fourierFeatures', options.fourierFeatures ?? preset.fourierFeatures),
    fourierScale: positive('fourierScale', options.fourierScale ?? preset.fourierScale),
    timeFrequencies: options.timeFrequencies ?? preset.timeFrequencies,
  };
  const distill = options.distill ?? preset.distill;
  const timeSampling = options.timeSampling ?? preset.timeSampling;
  const maxSteps = options.steps === undefined ? Infinity : positive('steps', options.steps);
  const maxSeconds =
    options.seconds !== undefined ? positive('seconds', options.seconds) : options.steps === undefined ? preset.seconds : Infinity;

  ctx.signal.throwIfAborted();
  const noise = options.noise ?? ROUND_NOISE;
  // A distillation target of another source would teach another flow than the one sampled.
  if (options.exactField !== undefined && !sameNoise(options.exactField.source, noise)) {
    throw new RangeError('flow matching: the exact field given for distillation starts from another source noise');
  }
  const given = options.exactField;
  const ownExactField = distill && given === undefined ? createExactFlow(density, { source: noise }, ctx) : undefined;
  const exactField = distill ? (given ?? ownExactField) : undefined;
  const initRandom = createRandom(seed);
  const dataRandom = createRandom(seed ^ 0x2545f491);
  const initial = initWeights(arch, initRandom);
  const batch = createBatchBuilder(density, arch, batchSize, timeSampling, exactField, noise);
  const nextBatch = (): FmBatch => batch.next(dataRandom);
  const warmupSteps = Math.max(1, Math.min(WARMUP_MAX_STEPS, Number.isFinite(maxSteps) ? Math.ceil(WARMUP_FRACTION * maxSteps) : WARMUP_MAX_STEPS));

  let started: { runner: StepRunner; backendName: string };
  try {
    started = await startSteps(options.stepBackend, arch, initial, batchSize, nextBatch);
  } catch (error) {
    ownExactField?.dispose();
    throw error;
  }
  const { runner, backendName } = started;

  try {
    return await runTrainingLoop({
      name: 'Flow matching',
      ctx,
      snapshots: options,
      finish: options,
      budget: { maxSteps, maxSeconds, batchSize },
      runner,
      lossSmoothing: LOSS_SMOOTHING,
      etaAfter: 0.01,
      diverged: { what: 'Flow-matching loss', hint: 'Lower the learning rate or the Fourier scale.' },
      learningRate: ({ step, fractionDone }) =>
        peakLr * Math.min(1, (step + 1) / warmupSteps) * (FINAL_LR_RATIO + (1 - FINAL_LR_RATIO) * 0.5 * (1 + Math.cos(Math.PI * fractionDone()))),
      report: (_clock, learningRate) => ({ metrics: { learningRate } }),
      model: (trained, record) => {
        return {
          method: 'fm',
          architecture: { ...arch, timeSampling, distill, batchSize, learningRate: peakLr },
          weights: [
            initial[0]!,
            ...initial.slice(1).map((w, i) => ({ name: w.name, shape: w.shape, data: trained[i]! })),
          ],
          training: { preset: preset.name, backend: backendName, seed, ...record },
          noise,
        };
      },
    });
  } finally {
    ownExactField?.dispose();
  }
}

/** The given step backend, or TensorFlow.js where it cannot start here, which costs speed only. */
async function startSteps(
  stepBackend: FmStepBackend | undefined,
  arch: MlpArchitecture,
  initial: readonly NamedTensor[],
  batchSize: number,
  nextBatch: () => FmBatch,
): Promise<{ runner: StepRunner; backendName: string }> {
  if (stepBackend !== undefined) {
    try {
      return { runner: await stepBackend.create(arch, initial.slice(1), initial[0]!.data, nextBatch), backendName: stepBackend.name };
    } catch (error) {
      if (!(error instanceof FlowGifError && error.code === 'BACKEND_UNAVAILABLE')) throw error;
    }
  }
  const backend = await loadBackend();
  return { runner: tfjsFlowMatchingSteps(backend.tf, arch, initial, batchSize, nextBatch), backendName: backend.name };
}

/** The step on TensorFlow.js: the loss through mlp-field.ts's forward(), its gradients by the tape. */
function tfjsFlowMatchingSteps(tf: Tf, arch: MlpArchitecture, initial: readonly NamedTensor[], batchSize: number, nextBatch: () => FmBatch): StepRunner {
  const fourier = tf.tensor2d(initial[0]!.data, [2, arch.fourierFeatures]);
  let steps: ReturnType<typeof createTfjsSteps>;
  try {
    steps = createTfjsSteps(tf, weightTensors(tf, initial.slice(1)), (params) => {
      const { xt, timeFeatures, target } = nextBatch();
      return tf.tidy(() => {
        const x = tf.tensor2d(xt, [batchSize, 2]);
        const time = tf.tensor2d(timeFeatures, [batchSize, timeFeatureSize(arch)]);
        const y = tf.tensor2d(target, [batchSize, 2]);
        const loss = (...trainable: Tensor[]): Tensor =>
          tf.mean(tf.sum(tf.squaredDifference(forward(tf, arch, [fourier, ...(trainable as (Tensor1D | Tensor2D)[])], x, time), y), 1));
        return tf.valueAndGrads(loss)([...params]);
      });
    });
  } catch (error) {
    fourier.dispose();
    throw error;
  }
  return {
    step: (learningRate) => steps.step(learningRate),
    weights: () => steps.weights(),
    dispose() {
      steps.dispose();
      fourier.dispose();
    },
  };
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new FlowGifError('INVALID_ARGUMENT', `Flow matching: ${name} must be a positive number, got ${value}.`);
  }
  return value;
}

/** Draws batches in JS into reused buffers: cheaper than tfjs's random ops and seedable. */
function createBatchBuilder(
  density: ImageDensity,
  arch: MlpArchitecture,
  batchSize: number,
  timeSampling: TimeSampling,
  exactField: VelocityField | undefined,
  noise: NoiseSource,
): { next(random: Random): FmBatch } {
  const xt = new Float32Array(2 * batchSize);
  const target = new Float32Array(2 * batchSize);
  const timeFeatures = new Float32Array(timeFeatureSize(arch) * batchSize);
  const times = new Float64Array(batchSize);
  const groups = exactField === undefined ? 0 : Math.min(DISTILL_TIME_GROUPS, batchSize);
  return {
    next(random) {
      const x1 = sampleDensity(density, batchSize, random);
      if (groups > 0) {
        // Stratified: one t per group, so the exact field is evaluated `groups` times.
        for (let g = 0; g < groups; g++) {
          const t = sampleTime((g + random.next()) / groups, timeSampling);
          const from = Math.floor((g * batchSize) / groups);
          const to = Math.floor(((g + 1) * batchSize) / groups);
          for (let i = from; i < to; i++) times[i] = t;
        }
      } else {
        for (let i = 0; i < batchSize; i++) times[i] = sampleTime(random.next(), timeSampling);
      }
      for (let i = 0; i < batchSize; i++) {
        const t = times[i]!;
        const ax = noise.stdX * random.normal();
        const ay = noise.stdY * random.normal();
        const bx = x1[2 * i]!;
        const by = x1[2 * i + 1]!;
        xt[2 * i] = t * bx + (1 - t) * ax;
        xt[2 * i + 1] = t * by + (1 - t) * ay;
        target[2 * i] = bx - ax;
        target[2 * i + 1] = by - ay;
        writeTimeFeatures(arch, t, timeFeatures, i);
      }
      if (exactField !== undefined) {
        for (let g = 0; g < groups; g++) {
          const from = Math.floor((g * batchSize) / groups);
          const to = Math.floor(((g + 1) * batchSize) / groups);
          const points = Float64Array.from(xt.subarray(2 * from, 2 * to));
          const v = new Float64Array(points.length);
          exactField.velocity(points, times[from]!, v);
          target.set(v, 2 * from);
        }
      }
      return { xt, timeFeatures, target };
    },
  };
}

/** Maps a uniform u to flow time; 'late' spends more steps near t = 1 where detail forms. */
function sampleTime(u: number, timeSampling: TimeSampling): number {
  return timeSampling === 'late' ? 1 - (1 - u) * (1 - u) : u;
}
