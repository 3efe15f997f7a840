import { FlowGifError } from '../../../shared/errors.js';
import type { JobContext } from '../../../shared/job.js';
import { DEFAULT_NOISE_SHAPE, type NoiseShape } from '../../../shared/noise.js';
import { noiseSourceFor } from '../flow/noise-source.js';
import type { DensityOptions, ImageDensity } from '../image/density.js';
import { densityFromBytes, loadDensity } from '../image/load-density.js';
import { finerWorkingSide, workingSideFor } from '../image/working-side.js';
import { textPicture, type TextPictureOptions } from '../image/text-picture.js';
import { prepareExactFlow, type ExactFlow } from '../flow/exact-flow.js';
import type { AsyncVelocityField, VelocityField } from '../flow/velocity-field.js';
import { createInferenceField } from '../inference/ort-field.js';
import type { TrainedModel } from '../train/trained-model.js';
import { loadFlowFile } from '../project/flow-file.js';
import { defaultThreads } from '../render/threads.js';
import { buildLevelsOnThreads } from '../threads/blur-on-threads.js';

/** What every host hands the engine to name a flow: a trained model or an image's exact flow. */
export type FlowSource =
  | { readonly kind: 'model'; readonly path: string }
  | {
      readonly kind: 'exact';
      readonly imagePath: string;
      readonly densityOptions?: Partial<DensityOptions>;
      /** The source noise's shape; default 'fitted'. A model carries the source it was trained with. */
      readonly noise?: NoiseShape;
      /**
       * The long side of the output it will be drawn at: without an explicit maxSide the working
       * picture follows it (workingSideFor), so a large output keeps crisp edges.
       */
      readonly outputSize?: number;
    }
  | {
      /** Text drawn as the picture (textPicture), then the exact flow of that picture. */
      readonly kind: 'text';
      readonly text: string;
      readonly picture?: Omit<TextPictureOptions, 'signal'>;
      readonly densityOptions?: Partial<DensityOptions>;
      readonly noise?: NoiseShape;
      readonly outputSize?: number;
    };

/**
 * A flow ready for the pipeline's jobs. Whoever opened it frees it: the command line when its
 * command ends, the service's registries when the picture or model is dropped and no job holds
 * it; the pipeline's functions never dispose a field they are given.
 */
export interface OpenedFlow {
  /** The exact flow (sync), or a trained model on onnxruntime (async; TensorFlow.js where ORT cannot load). */
  readonly field: VelocityField | AsyncVelocityField;
  readonly density: ImageDensity;
  readonly model: TrainedModel | undefined;
}

export async function openFlow(source: FlowSource, ctx: JobContext): Promise<OpenedFlow> {
  if (source.kind === 'model') {
    if (!source.path.endsWith('.flow')) {
      throw new FlowGifError('MODEL_FOREIGN', `${source.path} is not a .flow model file.`, { file: source.path });
    }
    // A model keeps the density it was trained on: its sharpness is what it learned, and its
    // particles' colours are looked up on that same grid.
    const { model, density } = await loadFlowFile(source.path, ctx.signal as AbortSignal);
    ctx.signal.throwIfAborted();
    const { field } = await createInferenceField(model);
    return { field, density, model };
  }
  const maxSide = source.densityOptions?.maxSide ?? (source.outputSize === undefined ? undefined : workingSideFor(source.outputSize));
  const densityOptions = { ...source.densityOptions, ...(maxSide === undefined ? {} : { maxSide }) };
  let density: ImageDensity;
  if (source.kind === 'text') {
    const picture = await textPicture(source.text, { ...source.picture, signal: ctx.signal as AbortSignal });
    density = await densityFromBytes(picture.bytes, picture.name, densityOptions, ctx);
  } else {
    density = await loadDensity(source.imagePath, densityOptions, ctx);
  }
  const field = await prepareImageFlow(density, source.noise ?? DEFAULT_NOISE_SHAPE, ctx);
  return { field, density, model: undefined };
}

/** A picture's exact flow from a source of the given shape fitted to it, its blur levels built on the solver threads. */
export function prepareImageFlow(density: ImageDensity, noise: NoiseShape, ctx: JobContext, threads: number = defaultThreads()): Promise<ExactFlow> {
  return prepareExactFlow(density, { source: noiseSourceFor(noise, density.mapping) }, ctx, buildLevelsOnThreads(threads));
}

/** Where an open picture's bytes can be read again. */
export type PictureBytes = { readonly bytes: Uint8Array; readonly name: string } | { readonly path: string };

/**
 * An open picture's exact flow at the working size an output of `outputSize` px wants
 * (finerWorkingSide), or undefined when the open grid already serves it: the app previews at
 * the default working size and exports a large size from the finer grid, as `make` does. The
 * finer grid gets the source of the same shape fitted to it. A
 * file changed on disk since it was opened is not used: the export draws the picture the user saw.
 */
export async function finerExactFlow(
  density: ImageDensity,
  picture: PictureBytes,
  outputSize: number,
  noise: NoiseShape,
  ctx: JobContext,
): Promise<{ density: ImageDensity; field: ExactFlow } | undefined> {
  const maxSide = finerWorkingSide(density.mapping, outputSize);
  if (maxSide === undefined) return undefined;
  const options = { ...density.options, maxSide };
  const finer = 'bytes' in picture ? await densityFromBytes(picture.bytes, picture.name, options, ctx) : await loadDensity(picture.path, options, ctx);
  if (finer.source.sha256 !== density.source.sha256) return undefined;
  return { density: finer, field: await prepareImageFlow(finer, noise, ctx) };
}
