import type { InferenceSession } from 'onnxruntime-node';
import { FlowGifError } from '../../../shared/errors.js';
import { ROUND_NOISE, type NoiseSource } from '../flow/noise-source.js';
import { toAsyncField, type AsyncVelocityField, type VelocityField } from '../flow/velocity-field.js';
import { exportOnnx, INPUT_T, INPUT_X, OUTPUT_V } from '../onnx/export-onnx.js';
import { createModelField } from './model-field.js';
import type { TrainedModel } from '../train/trained-model.js';
import { leaseOrtTempFolder } from './ort-temp-folder.js';
import { ortExecutionProviders } from './ort-providers.js';
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

type Ort = typeof import('onnxruntime-node');

let ortModule: Promise<Ort> | undefined;

/** onnxruntime-node, imported on first use so a missing or broken binary costs only this path. */
function loadOrt(): Promise<Ort> {
  ortModule ??= import('onnxruntime-node').catch((error: unknown) => {
    ortModule = undefined;
    throw new FlowGifError('BACKEND_UNAVAILABLE', `onnxruntime-node could not be loaded: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, {
      hint: 'Reinstall with npm ci; trained models still run on TensorFlow.js, more slowly.',
      cause: error,
    });
  });
  return ortModule;
}

/**
 * A velocity field run by onnxruntime on an exported model (or ONNX bytes with the same
 * signature: x [N, 2], t [N, 1] or [1, 1] → v [N, 2]). Session options follow DESIGN §3:
 * two intra-op threads, one inter-op, every graph optimisation.
 */
export async function createOrtField(source: Uint8Array | TrainedModel, options: OrtFieldOptions = {}): Promise<OrtVelocityField> {
  const chunkSize = options.chunkSize ?? INFERENCE_CHUNK;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new FlowGifError('INVALID_ARGUMENT', `chunkSize must be a positive integer, got ${chunkSize}.`);
  const bytes = source instanceof Uint8Array ? source : exportOnnx(source);
  const kind = source instanceof Uint8Array ? (options.kind ?? 'fm') : source.method;
  const noise = source instanceof Uint8Array ? (options.source ?? ROUND_NOISE) : source.noise;
  const ort = await loadOrt();
  const lease = leaseOrtTempFolder(options.tempDir);
  let session: InferenceSession | undefined;
  const create = (providers: ('cuda' | 'cpu')[]): Promise<InferenceSession> =>
    ort.InferenceSession.create(bytes, {
      intraOpNumThreads: options.intraOpThreads ?? 2,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      executionProviders: providers,
    });
  try {
    const providers = ortExecutionProviders();
    // A CUDA provider whose CUDA or cuDNN libraries are missing fails the session: run on the CPU.
    session = await lease.creating(() => (providers.length > 1 ? create(providers).catch(() => create(['cpu'])) : create(providers)));
  } catch (error) {
    lease.release();
    throw new FlowGifError('MODEL_CORRUPT', `onnxruntime rejected the velocity-field model: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
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
      const live = session;
      session = undefined;
      if (live === undefined) return;
      // release() is asynchronous; the temp folder has served its purpose by now either way.
      void live.release().catch(() => {});
      lease.release();
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
