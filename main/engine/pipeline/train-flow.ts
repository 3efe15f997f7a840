import type { JobContext } from '../../../shared/job.js';
import { DEFAULT_NOISE_SHAPE, type NoiseShape } from '../../../shared/noise.js';
import { noiseSourceFor } from '../flow/noise-source.js';
import { sampleFlow } from '../flow/sample-flow.js';
import type { VelocityField } from '../flow/velocity-field.js';
import type { DensityOptions, ImageDensity } from '../image/density.js';
import { loadDensity } from '../image/load-density.js';
import { createModelField } from '../inference/model-field.js';
import { trainFlowMatching } from '../train/flow-matching.js';
import { ffjordPresets, trainFfjord, type FfjordPresetName } from '../train/ffjord-trainer.js';
import { ffjordStepBackend, flowMatchingStepBackend } from './training-backend.js';
import type { EarlyFinish, FlowMethod, TrainedModel } from '../train/trained-model.js';
import { flowFileRule, saveFlowFile } from '../project/flow-file.js';
import { assertWritableFolder } from '../project/write-atomic.js';

export interface TrainRequest {
  readonly imagePath: string;
  readonly outputPath: string;
  readonly method: FlowMethod;
  /** FFJORD's settings; default DEFAULT_FFJORD_PRESET. */
  readonly ffjordPreset?: FfjordPresetName | undefined;
  readonly seconds?: number;
  readonly steps?: number;
  readonly seed: number;
  readonly densityOptions?: Partial<DensityOptions>;
  /** The source noise's shape; default 'fitted'. */
  readonly noise?: NoiseShape;
}

export interface TrainResult {
  readonly model: TrainedModel;
  readonly density: ImageDensity;
  readonly outputPath: string;
}

export interface TrainBudget extends EarlyFinish {
  readonly seconds?: number | undefined;
  /** FFJORD's settings; default DEFAULT_FFJORD_PRESET. */
  readonly ffjordPreset?: FfjordPresetName | undefined;
  readonly steps?: number | undefined;
  readonly seed: number;
  /** The source noise's shape; default 'fitted'. */
  readonly noise?: NoiseShape | undefined;
  /** Seconds between live sample clouds; default the trainers' (DEFAULT_SNAPSHOT_SECONDS). */
  readonly snapshotSeconds?: number | undefined;
  /** The live sample cloud: SNAPSHOT_POINTS model samples at t = 1, and the step they show. */
  readonly onSamples?: ((points: Float32Array, step: number) => void) | undefined;
  /**
   * The density's exact flow from the same noise, where the host keeps one already (the app's
   * open picture): flow matching distils from it instead of building its own.
   */
  readonly exactField?: VelocityField | undefined;
  /** The app's temp folder, in which onnxruntime's is made when it trains; default the system's. */
  readonly tempDir?: string | undefined;
}

/**
 * FFJORD trains with "FFJORD, fast" unless asked for the seed's own settings: both are maximum
 * likelihood with the seed's network, and fast reaches the seed's 97-second NLL in 20 s.
 */
export const DEFAULT_FFJORD_PRESET: FfjordPresetName = 'fast';

/** What a user picks: a method, and for FFJORD which of its presets (the CLI's --method); ffjord is the default's. */
export const trainingChoices = {
  fm: { method: 'fm' },
  ffjord: { method: 'ffjord' },
  'ffjord-seed': { method: 'ffjord', ffjordPreset: 'seed' },
} as const satisfies Record<string, { method: FlowMethod; ffjordPreset?: FfjordPresetName }>;
export type TrainingChoice = keyof typeof trainingChoices;

/** Points of the live sample cloud during training, and the seed that keeps them comparable. */
export const SNAPSHOT_POINTS = 3000;
const SNAPSHOT_SEED = 0;

/** A density already in memory (the app's opened image) to a model, by either method. */
export async function trainDensity(density: ImageDensity, method: FlowMethod, budget: TrainBudget, ctx: JobContext): Promise<TrainedModel> {
  const { onSamples, exactField, tempDir, ffjordPreset, ...rest } = budget;
  const options = {
    ...rest,
    noise: noiseSourceFor(budget.noise ?? DEFAULT_NOISE_SHAPE, density.mapping),
    ...(onSamples === undefined ? {} : { onSnapshot: async (snapshot: TrainedModel) => onSamples(await snapshotSamples(snapshot, ctx), snapshot.training.steps) }),
  };
  const ortOptions = tempDir === undefined ? {} : { tempDir };
  if (method === 'ffjord') {
    return trainFfjord(density, { ...options, preset: ffjordPresets[ffjordPreset ?? DEFAULT_FFJORD_PRESET], stepBackend: await ffjordStepBackend(ortOptions) }, ctx);
  }
  const stepBackend = await flowMatchingStepBackend(ortOptions);
  return trainFlowMatching(density, { ...options, stepBackend, ...(exactField === undefined ? {} : { exactField }) }, ctx);
}

/** The training job of every host: a density to a model, saved as a .flow file when it is done. */
export async function trainDensityToFile(density: ImageDensity, method: FlowMethod, budget: TrainBudget, outputPath: string, ctx: JobContext): Promise<TrainedModel> {
  const model = await trainDensity(density, method, budget, ctx);
  ctx.progress({ stage: 'write', done: 0, total: 1 });
  await saveFlowFile(outputPath, model, density);
  ctx.progress({ stage: 'write', done: 1, total: 1 });
  return model;
}

/** Image file in, .flow file out: the command line's training. */
export async function trainToFile(request: TrainRequest, ctx: JobContext): Promise<TrainResult> {
  // Fail on a bad destination now rather than after minutes of training.
  await assertWritableFolder(request.outputPath, flowFileRule);
  const density = await loadDensity(request.imagePath, request.densityOptions, ctx);
  const budget = { seconds: request.seconds, steps: request.steps, seed: request.seed, noise: request.noise, ffjordPreset: request.ffjordPreset };
  const model = await trainDensityToFile(density, request.method, budget, request.outputPath, ctx);
  return { model, density, outputPath: request.outputPath };
}

/** A model so far as a cloud of samples, on TensorFlow.js (the trainer's own backend, already loaded). */
async function snapshotSamples(model: TrainedModel, ctx: JobContext): Promise<Float32Array> {
  const field = await createModelField(model);
  try {
    return Float32Array.from(await sampleFlow(field, SNAPSHOT_POINTS, { seed: SNAPSHOT_SEED }, { signal: ctx.signal, progress: () => {} }));
  } finally {
    field.dispose();
  }
}
