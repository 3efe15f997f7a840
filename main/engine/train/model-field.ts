import type { Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import { FlowGifError } from '../../../shared/errors.js';
import type { VelocityField } from '../flow/velocity-field.js';
import { loadBackend } from './backend.js';
import { forward, timeFeatureSize, validateMlp, weightTensors, writeTimeFeatures } from './mlp-field.js';
import type { FlowMethod, TrainedModel } from './trained-model.js';

/** Turns a trained model of one method into a velocity field. */
export type ModelFieldFactory = (model: TrainedModel) => Promise<VelocityField>;

/**
 * Where each method's loader lives. FFJORD plugs in by exporting
 * `createFfjordField(model: TrainedModel): Promise<VelocityField>` from `./ffjord-field.ts`;
 * it is imported lazily, so neither trainer's code loads unless its models are opened.
 */
const factories: ReadonlyMap<FlowMethod, ModelFieldFactory> = new Map<FlowMethod, ModelFieldFactory>([
  ['fm', createFmField],
  ['ffjord', (model) => importFactory('./ffjord-field.js', 'createFfjordField').then((create) => create(model))],
]);

export async function createModelField(model: TrainedModel): Promise<VelocityField> {
  const factory = factories.get(model.method);
  if (factory === undefined) {
    throw new FlowGifError('MODEL_FOREIGN', `This build cannot run models trained with method ${JSON.stringify(model.method)}.`, {
      hint: 'Open the model with the FlowGIF version that trained it, or train it again.',
    });
  }
  return factory(model);
}

async function importFactory(specifier: string, exportName: string): Promise<ModelFieldFactory> {
  let module: Record<string, unknown>;
  try {
    module = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    throw new FlowGifError('MODEL_FOREIGN', `This build has no loader for the model's method (${specifier}).`, { cause: error });
  }
  const factory = module[exportName];
  if (typeof factory !== 'function') {
    throw new FlowGifError('MODEL_FOREIGN', `${specifier} does not export ${exportName}.`);
  }
  return factory as ModelFieldFactory;
}

/** Points per tfjs call: large enough to amortise op dispatch, small enough for the cache. */
export const INFERENCE_CHUNK = 8192;

/** A flow-matching model as a velocity field: tfjs inference in chunks, read back synchronously. */
export async function createFmField(model: TrainedModel): Promise<VelocityField> {
  const { arch, ordered } = validateMlp(model.architecture, model.weights);
  const { tf } = await loadBackend();
  let params: Array<Tensor1D | Tensor2D> | undefined = weightTensors(tf, ordered);
  const featureSize = timeFeatureSize(arch);
  const rowFeatures = new Float32Array(featureSize);
  return {
    kind: 'fm',
    source: model.noise,
    velocity(points, t, out) {
      if (params === undefined) throw new Error('velocity() after dispose()');
      const live = params;
      const n = points.length / 2;
      writeTimeFeatures(arch, t, rowFeatures, 0);
      const row = tf.tensor2d(rowFeatures, [1, featureSize]);
      try {
        for (let start = 0; start < n; start += INFERENCE_CHUNK) {
          const count = Math.min(INFERENCE_CHUNK, n - start);
          const x = Float32Array.from(points.subarray(2 * start, 2 * (start + count)));
          const v = tf.tidy(() => {
            const timeFeatures = tf.tile(row, [count, 1]) as Tensor2D;
            return forward(tf, arch, live, tf.tensor2d(x, [count, 2]), timeFeatures);
          });
          const data = v.dataSync() as Float32Array;
          v.dispose();
          for (let i = 0; i < data.length; i++) out[2 * start + i] = data[i]!;
        }
      } finally {
        row.dispose();
      }
    },
    dispose() {
      if (params !== undefined) tf.dispose(params as Tensor[]);
      params = undefined;
    },
  };
}
