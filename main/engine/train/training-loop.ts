import type { Tensor } from '@tensorflow/tfjs';
import { FlowGifError } from '../../../shared/errors.js';
import type { JobContext } from '../../../shared/job.js';
import { createAdam } from './adam.js';
import type { Tf } from './backend.js';
import { createStepPacer } from './step-pacer.js';
import type { EarlyFinish, SnapshotOptions, TrainedModel } from './trained-model.js';

const HISTORY_EVERY = 10;

/** How far a run has got: the loop keeps it, the trainer's callbacks read it. */
export interface TrainingClock {
  /** Steps done. */
  readonly step: number;
  /** Wall-clock seconds since the loop started. */
  elapsed(): number;
  /** The larger of the step and the seconds budget used, 1 when either is spent. */
  fractionDone(): number;
}

/** What one step adds to its history entry and progress metrics beyond step, seconds and loss. */
export interface StepReport {
  readonly history?: Readonly<Record<string, number>>;
  readonly metrics: Readonly<Record<string, number>>;
  /** Record a history entry this step even off the usual cadence. */
  readonly keep?: boolean;
}

export interface TrainingLoopSpec<H> {
  /** 'Flow matching', 'FFJORD': names the trainer in messages about its options. */
  readonly name: string;
  readonly tf: Tf;
  readonly ctx: JobContext;
  readonly snapshots: SnapshotOptions;
  readonly finish: EarlyFinish;
  /** Training stops at maxSteps or maxSeconds, whichever comes first; batchSize examples a step. */
  readonly budget: { readonly maxSteps: number; readonly maxSeconds: number; readonly batchSize: number };
  /** Initial trainable parameters; the loop owns them (and the Adam state) from here. */
  readonly params: Tensor[];
  /** Weight of each new loss in the reported running mean; undefined reports each step's own loss. */
  readonly lossSmoothing: number | undefined;
  /** Progress carries an ETA once this share of the budget is done. */
  readonly etaAfter: number;
  /** When the loss turns non-finite: what the message calls it ('FFJORD loss'), and what to do. */
  readonly diverged: { readonly what: string; readonly hint: string };
  readonly learningRate: (clock: TrainingClock) => number;
  /** The loss (a scalar) and its gradients with respect to params; the loop disposes both. */
  readonly gradients: (params: readonly Tensor[], clock: TrainingClock) => { value: Tensor; grads: Tensor[] };
  /** After each step (clock.step counts it): the step's extra figures. */
  readonly report: (params: readonly Tensor[], clock: TrainingClock, learningRate: number) => StepReport;
  /** The model as it stands: each snapshot on the way and the result. */
  readonly model: (params: readonly Tensor[], record: { steps: number; seconds: number; finalLoss: number; history: H[] }) => TrainedModel;
}

type HistoryEntry = { step: number; seconds: number; loss: number };

/**
 * The loop every trainer runs: Adam steps until the step or seconds budget is spent or it is
 * asked to finish early (EarlyFinish), with a cancel check before each step, a stop when the
 * loss diverges, a history entry every few steps, a progress report after each and the step
 * pacer's snapshots and yields.
 */
export async function runTrainingLoop<H extends HistoryEntry>(spec: TrainingLoopSpec<H>): Promise<TrainedModel> {
  const { tf, ctx } = spec;
  const { maxSteps, maxSeconds, batchSize } = spec.budget;
  let params = spec.params;
  const history: H[] = [];
  const started = performance.now();
  let step = 0;
  let loss = NaN;
  const clock: TrainingClock = {
    get step() {
      return step;
    },
    elapsed: () => (performance.now() - started) / 1000,
    fractionDone: () => Math.min(1, Math.max(step / maxSteps, clock.elapsed() / maxSeconds)),
  };
  const currentModel = (): TrainedModel =>
    spec.model(params, { steps: step, seconds: clock.elapsed(), finalLoss: loss, history: [...history] });
  const pacer = createStepPacer(spec.snapshots, currentModel, spec.name);
  const adam = createAdam(tf, params);

  try {
    while (clock.fractionDone() < 1 && !(step > 0 && spec.finish.finish?.aborted === true)) {
      ctx.signal.throwIfAborted();
      const learningRate = spec.learningRate(clock);
      const { value, grads } = spec.gradients(params, clock);
      const stepLoss = (value.dataSync() as Float32Array)[0]!;
      value.dispose();
      if (!Number.isFinite(stepLoss)) {
        tf.dispose(grads);
        throw new FlowGifError('TRAINING_DIVERGED', `${spec.diverged.what} became ${stepLoss} at step ${step}.`, { hint: spec.diverged.hint });
      }
      params = adam.step(params, grads, learningRate);
      tf.dispose(grads);
      step++;

      loss = spec.lossSmoothing === undefined || Number.isNaN(loss) ? stepLoss : loss + (stepLoss - loss) * spec.lossSmoothing;
      const report = spec.report(params, clock, learningRate);
      const seconds = clock.elapsed();
      if (step === 1 || step % HISTORY_EVERY === 0 || report.keep === true) {
        history.push({ step, seconds, loss, ...report.history } as H);
      }
      const done = clock.fractionDone();
      ctx.progress({
        stage: 'train',
        done: Math.round(done * 1000),
        total: 1000,
        ...(done > spec.etaAfter ? { etaMs: (seconds * 1000 * (1 - done)) / done } : {}),
        metrics: { step, loss, samplesPerSecond: (step * batchSize) / seconds, ...report.metrics },
      });
      await pacer.afterStep(done);
    }
    return currentModel();
  } finally {
    tf.dispose(params);
    adam.dispose();
  }
}
