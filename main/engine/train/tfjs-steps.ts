import type { Tensor } from '@tensorflow/tfjs';
import { createAdam } from './adam.js';
import type { Tf } from './backend.js';
import type { StepRunner } from './training-loop.js';

/** A StepRunner on TensorFlow.js whose current parameters the trainer can still read (FFJORD's held-out NLL). */
export interface TfjsStepRunner extends StepRunner {
  readonly params: readonly Tensor[];
}

/**
 * Adam steps on TensorFlow.js tensors: `gradients` gives the loss (a scalar) and its gradients
 * for the parameters, which the runner owns (and disposes) from here on.
 */
export function createTfjsSteps(
  tf: Tf,
  initial: Tensor[],
  gradients: (params: readonly Tensor[]) => { value: Tensor; grads: Tensor[] },
): TfjsStepRunner {
  let params = initial;
  const adam = createAdam(tf, params);
  return {
    get params() {
      return params;
    },
    step(learningRate) {
      const { value, grads } = gradients(params);
      const loss = (value.dataSync() as Float32Array)[0]!;
      value.dispose();
      // A diverged step is not applied: the loop reports it and stops.
      if (Number.isFinite(loss)) params = adam.step(params, grads, learningRate);
      tf.dispose(grads);
      return Promise.resolve(loss);
    },
    weights: () => params.map((p) => Float32Array.from(p.dataSync() as Float32Array)),
    dispose() {
      tf.dispose(params);
      adam.dispose();
    },
  };
}
