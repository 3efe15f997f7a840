import { createStepPacer } from './step-pacer.js';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import { FlowGifError } from '../../../shared/errors.js';
import { noopJobContext, type JobContext } from '../../../shared/job.js';
import { createRandom } from '../../../shared/random.js';
import { ROUND_NOISE, type NoiseSource } from '../flow/noise-source.js';
import { sampleDensity } from '../image/alias-sampler.js';
import type { ImageDensity } from '../image/density.js';
import { createAdam } from './adam.js';
import { loadBackend } from './backend.js';
import { ffjordLogDensity, logLikelihoodWith } from './ffjord-likelihood.js';
import { architectureFor, defaultFfjordWidths, flattenParams, initialWeights, paramsFromList, paramsFromWeights, weightNames } from './ffjord-network.js';
import { type SnapshotOptions, type TrainedModel } from './trained-model.js';

/** train_img2d.py's defaults, except the budget, which is a wall-clock one as for flow matching. */
export const ffjordPreset = {
  name: 'ffjord',
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
} as const;

export interface FfjordTrainOptions extends SnapshotOptions {
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

const HISTORY_EVERY = 10;
const DATA_STREAM = 0x2545f491;
const HELD_OUT_STREAM = 0x68e31da4;

/**
 * FFJORD by maximum likelihood: each step draws a batch of the picture, integrates (z, Δlogp)
 * with dopri5 to the noise, and descends −mean log p(x), backpropagating through the
 * recorded solver steps. Same seed, step budget and backend give the same weights.
 */
export async function trainFfjord(density: ImageDensity, options: FfjordTrainOptions = {}, ctx: JobContext = noopJobContext): Promise<TrainedModel> {
  const preset = ffjordPreset;
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
  const backend = await loadBackend();
  const { tf } = backend;
  const initial = initialWeights(architecture, createRandom(seed), preset.endTime);
  const dataRandom = createRandom(seed ^ DATA_STREAM);
  const heldOut = evalEvery > 0 ? sampleDensity(density, evalSize, createRandom(seed ^ HELD_OUT_STREAM)) : undefined;
  let params: Tensor[] = flattenParams(paramsFromWeights(architecture, initial, (w) => tf.tensor(w.data, [...w.shape])));
  const adam = createAdam(tf, params);
  const noise = options.noise ?? ROUND_NOISE;
  const solve = { atol, rtol, signal: ctx.signal, source: noise };

  const history: FfjordHistoryEntry[] = [];
  const started = performance.now();
  let step = 0;
  let loss = NaN;
  let nfe = 0;
  const elapsed = (): number => (performance.now() - started) / 1000;
  const fractionDone = (): number => Math.min(1, Math.max(step / maxSteps, elapsed() / maxSeconds));
  const heldOutNll = (): number | undefined => {
    if (heldOut === undefined) return undefined;
    const logp = logLikelihoodWith(tf, paramsFromList(architecture, params), heldOut, solve);
    return -logp.reduce((a, b) => a + b, 0) / logp.length;
  };

  // The model as it stands: the result at the end, and each snapshot on the way.
  const currentModel = (): TrainedModel => {
    const trained = params.map((p) => Float32Array.from(p.dataSync() as Float32Array));
    const names = weightNames(architecture);
    return {
      method: 'ffjord',
      architecture: { ...architecture, batchSize, learningRate, weightDecay, atol, rtol },
      weights: initial.map((w, i) => ({ name: names[i]!, shape: w.shape, data: trained[i]! })),
      training: { preset: preset.name, backend: backend.name, seed, steps: step, seconds: elapsed(), finalLoss: loss, history: [...history] },
      noise,
    };
  };
  const pacer = createStepPacer(options, currentModel, 'FFJORD');

  try {
    while (fractionDone() < 1) {
      ctx.signal.throwIfAborted();
      const x = Float32Array.from(sampleDensity(density, batchSize, dataRandom));
      const { value, grads } = tf.tidy(() => {
        const batch = tf.tensor2d(x, [batchSize, 2]);
        const objective = (...trainable: Tensor[]): Tensor => {
          const result = ffjordLogDensity(tf, paramsFromList(architecture, trainable), batch as Tensor2D, solve);
          nfe = result.nfe;
          return tf.neg(tf.mean(result.logp));
        };
        const { value, grads } = tf.valueAndGrads(objective)(params);
        // PyTorch's Adam weight_decay is L2 on every parameter, the end time included.
        return { value, grads: weightDecay > 0 ? grads.map((g, i) => tf.add(g, tf.mul(params[i]!, weightDecay))) : grads };
      });
      loss = (value.dataSync() as Float32Array)[0]!;
      value.dispose();
      if (!Number.isFinite(loss)) {
        tf.dispose(grads);
        throw new FlowGifError('TRAINING_DIVERGED', `FFJORD loss became ${loss} at step ${step}.`, {
          hint: 'Lower the learning rate or tighten the solver tolerances.',
        });
      }
      params = adam.step(params, grads, learningRate);
      tf.dispose(grads);
      step++;

      const evaluate = heldOut !== undefined && (step % evalEvery === 0 || fractionDone() >= 1);
      const nll = evaluate ? heldOutNll() : undefined;
      const seconds = elapsed();
      if (step === 1 || step % HISTORY_EVERY === 0 || nll !== undefined) {
        history.push({ step, seconds, loss, nfe, ...(nll === undefined ? {} : { nll }) });
      }
      const done = fractionDone();
      ctx.progress({
        stage: 'train',
        done: Math.round(done * 1000),
        total: 1000,
        ...(done > 0.001 ? { etaMs: (seconds * 1000 * (1 - done)) / done } : {}),
        metrics: {
          step,
          loss,
          nfe,
          samplesPerSecond: (step * batchSize) / seconds,
          endTime: endTimeOf(params),
          ...(nll === undefined ? {} : { nll }),
        },
      });
      await pacer.afterStep(done);
    }
    return currentModel();
  } finally {
    tf.dispose(params);
    adam.dispose();
  }

  function endTimeOf(flat: readonly Tensor[]): number {
    const v = (flat[flat.length - 1]!.dataSync() as Float32Array)[0]!;
    return v * v;
  }
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) throw new FlowGifError('INVALID_ARGUMENT', `FFJORD: ${name} must be a positive number, got ${value}.`);
  return value;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(positive(name, value))) throw new FlowGifError('INVALID_ARGUMENT', `FFJORD: ${name} must be a whole number, got ${value}.`);
  return value;
}
