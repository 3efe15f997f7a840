import { FlowGifError } from '../../../shared/errors.js';
import type { JobContext } from '../../../shared/job.js';
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

/**
 * What takes the optimiser's steps, on whichever backend: TensorFlow.js (tfjs-steps.ts) or
 * onnxruntime running the whole step as one graph. It owns the parameters and Adam's state.
 */
export interface StepRunner {
  /** One Adam step at this learning rate; the loss before it. A non-finite loss leaves the weights as they were. */
  step(learningRate: number): Promise<number>;
  /** The trained tensors as they stand, copied. */
  weights(): Float32Array[];
  dispose(): void;
}

export interface TrainingLoopSpec<H> {
  /** 'Flow matching', 'FFJORD': names the trainer in messages about its options. */
  readonly name: string;
  readonly ctx: JobContext;
  readonly snapshots: SnapshotOptions;
  readonly finish: EarlyFinish;
  /** Training stops at maxSteps or maxSeconds, whichever comes first; batchSize examples a step. */
  readonly budget: { readonly maxSteps: number; readonly maxSeconds: number; readonly batchSize: number };
  /** Takes the steps; the loop disposes it. */
  readonly runner: StepRunner;
  /** Weight of each new loss in the reported running mean; undefined reports each step's own loss. */
  readonly lossSmoothing: number | undefined;
  /** Progress carries an ETA once this share of the budget is done. */
  readonly etaAfter: number;
  /** When the loss turns non-finite: what the message calls it ('FFJORD loss'), and what to do. */
  readonly diverged: { readonly what: string; readonly hint: string };
  readonly learningRate: (clock: TrainingClock) => number;
  /** After each step (clock.step counts it): the step's extra figures. */
  readonly report: (clock: TrainingClock, learningRate: number) => StepReport | Promise<StepReport>;
  /** The model as it stands, from the runner's weights: each snapshot on the way and the result. */
  readonly model: (weights: Float32Array[], record: { steps: number; seconds: number; finalLoss: number; history: H[] }) => TrainedModel;
}

type HistoryEntry = { step: number; seconds: number; loss: number };

/**
 * The loop every trainer runs: Adam steps until the step or seconds budget is spent or it is
 * asked to finish early (EarlyFinish), with a cancel check before each step, a stop when the
 * loss diverges, a history entry every few steps, a progress report after each and the step
 * pacer's snapshots and yields.
 */
export async function runTrainingLoop<H extends HistoryEntry>(spec: TrainingLoopSpec<H>): Promise<TrainedModel> {
  const { ctx, runner } = spec;
  const { maxSteps, maxSeconds, batchSize } = spec.budget;
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
    spec.model(runner.weights(), { steps: step, seconds: clock.elapsed(), finalLoss: loss, history: [...history] });

  try {
    const pacer = createStepPacer(spec.snapshots, currentModel, spec.name);
    while (clock.fractionDone() < 1 && !(step > 0 && spec.finish.finish?.aborted === true)) {
      ctx.signal.throwIfAborted();
      const learningRate = spec.learningRate(clock);
      const stepLoss = await runner.step(learningRate);
      if (!Number.isFinite(stepLoss)) {
        throw new FlowGifError('TRAINING_DIVERGED', `${spec.diverged.what} became ${stepLoss} at step ${step}.`, { hint: spec.diverged.hint });
      }
      step++;

      loss = spec.lossSmoothing === undefined || Number.isNaN(loss) ? stepLoss : loss + (stepLoss - loss) * spec.lossSmoothing;
      const report = await spec.report(clock, learningRate);
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
    runner.dispose();
  }
}
