import type { JobContext } from '../../../shared/job.js';
import { DEFAULT_NOISE_SHAPE, type NoiseShape } from '../../../shared/noise.js';
import { noiseSourceFor } from '../flow/noise-source.js';
import type { DensityOptions, ImageDensity } from '../image/density.js';
import { loadDensity } from '../image/load-density.js';
import { trainFlowMatching } from '../train/flow-matching.js';
import { trainFfjord } from '../train/ffjord-trainer.js';
import type { FlowMethod, SnapshotOptions, TrainedModel } from '../train/trained-model.js';
import { flowFileRule, saveFlowFile } from '../project/flow-file.js';
import { assertWritableFolder } from '../project/write-atomic.js';

export interface TrainRequest {
  readonly imagePath: string;
  readonly outputPath: string;
  readonly method: FlowMethod;
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

export interface TrainBudget extends SnapshotOptions {
  readonly seconds?: number | undefined;
  readonly steps?: number | undefined;
  readonly seed: number;
  /** The source noise's shape; default 'fitted'. */
  readonly noise?: NoiseShape | undefined;
}

/** A density already in memory (the app's opened image) to a model, by either method. */
export function trainDensity(density: ImageDensity, method: FlowMethod, budget: TrainBudget, ctx: JobContext): Promise<TrainedModel> {
  const options = { ...budget, noise: noiseSourceFor(budget.noise ?? DEFAULT_NOISE_SHAPE, density.mapping) };
  return method === 'ffjord' ? trainFfjord(density, options, ctx) : trainFlowMatching(density, options, ctx);
}

/** Image file in, .flow file out: the whole training job every host runs. */
export async function trainToFile(request: TrainRequest, ctx: JobContext): Promise<TrainResult> {
  // Fail on a bad destination now rather than after minutes of training.
  await assertWritableFolder(request.outputPath, flowFileRule);
  const density = await loadDensity(request.imagePath, request.densityOptions, ctx);
  const model = await trainDensity(density, request.method, { seconds: request.seconds, steps: request.steps, seed: request.seed, noise: request.noise }, ctx);
  ctx.progress({ stage: 'write', done: 0, total: 1 });
  await saveFlowFile(request.outputPath, model, density);
  ctx.progress({ stage: 'write', done: 1, total: 1 });
  return { model, density, outputPath: request.outputPath };
}
