import { FlowGifError } from '../../../shared/errors.js';
import { DEFAULT_SNAPSHOT_SECONDS, type SnapshotOptions, type TrainedModel } from './trained-model.js';

/**
 * What every trainer does between steps, in one place: hand a snapshot of the model to the host
 * every few seconds (live samples in the UI), and yield to the event loop, because wasm ops are
 * synchronous and the abort event and the host's IPC must get a turn.
 */
export interface StepPacer {
  afterStep(fractionDone: number): Promise<void>;
}

export function createStepPacer(options: SnapshotOptions, currentModel: () => TrainedModel, trainer: string): StepPacer {
  const seconds = options.snapshotSeconds ?? DEFAULT_SNAPSHOT_SECONDS;
  if (!(Number.isFinite(seconds) && seconds > 0)) {
    throw new FlowGifError('INVALID_ARGUMENT', `${trainer}: snapshotSeconds must be a positive number, got ${seconds}.`);
  }
  const intervalMs = 1000 * seconds;
  let lastSnapshot = performance.now();
  return {
    async afterStep(fractionDone) {
      if (options.onSnapshot !== undefined && fractionDone < 1 && performance.now() - lastSnapshot >= intervalMs) {
        await options.onSnapshot(currentModel());
        lastSnapshot = performance.now();
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
  };
}
