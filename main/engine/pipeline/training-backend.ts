import { FlowGifError } from '../../../shared/errors.js';
import type { BackendInfo } from '../../../shared/ipc/contract.js';
import { cudaSessionsStart, loadOrt, type OrtSessionOptions } from '../inference/ort-session.js';
import { ortFfjordSteps } from '../inference/ort-ffjord-steps.js';
import { ortFlowMatchingSteps, ORT_TRAINING_BACKEND } from '../inference/ort-fm-steps.js';
import { loadBackend, preferenceFromEnv, type LoadedBackend } from '../train/backend.js';
import type { FfjordStepBackend } from '../train/ffjord-trainer.js';
import type { FmStepBackend } from '../train/flow-matching.js';
import type { FlowMethod } from '../train/trained-model.js';

/**
 * Who takes the training steps, for both methods in the order BENCHMARKS.md's step-time tables
 * ("Flow matching: ms per training step by backend and width", "FFJORD: ms per training step
 * by backend and width") justify: TensorFlow.js when it runs on a GPU (tfjs-node-gpu), else onnxruntime,
 * several times faster than TensorFlow.js on a CPU, else TensorFlow.js on whatever it loaded.
 * FLOWGIF_BACKEND set to a TensorFlow.js backend keeps training on it. undefined means the
 * trainer's own TensorFlow.js path.
 */
export async function flowMatchingStepBackend(options: OrtSessionOptions = {}): Promise<FmStepBackend | undefined> {
  return (await ortTrains(await loadBackend())) ? ortFlowMatchingSteps(options) : undefined;
}

export async function ffjordStepBackend(options: OrtSessionOptions = {}): Promise<FfjordStepBackend | undefined> {
  return (await ortTrains(await loadBackend())) ? ortFfjordSteps(options) : undefined;
}

/** What each method trains on here, for the app to show before training starts. */
export async function trainingBackends(): Promise<Record<FlowMethod, BackendInfo>> {
  const tfjs = await loadBackend();
  const tfjsInfo: BackendInfo = { name: tfjs.name, label: tfjs.label, gpu: tfjs.gpu };
  const info: BackendInfo = (await ortTrains(tfjs))
    ? (await cudaSessionsStart())
      ? { name: ORT_TRAINING_BACKEND, label: 'GPU (onnxruntime CUDA)', gpu: true }
      : { name: ORT_TRAINING_BACKEND, label: 'CPU (onnxruntime)', gpu: false }
    : tfjsInfo;
  return { fm: info, ffjord: info };
}

async function ortTrains(tfjs: LoadedBackend): Promise<boolean> {
  if (preferenceFromEnv() !== 'auto' || tfjs.gpu) return false;
  try {
    await loadOrt();
    return true;
  } catch (error) {
    if (error instanceof FlowGifError && error.code === 'BACKEND_UNAVAILABLE') return false;
    throw error;
  }
}
