import type { Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import { FlowGifError } from '../../../shared/errors.js';
import type { VelocityField } from '../flow/velocity-field.js';
import { loadBackend } from '../train/backend.js';
import { forward, timeFeatureSize, validateMlp, weightTensors, writeTimeFeatures } from '../train/mlp-field.js';
import type { FlowMethod, TrainedModel } from '../train/trained-model.js';
import { pointChunks } from './point-chunks.js';

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
      writeTimeFeatures(arch, t, rowFeatures, 0);
      const row = tf.tensor2d(rowFeatures, [1, featureSize]);
      try {
        for (const { start, count, x } of pointChunks(points)) {
          const v = tf.tidy(() => {
            const timeFeatures = tf.tile(row, [count, 1]) as Tensor2D;
            return forward(tf, arch, live, tf.tensor2d(x, [count, 2]), timeFeatures);
          });
          out.set(v.dataSync() as Float32Array, 2 * start);
          v.dispose();
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
