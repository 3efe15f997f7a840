import { createRequire } from 'node:module';
import path from 'node:path';
import { FlowGifError } from '../../../shared/errors.js';

/**
 * TensorFlow.js for the engine, with the fastest backend that loads here, best first:
 * CUDA (tfjs-node-gpu), native CPU (tfjs-node), then WebAssembly SIMD, which always works.
 * The native packages are optional dependencies: they fail to install or load where
 * libtensorflow is missing, and that must only cost speed.
 */
export type Tf = typeof import('@tensorflow/tfjs');
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

export interface LoadedBackend {
  readonly tf: Tf;
  readonly name: BackendName;
  /** Human label for progress lines and the UI. */
  readonly label: string;
  readonly gpu: boolean;
}

const require = createRequire(import.meta.url);
let loaded: Promise<LoadedBackend> | undefined;

export type BackendPreference = 'auto' | BackendName;

/** The process-wide backend; later calls return the first choice. */
export function loadBackend(preference: BackendPreference = preferenceFromEnv()): Promise<LoadedBackend> {
  loaded ??= chooseBackend(preference);
  return loaded;
}

/** FLOWGIF_BACKEND's choice; 'auto' when it is unset. */
export function preferenceFromEnv(): BackendPreference {
  const value = process.env['FLOWGIF_BACKEND'];
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (value === 'tensorflow-gpu' || value === 'tensorflow' || value === 'wasm' || value === 'cpu') return value;
  throw new FlowGifError('INVALID_ARGUMENT', `FLOWGIF_BACKEND=${value} is not a backend.`, {
    hint: 'Use auto, tensorflow-gpu, tensorflow, wasm or cpu.',
  });
}

async function chooseBackend(preference: BackendPreference): Promise<LoadedBackend> {
  const attempts: Array<{ name: BackendName; load: () => Promise<LoadedBackend> }> = [
    { name: 'tensorflow-gpu', load: () => loadNative('@tensorflow/tfjs-node-gpu', 'tensorflow-gpu') },
    { name: 'tensorflow', load: () => loadNative('@tensorflow/tfjs-node', 'tensorflow') },
    { name: 'wasm', load: loadWasm },
    { name: 'cpu', load: loadCpu },
  ];
  const candidates = preference === 'auto' ? attempts : attempts.filter((a) => a.name === preference);
  const failures: string[] = [];
  for (const candidate of candidates) {
    try {
      return await candidate.load();
    } catch (error) {
      failures.push(`${candidate.name}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  }
  throw new FlowGifError('BACKEND_UNAVAILABLE', `No TensorFlow.js backend could be loaded (${failures.join('; ')}).`, {
    hint: 'Reinstall with npm ci; the WebAssembly backend needs @tensorflow/tfjs-backend-wasm.',
  });
}

async function loadNative(pkg: string, name: BackendName): Promise<LoadedBackend> {
  // The native packages register their backend on the shared @tensorflow/tfjs instance.
  const native = require(pkg) as Tf;
  await native.setBackend('tensorflow');
  await native.ready();
  const gpu = name === 'tensorflow-gpu';
  return { tf: native, name, label: gpu ? 'GPU (TensorFlow CUDA)' : 'CPU (TensorFlow native)', gpu };
}

async function loadWasm(): Promise<LoadedBackend> {
  const tf = (await import('@tensorflow/tfjs')) as Tf;
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
  wasm.setWasmPaths(wasmDir + path.sep);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  await tf.ready();
  return { tf, name: 'wasm', label: 'CPU (WebAssembly SIMD)', gpu: false };
}

async function loadCpu(): Promise<LoadedBackend> {
  const tf = (await import('@tensorflow/tfjs')) as Tf;
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
  await tf.ready();
  return { tf, name: 'cpu', label: 'CPU (plain JavaScript)', gpu: false };
}
