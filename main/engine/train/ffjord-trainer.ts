import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import { FlowGifError } from '../../../shared/errors.js';
import { noopJobContext, type CancelSignal, type JobContext } from '../../../shared/job.js';
import { createRandom } from '../../../shared/random.js';
import { ROUND_NOISE, type NoiseSource } from '../flow/noise-source.js';
import { sampleDensity } from '../image/alias-sampler.js';
import type { ImageDensity } from '../image/density.js';
import { loadBackend, type Tf } from './backend.js';
import { FFJORD_TOLERANCE, ffjordLogDensity, logLikelihoodWith, type FfjordPenalties } from './ffjord-likelihood.js';
import { architectureFor, defaultFfjordWidths, type FfjordArchitecture, flattenParams, initialWeights, paramsFromList, paramsFromWeights, weightNames } from './ffjord-network.js';
import { type EarlyFinish, type NamedTensor, type SnapshotOptions, type TrainedModel } from './trained-model.js';
import { createTfjsSteps } from './tfjs-steps.js';
import { runTrainingLoop, type StepRunner } from './training-loop.js';

export interface FfjordPreset {
  /** Recorded in the model's training record. */
  readonly name: string;
  /** Wall-clock budget when the caller gives neither seconds nor steps. */
  readonly seconds: number;
  /** A cap on top of the seconds when the caller gives neither. */
  readonly steps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly weightDecay: number;
  /** dopri5's tolerances while training; held-out NLL is always solved at FFJORD_TOLERANCE. */
  readonly atol: number;
  readonly rtol: number;
  readonly widths: readonly number[];
  readonly endTime: number;
  readonly evalEvery: number;
  readonly evalSize: number;
  readonly penalties?: FfjordPenalties | undefined;
}

/** train_img2d.py's defaults, except the budget, which is a wall-clock one as for flow matching. */
export const ffjordPreset: FfjordPreset = {
  name: 'ffjord-seed',
  /** Wall-clock budget when the caller gives neither seconds nor steps. */
  seconds: 600,
  /** The seed's --niters; a cap on top of the seconds. */
  steps: 10_000,
  batchSize: 1000,
  learningRate: 1e-3,
  weightDecay: 1e-5,
  atol: 1e-5,
  rtol: 1e-5,
  widths: defaultFfjordWidths,
  endTime: 0.5,
  evalEvery: 100,
  evalSize: 2000,
};

/**
 * "FFJORD, fast": still maximum likelihood with the seed's network, tuned for time rather than
 * fidelity. Measured on github.png over 20 s on tfjs-wasm (held-out NLL at 1e-5, the seed's
 * preset 3.536): tolerances 1e-3 alone 3.520; with lr 3e-3 3.456, lr 1e-2 3.424; and a batch
 * of 250, where the fixed cost of a step is most of it, at lr 1e-2: 3.379. On onnxruntime
 * (BENCHMARKS.md) 3.310 in 20 s, seed 1; the CLI's default seed 0 gave 3.341–3.349.
 * Finlay et al.'s penalties (FfjordPenalties) are left out: at weight 0.003 they gained about
 * 0.06 nats at 20 s for seeds 0 and 1 but ended 300 s at 3.298 against 3.249 without (seed 0;
 * seed 1 3.224 against 3.257), and a weight fading to none over 1000 steps let seed 0 stiffen
 * (NFE 416, 3.343 at 300 s).
 */
export const ffjordFastPreset: FfjordPreset = {
  ...ffjordPreset,
  name: 'ffjord-fast',
  batchSize: 250,
  learningRate: 1e-2,
  atol: 1e-3,
  rtol: 1e-3,
};

/** The FFJORD presets by the name a request gives. */
export const ffjordPresets = { seed: ffjordPreset, fast: ffjordFastPreset } as const;
export type FfjordPresetName = keyof typeof ffjordPresets;

export interface FfjordTrainOptions extends SnapshotOptions, EarlyFinish {
  /** Training stops at seconds or steps, whichever comes first. */
  readonly seconds?: number | undefined;
  readonly steps?: number | undefined;
  readonly seed?: number | undefined;
  readonly batchSize?: number;
  readonly learningRate?: number;
  /** PyTorch Adam's weight_decay: an L2 term added to the gradient. */
  readonly weightDecay?: number;
  readonly atol?: number;
  readonly rtol?: number;
  readonly widths?: readonly number[];
  /** Held-out NLL every this many steps (and at the end); 0 turns it off. */
  readonly evalEvery?: number;
  /** Held-out points for that NLL; fixed for the run, drawn from their own stream. */
  readonly evalSize?: number;
  /** The base density N(0, D) the picture is mapped to; default the round N(0, I). */
  readonly noise?: NoiseSource;
  /** Defaults to the seed's, ffjordPreset; options above override its fields. */
  readonly preset?: FfjordPreset | undefined;
  /** Finlay et al.'s penalties; default the preset's (none for the seed's). */
  readonly penalties?: FfjordPenalties | undefined;
  /** Who takes the steps; default (or where it cannot start) TensorFlow.js. */
  readonly stepBackend?: FfjordStepBackend | undefined;
}

export interface FfjordHistoryEntry {
  readonly step: number;
  readonly seconds: number;
  /** This step's batch −mean log p, in nats. */
  readonly loss: number;
  /** Function evaluations of the forward solve. */
  readonly nfe: number;
  /** Held-out −mean log p, in nats, where measured. */
  readonly nll?: number;
}

/** What every step of a run solves with: dopri5's tolerances, the base density, the job's cancel. */
export interface FfjordSolve {
  readonly atol: number;
  readonly rtol: number;
  readonly signal?: CancelSignal | undefined;
  readonly source: NoiseSource;
}

/** What a step backend is given: the batches, the solve, PyTorch-style weight decay. */
export interface FfjordStepSpec {
  /** The next batch of data points, [n, 2] row-major. */
  nextBatch(): Float32Array;
  readonly solve: FfjordSolve;
  readonly weightDecay: number;
  /** Finlay et al.'s penalties' weights, kinetic energy and Jacobian Frobenius norm; undefined for none. */
  readonly penalties?: FfjordPenalties | undefined;
}

/** The trainer's steps, with what FFJORD reports beside the loss. */
export interface FfjordSteps extends StepRunner {
  /** Function evaluations of the last step's forward solve. */
  readonly nfe: number;
  /** The learned end time T as it stands. */
  endTime(): number;
  /** Held-out −mean log p in nats of the current weights, solved at this tolerance. */
  heldOutNll(points: Float64Array, tolerance: number): Promise<number>;
}

/** Who takes FFJORD's steps: onnxruntime (ort-ffjord-steps.ts), else the trainer's own TensorFlow.js. */
export interface FfjordStepBackend {
  readonly name: string;
  /** BACKEND_UNAVAILABLE when it cannot run here: the trainer then uses TensorFlow.js. */
  create(architecture: FfjordArchitecture, initial: readonly NamedTensor[], spec: FfjordStepSpec): Promise<FfjordSteps>;
}

const DATA_STREAM = 0x2545f491;
const HELD_OUT_STREAM = 0x68e31da4;

/**
 * FFJORD by maximum likelihood: each step draws a batch of the picture, integrates (z, Δlogp)
 * with dopri5 to the noise, and descends −mean log p(x), backpropagating through the
 * recorded solver steps: on the step backend given (onnxruntime, ort-ffjord-steps.ts), else
 * on TensorFlow.js, which agree to float32 rounding. Same seed, step budget and backend give
 * the same weights.
 */
export async function trainFfjord(density: ImageDensity, options: FfjordTrainOptions = {}, ctx: JobContext = noopJobContext): Promise<TrainedModel> {
  const preset = options.preset ?? ffjordPreset;
  const seed = options.seed ?? 1;
  const batchSize = positiveInteger('batchSize', options.batchSize ?? preset.batchSize);
  const learningRate = positive('learningRate', options.learningRate ?? preset.learningRate);
  const weightDecay = options.weightDecay ?? preset.weightDecay;
  const atol = positive('atol', options.atol ?? preset.atol);
  const rtol = positive('rtol', options.rtol ?? preset.rtol);
  const evalEvery = options.evalEvery ?? preset.evalEvery;
  const evalSize = positiveInteger('evalSize', options.evalSize ?? preset.evalSize);
  const architecture = architectureFor(options.widths ?? preset.widths);
  const budgetGiven = options.seconds !== undefined || options.steps !== undefined;
  const maxSteps = options.steps !== undefined ? positiveInteger('steps', options.steps) : budgetGiven ? Infinity : preset.steps;
  const maxSeconds = options.seconds !== undefined ? positive('seconds', options.seconds) : budgetGiven ? Infinity : preset.seconds;

  ctx.signal.throwIfAborted();
  const initial = initialWeights(architecture, createRandom(seed), preset.endTime);
  const dataRandom = createRandom(seed ^ DATA_STREAM);
  const heldOut = evalEvery > 0 ? sampleDensity(density, evalSize, createRandom(seed ^ HELD_OUT_STREAM)) : undefined;
  const noise = options.noise ?? ROUND_NOISE;
  const spec: FfjordStepSpec = {
    nextBatch: () => Float32Array.from(sampleDensity(density, batchSize, dataRandom)),
    solve: { atol, rtol, signal: ctx.signal, source: noise },
    weightDecay,
    penalties: options.penalties ?? preset.penalties,
  };
  const { runner, backendName } = await startSteps(options.stepBackend, architecture, initial, spec);

  return runTrainingLoop<FfjordHistoryEntry>({
    name: 'FFJORD',
    ctx,
    snapshots: options,
    finish: options,
    budget: { maxSteps, maxSeconds, batchSize },
    runner,
    lossSmoothing: undefined,
    etaAfter: 0.001,
    diverged: { what: 'FFJORD loss', hint: 'Train again with another seed, or with the seed’s own FFJORD settings (ffjord-seed).' },
    learningRate: () => learningRate,
    report: async ({ step, fractionDone }) => {
      // At the seed's tolerance whatever the training's, so every preset's NLL compares.
      const nll = heldOut !== undefined && (step % evalEvery === 0 || fractionDone() >= 1) ? await runner.heldOutNll(heldOut, FFJORD_TOLERANCE) : undefined;
      const extra = { nfe: runner.nfe, ...(nll === undefined ? {} : { nll }) };
      return { history: extra, metrics: { ...extra, endTime: runner.endTime() }, keep: nll !== undefined };
    },
    model: (trained, record) => {
      const names = weightNames(architecture);
      return {
        method: 'ffjord',
        architecture: { ...architecture, batchSize, learningRate, weightDecay, atol, rtol, ...(spec.penalties === undefined ? {} : { penalties: spec.penalties }) },
        weights: initial.map((w, i) => ({ name: names[i]!, shape: w.shape, data: trained[i]! })),
        training: { preset: preset.name, backend: backendName, seed, ...record },
        noise,
      };
    },
  });
}

/** The given step backend, or TensorFlow.js where it cannot start here, which costs speed only. */
async function startSteps(
  stepBackend: FfjordStepBackend | undefined,
  architecture: FfjordArchitecture,
  initial: readonly NamedTensor[],
  spec: FfjordStepSpec,
): Promise<{ runner: FfjordSteps; backendName: string }> {
  if (stepBackend !== undefined) {
    try {
      return { runner: await stepBackend.create(architecture, initial, spec), backendName: stepBackend.name };
    } catch (error) {
      if (!(error instanceof FlowGifError && error.code === 'BACKEND_UNAVAILABLE')) throw error;
    }
  }
  const backend = await loadBackend();
  return { runner: tfjsFfjordSteps(backend.tf, architecture, initial, spec), backendName: backend.name };
}

/** The steps on TensorFlow.js: the loss through ffjordLogDensity, its gradients by the tape through every solver step. */
function tfjsFfjordSteps(tf: Tf, architecture: FfjordArchitecture, initial: readonly NamedTensor[], spec: FfjordStepSpec): FfjordSteps {
  let nfe = 0;
  const steps = createTfjsSteps(tf, flattenParams(paramsFromWeights(architecture, initial, (w) => tf.tensor(w.data, [...w.shape]))), (params) => {
    const x = spec.nextBatch();
    return tf.tidy(() => {
      const batch = tf.tensor2d(x, [x.length / 2, 2]);
      let nll = 0;
      const objective = (...trainable: Tensor[]): Tensor => {
        const result = ffjordLogDensity(tf, paramsFromList(architecture, trainable), batch as Tensor2D, { ...spec.solve, penalties: spec.penalties });
        nfe = result.nfe;
        const loss = tf.neg(tf.mean(result.logp));
        if (result.penalty === undefined) return loss;
        // The loss reported is the likelihood's alone, as on onnxruntime; the penalties only steer.
        nll = (loss.dataSync() as Float32Array)[0]!;
        return tf.add(loss, result.penalty);
      };
      const { value, grads } = tf.valueAndGrads(objective)([...params]);
      // PyTorch's Adam weight_decay is L2 on every parameter, the end time included.
      return { value: spec.penalties === undefined ? value : tf.scalar(nll), grads: spec.weightDecay > 0 ? grads.map((g, i) => tf.add(g, tf.mul(params[i]!, spec.weightDecay))) : grads };
    });
  });
  return {
    step: (learningRate) => steps.step(learningRate),
    weights: () => steps.weights(),
    dispose: () => steps.dispose(),
    get nfe() {
      return nfe;
    },
    endTime() {
      const v = (steps.params[steps.params.length - 1]!.dataSync() as Float32Array)[0]!;
      return v * v;
    },
    heldOutNll(points, tolerance) {
      const logp = logLikelihoodWith(tf, paramsFromList(architecture, [...steps.params]), points, { ...spec.solve, atol: tolerance, rtol: tolerance });
      return Promise.resolve(-logp.reduce((a, b) => a + b, 0) / logp.length);
    },
  };
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) throw new FlowGifError('INVALID_ARGUMENT', `FFJORD: ${name} must be a positive number, got ${value}.`);
  return value;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(positive(name, value))) throw new FlowGifError('INVALID_ARGUMENT', `FFJORD: ${name} must be a whole number, got ${value}.`);
  return value;
}
