import type { InferenceSession } from 'onnxruntime-node';
import { FlowGifError } from '../../../shared/errors.js';
import { encodeOnnxModel, GraphBuilder } from '../onnx/onnx-model.js';
import { leaseOrtTempFolder } from './ort-temp-folder.js';
import { ortExecutionProviders } from './ort-providers.js';

export type Ort = typeof import('onnxruntime-node');

let ortModule: Promise<Ort> | undefined;

/** onnxruntime-node, imported on first use so a missing or broken binary costs only this path. */
export function loadOrt(): Promise<Ort> {
  ortModule ??= import('onnxruntime-node').catch((error: unknown) => {
    ortModule = undefined;
    throw new FlowGifError('BACKEND_UNAVAILABLE', `onnxruntime-node could not be loaded: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, {
      hint: 'Reinstall with npm ci; trained models still run on TensorFlow.js, more slowly.',
      cause: error,
    });
  });
  return ortModule;
}

export interface OrtSessionOptions {
  readonly intraOpThreads?: number;
  /** The app's temp folder, in which ORT's own temp folder is made; default the system's. */
  readonly tempDir?: string;
}

export interface OrtSession {
  readonly ort: Ort;
  readonly session: InferenceSession;
  /** Releases the session and this user's hold on ORT's temp folder; idempotent. */
  dispose(): void;
}

/**
 * A session on ONNX bytes with DESIGN §3's options: two intra-op threads, one inter-op, every
 * graph optimisation, CUDA first where its provider is installed. `what` names the model in
 * the error a rejected graph gives.
 */
export async function createOrtSession(bytes: Uint8Array, what: string, options: OrtSessionOptions = {}): Promise<OrtSession> {
  const ort = await loadOrt();
  const lease = leaseOrtTempFolder(options.tempDir);
  const create = (providers: ('cuda' | 'cpu')[]): Promise<InferenceSession> =>
    ort.InferenceSession.create(bytes, {
      intraOpNumThreads: options.intraOpThreads ?? 2,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      executionProviders: providers,
    });
  let session: InferenceSession;
  try {
    const providers = ortExecutionProviders();
    // A CUDA provider whose CUDA or cuDNN libraries are missing fails the session: run on the CPU.
    session = await lease.creating(() => (providers.length > 1 ? create(providers).catch(() => create(['cpu'])) : create(providers)));
  } catch (error) {
    lease.release();
    throw new FlowGifError('MODEL_CORRUPT', `onnxruntime rejected the ${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  let live = true;
  return {
    ort,
    session,
    dispose() {
      if (!live) return;
      live = false;
      // release() is asynchronous; the temp folder has served its purpose by now either way.
      void session.release().catch(() => {});
      lease.release();
    },
  };
}

let cudaStarts: Promise<boolean> | undefined;

/**
 * Whether sessions here really run on CUDA: its provider installed (ortExecutionProviders) and a
 * session on it alone starting, which needs CUDA's and cuDNN's libraries too. Without them
 * createOrtSession runs on the CPU, so the provider's file alone would say GPU wrongly. Asked once.
 */
export function cudaSessionsStart(providers: readonly ('cuda' | 'cpu')[] = ortExecutionProviders()): Promise<boolean> {
  if (!providers.includes('cuda')) return Promise.resolve(false);
  cudaStarts ??= startsOnCuda();
  return cudaStarts;
}

async function startsOnCuda(): Promise<boolean> {
  const g = new GraphBuilder();
  g.op('Identity', ['x'], { output: 'y' });
  const probe = encodeOnnxModel({
    producerName: 'FlowGIF',
    producerVersion: '1',
    graph: { name: 'flowgif_cuda_probe', nodes: g.nodes, initializers: g.initializers, inputs: [{ name: 'x', dataType: 'float', shape: [1] }], outputs: [{ name: 'y', dataType: 'float', shape: [1] }] },
  });
  const lease = leaseOrtTempFolder();
  try {
    const ort = await loadOrt();
    const session = await lease.creating(() => ort.InferenceSession.create(probe, { executionProviders: ['cuda'] }));
    await session.release();
    return true;
  } catch {
    return false;
  } finally {
    lease.release();
  }
}
