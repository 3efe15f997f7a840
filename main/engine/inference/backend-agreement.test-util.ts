import assert from 'node:assert/strict';
import { FlowGifError } from '../../../shared/errors.js';
import type { TrainedModel } from '../train/trained-model.js';

/**
 * How far two backends' arrays differ: the largest difference relative to the largest magnitude,
 * since float32 sums in another order differ in their last bits.
 */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}

/** A step backend that fails to start: as onnxruntime does where it cannot run (BACKEND_UNAVAILABLE), or with a real failure. */
export interface FailingStepBackend {
  readonly name: string;
  create(): Promise<never>;
}

/**
 * A trainer given a step backend that cannot start here trains on TensorFlow.js exactly as it
 * would alone; any other failure of the backend is a real one and is not hidden.
 */
export async function assertFallsBackToTfjs(train: (stepBackend?: FailingStepBackend) => Promise<TrainedModel>): Promise<void> {
  const failing = (error: FlowGifError): FailingStepBackend => ({ name: 'onnxruntime', create: () => Promise.reject(error) });
  const fellBack = await train(failing(new FlowGifError('BACKEND_UNAVAILABLE', 'no session here')));
  const alone = await train();
  assert.equal(fellBack.training.backend, alone.training.backend);
  assert.deepEqual(fellBack.weights, alone.weights);
  await assert.rejects(train(failing(new FlowGifError('MODEL_CORRUPT', 'bad graph'))), /bad graph/);
}

/**
 * Two runs of one trainer from one seed on two backends, step for step: every recorded loss
 * (as `lossError` measures the difference) and, at the end, every weight tensor (relative to
 * its largest entry) within its bound.
 */
export function assertTrainedAlike(
  expected: TrainedModel,
  actual: TrainedModel,
  bounds: { readonly lossError: (actual: number, expected: number) => number; readonly loss: number; readonly weights: number },
): void {
  expected.training.history.forEach((h, i) => {
    const other = actual.training.history[i]!;
    assert.equal(other.step, h.step);
    assert.ok(bounds.lossError(other.loss, h.loss) < bounds.loss, `step ${h.step}: loss ${other.loss} on ${actual.training.backend} vs ${h.loss} on ${expected.training.backend}`);
  });
  expected.weights.forEach((w, i) => {
    const error = relativeError(actual.weights[i]!.data, w.data);
    assert.ok(error < bounds.weights, `${w.name} after ${expected.training.steps} steps differs by ${error} of its largest entry`);
  });
}
