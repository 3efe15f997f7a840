import type { Tensor } from 'onnxruntime-node';
import { FlowGifError } from '../../../shared/errors.js';
import { encodeFmTrainingStep, trainedTensors, TRAIN_FOURIER, TRAIN_LOSS, TRAIN_STEP_SIZE, TRAIN_TARGET, TRAIN_TIME_FEATURES, TRAIN_X } from '../onnx/fm-train-graph.js';
import { ADAM_DEFAULTS, adamStepSize } from '../train/adam.js';
import type { FmStepBackend } from '../train/flow-matching.js';
import { timeFeatureSize } from '../train/mlp-field.js';
import { createOrtSession, type OrtSessionOptions } from './ort-session.js';

/** The name the training record and the interfaces give this backend. */
export const ORT_TRAINING_BACKEND = 'onnxruntime';

/**
 * Flow matching's steps on onnxruntime: fm-train-graph.ts's one graph per step, its updated
 * weights and moments fed back as the next step's inputs, so nothing is copied between steps
 * but the batch.
 */
export function ortFlowMatchingSteps(options: OrtSessionOptions = {}): FmStepBackend {
  return {
    name: ORT_TRAINING_BACKEND,
    async create(arch, trainable, fourier, nextBatch) {
      const names = trainedTensors(arch);
      const { ort, session, dispose } = await createOrtSession(encodeFmTrainingStep(arch, ADAM_DEFAULTS), 'flow-matching training step', options).catch((error: unknown) => {
        // The trainer then takes its steps on TensorFlow.js instead: slower, not broken.
        throw new FlowGifError('BACKEND_UNAVAILABLE', `onnxruntime could not run the flow-matching training step: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      });
      const tensor = (data: Float32Array, dims: readonly number[]): Tensor => new ort.Tensor('float32', data, dims);
      // Adam's state and the weights, by input name; each step's outputs replace them.
      let state: Record<string, Tensor> = {};
      let fourierTensor: Tensor;
      try {
        names.forEach((n, i) => {
          state[n.param] = tensor(Float32Array.from(trainable[i]!.data), n.shape);
          state[n.m] = tensor(new Float32Array(trainable[i]!.data.length), n.shape);
          state[n.v] = tensor(new Float32Array(trainable[i]!.data.length), n.shape);
        });
        fourierTensor = tensor(Float32Array.from(fourier), [2, arch.fourierFeatures]);
      } catch (error) {
        dispose();
        throw error;
      }
      const fetches = [TRAIN_LOSS, ...names.flatMap((n) => [n.nextParam, n.nextM, n.nextV])];
      const features = timeFeatureSize(arch);
      let t = 0;
      return {
        async step(learningRate) {
          const { xt, timeFeatures, target } = nextBatch();
          const rows = xt.length / 2;
          const result = await session.run(
            {
              ...state,
              [TRAIN_X]: tensor(xt, [rows, 2]),
              [TRAIN_TIME_FEATURES]: tensor(timeFeatures, [rows, features]),
              [TRAIN_TARGET]: tensor(target, [rows, 2]),
              [TRAIN_FOURIER]: fourierTensor,
              [TRAIN_STEP_SIZE]: tensor(Float32Array.of(adamStepSize(learningRate, t + 1)), []),
            },
            fetches,
          );
          const loss = (result[TRAIN_LOSS]!.data as Float32Array)[0]!;
          // A diverged step is not applied: the loop reports it and stops.
          if (Number.isFinite(loss)) {
            t++;
            const next: Record<string, Tensor> = {};
            for (const n of names) {
              next[n.param] = result[n.nextParam]!;
              next[n.m] = result[n.nextM]!;
              next[n.v] = result[n.nextV]!;
            }
            state = next;
          }
          return loss;
        },
        weights: () => names.map((n) => Float32Array.from(state[n.param]!.data as Float32Array)),
        dispose() {
          state = {};
          dispose();
        },
      };
    },
  };
}
