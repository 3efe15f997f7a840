import { FlowGifError } from '../../../shared/errors.js';
import type { JobContext } from '../../../shared/job.js';
import { DEFAULT_NOISE_SHAPE, type NoiseShape } from '../../../shared/noise.js';
import { noiseSourceFor } from '../flow/noise-source.js';
import type { DensityOptions, ImageDensity } from '../image/density.js';
import { loadDensity } from '../image/load-density.js';
import { createExactFlow } from '../flow/exact-flow.js';
import type { AsyncVelocityField, VelocityField } from '../flow/velocity-field.js';
import { createInferenceField } from '../render/ort-field.js';
import type { TrainedModel } from '../train/trained-model.js';
import { loadFlowFile } from '../project/flow-file.js';

/** What every host hands the engine to name a flow: a trained model or an image's exact flow. */
export type FlowSource =
  | { readonly kind: 'model'; readonly path: string }
  | {
      readonly kind: 'exact';
      readonly imagePath: string;
      readonly densityOptions?: Partial<DensityOptions>;
      /** The source noise's shape; default 'fitted'. A model carries the source it was trained with. */
      readonly noise?: NoiseShape;
    };

export interface OpenedFlow {
  readonly source: FlowSource;
  /** The exact flow (sync), or a trained model on onnxruntime (async; TensorFlow.js where ORT cannot load). */
  readonly field: VelocityField | AsyncVelocityField;
  readonly density: ImageDensity;
  readonly model: TrainedModel | undefined;
}

export async function openFlow(source: FlowSource, ctx: JobContext): Promise<OpenedFlow> {
  if (source.kind === 'model') {
    if (!source.path.endsWith('.flow')) {
      throw new FlowGifError('MODEL_FOREIGN', `${source.path} is not a .flow model file.`, {
        file: source.path,
        hint: 'To use an image directly, pass --exact IMAGE.',
      });
    }
    const { model, density } = await loadFlowFile(source.path, ctx.signal as AbortSignal);
    ctx.signal.throwIfAborted();
    const { field } = await createInferenceField(model);
    return { source, field, density, model };
  }
  const density = await loadDensity(source.imagePath, source.densityOptions, ctx);
  const field = createExactFlow(density, { source: noiseSourceFor(source.noise ?? DEFAULT_NOISE_SHAPE, density.mapping) }, ctx);
  return { source, field, density, model: undefined };
}
