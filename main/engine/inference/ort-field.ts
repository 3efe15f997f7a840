import type { InferenceSession } from 'onnxruntime-node';
import { FlowGifError } from '../../../shared/errors.js';
import { ROUND_NOISE, type NoiseSource } from '../flow/noise-source.js';
import { toAsyncField, type AsyncVelocityField, type VelocityField } from '../flow/velocity-field.js';
import { exportOnnx, INPUT_T, INPUT_X, OUTPUT_V } from '../onnx/export-onnx.js';
import { createModelField } from './model-field.js';
import type { TrainedModel } from '../train/trained-model.js';
import { createOrtSession } from './ort-session.js';
import { INFERENCE_CHUNK, pointChunks } from './point-chunks.js';

export interface OrtFieldOptions {
  /** Labels a field made from raw ONNX bytes; a TrainedModel names its own method. Default 'fm'. */
  readonly kind?: VelocityField['kind'];
  /** The source of a field made from raw ONNX bytes; a TrainedModel names its own. Default round. */
  readonly source?: NoiseSource;
  /** Points per session.run(); default INFERENCE_CHUNK. */
  readonly chunkSize?: number;
  readonly intraOpThreads?: number;
  /** The app's temp folder, in which ORT's own temp folder is made; default the system's. */
  readonly tempDir?: string;
}

/** An onnxruntime velocity field; `backend` says which engine answers, for logs and benches. */
export interface OrtVelocityField extends AsyncVelocityField {
  readonly backend: 'onnxruntime';
}

/**
 * A velocity field run by onnxruntime on an exported model (or ONNX bytes with the same
 * signature: x [N, 2], t [N, 1] or [1, 1] → v [N, 2]), in a session of createOrtSession's.
 */
export async function createOrtField(source: Uint8Array | TrainedModel, options: OrtFieldOptions = {}): Promise<OrtVelocityField> {
  const chunkSize = options.chunkSize ?? INFERENCE_CHUNK;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new FlowGifError('INVALID_ARGUMENT', `chunkSize must be a positive integer, got ${chunkSize}.`);
  const bytes = source instanceof Uint8Array ? source : exportOnnx(source);
  const kind = source instanceof Uint8Array ? (options.kind ?? 'fm') : source.method;
  const noise = source instanceof Uint8Array ? (options.source ?? ROUND_NOISE) : source.noise;
  const { ort, session: live, dispose } = await createOrtSession(bytes, 'velocity-field model', options);
  let session: InferenceSession | undefined = live;
  return {
    kind,
    source: noise,
    backend: 'onnxruntime',
    async velocityAsync(points, t, out) {
      const live = session;
      if (live === undefined) throw new Error('velocityAsync() after dispose()');
      // One [1, 1] time for every row: the graph broadcasts it. Made per call, not shared: the
      // model registry hands one field to every job of the model, and their calls interleave.
      const time = new ort.Tensor('float32', Float32Array.of(t), [1, 1]);
      for (const { start, count, x } of pointChunks(points, chunkSize)) {
        const result = await live.run({ [INPUT_X]: new ort.Tensor('float32', x, [count, 2]), [INPUT_T]: time });
        const v = result[OUTPUT_V]!;
        out.set(v.data as Float32Array, 2 * start);
        v.dispose();
      }
    },
    dispose() {
      session = undefined;
      dispose();
    },
  };
}

/** Which engine an inference field runs on, for progress lines and benchmarks. */
export type InferenceBackend = 'onnxruntime' | 'tfjs';

/**
 * The fastest velocity field for a trained model: onnxruntime on its ONNX export, or
 * TensorFlow.js when onnxruntime cannot load here (no binary for the platform).
 */
export async function createInferenceField(
  model: TrainedModel,
  options: OrtFieldOptions & { readonly prefer?: InferenceBackend } = {},
): Promise<{ field: AsyncVelocityField; backend: InferenceBackend }> {
  if (options.prefer !== 'tfjs') {
    try {
      return { field: await createOrtField(model, options), backend: 'onnxruntime' };
    } catch (error) {
      if (!(error instanceof FlowGifError && error.code === 'BACKEND_UNAVAILABLE')) throw error;
    }
  }
  return { field: toAsyncField(await createModelField(model)), backend: 'tfjs' };
}
