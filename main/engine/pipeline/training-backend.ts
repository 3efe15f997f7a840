import { FlowGifError } from '../../../shared/errors.js';
import type { BackendInfo } from '../../../shared/ipc/contract.js';
import { ortExecutionProviders } from '../inference/ort-providers.js';
import { loadOrt, type OrtSessionOptions } from '../inference/ort-session.js';
import { ortFlowMatchingSteps, ORT_TRAINING_BACKEND } from '../inference/ort-fm-steps.js';
import { loadBackend, preferenceFromEnv, type LoadedBackend } from '../train/backend.js';
import type { FmStepBackend } from '../train/flow-matching.js';
import type { FlowMethod } from '../train/trained-model.js';

/**
 * Who takes flow matching's steps, in the order BENCHMARKS.md's "Flow matching: ms per
 * training step by backend and width" justifies: TensorFlow.js when it runs on a GPU (tfjs-node-gpu), else onnxruntime, which runs
 * the whole step as one graph several times faster than TensorFlow.js on a CPU, else
 * TensorFlow.js on whatever it loaded. FLOWGIF_BACKEND set to a TensorFlow.js backend keeps
 * training on it. undefined means the trainer's own TensorFlow.js path. FFJORD trains on
 * TensorFlow.js.
 */
export async function flowMatchingStepBackend(options: OrtSessionOptions = {}): Promise<FmStepBackend | undefined> {
  return (await ortTrains(await loadBackend())) ? ortFlowMatchingSteps(options) : undefined;
}

/** What each method trains on here, for the app to show before training starts. */
export async function trainingBackends(): Promise<Record<FlowMethod, BackendInfo>> {
  const tfjs = await loadBackend();
  const tfjsInfo: BackendInfo = { name: tfjs.name, label: tfjs.label, gpu: tfjs.gpu };
  const onCuda = ortExecutionProviders().includes('cuda');
  const fm: BackendInfo = (await ortTrains(tfjs))
    ? { name: ORT_TRAINING_BACKEND, label: onCuda ? 'GPU (onnxruntime CUDA)' : 'CPU (onnxruntime)', gpu: onCuda }
    : tfjsInfo;
  return { fm, ffjord: tfjsInfo };
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
