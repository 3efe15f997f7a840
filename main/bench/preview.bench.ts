import { noopJobContext } from '../../shared/job.js';
import { createInferenceField } from '../engine/inference/ort-field.js';
import { previewFlow } from '../engine/pipeline/preview-flow.js';
import { ModelRegistry } from '../service/model-registry.js';
import { benchDensity } from './bench-image.js';
import { presetModel } from './render.bench.js';

/**
 * The app's preview of a model that just finished training, in the engine (no window, no
 * transport): a coarse pass, then the full one (the renderer's FIRST_PREVIEW_PARTICLES and
 * PREVIEW_PARTICLES), each 16 rk4 steps of the `fast` network through onnxruntime. Timed from
 * the moment the training is done. 'per pass' is how the service ran it before: an ONNX export
 * and a new session for every pass; 'one session per model' is the model registry, which opens
 * the session as the training ends (counted here: it overlaps only the reply in the app).
 */
export interface TrainedPreviewFigure {
  readonly sessions: 'per pass' | 'one session per model';
  readonly sessionSeconds: number;
  readonly passSeconds: readonly number[];
  readonly totalSeconds: number;
}

export const PREVIEW_PASSES = [6_000, 50_000] as const;

export async function benchTrainedPreview(options: { imagePath?: string; passes?: readonly number[] } = {}): Promise<TrainedPreviewFigure[]> {
  const density = await benchDensity(options.imagePath);
  const model = presetModel();
  const passes = options.passes ?? PREVIEW_PASSES;
  const ctx = noopJobContext;

  let start = performance.now();
  let sessionSeconds = 0;
  const perPass: number[] = [];
  for (const particles of passes) {
    const passStart = performance.now();
    const { field } = await createInferenceField(model);
    sessionSeconds += (performance.now() - passStart) / 1000;
    await previewFlow({ field, density, model }, { particles, seed: 0 }, ctx);
    field.dispose();
    perPass.push((performance.now() - passStart) / 1000);
  }
  const before: TrainedPreviewFigure = { sessions: 'per pass', sessionSeconds, passSeconds: perPass, totalSeconds: (performance.now() - start) / 1000 };

  const registry = new ModelRegistry(async (m) => (await createInferenceField(m)).field);
  registry.add('bench', { model, density, file: '', imageId: undefined });
  start = performance.now();
  registry.warm('bench');
  const shared: number[] = [];
  let opened = 0;
  for (const particles of passes) {
    const passStart = performance.now();
    const lease = registry.lease('bench');
    const flow = await lease.opened(ctx);
    if (opened === 0) opened = (performance.now() - start) / 1000;
    await previewFlow(flow, { particles, seed: 0 }, ctx);
    lease.release();
    shared.push((performance.now() - passStart) / 1000);
  }
  const now: TrainedPreviewFigure = { sessions: 'one session per model', sessionSeconds: opened, passSeconds: shared, totalSeconds: (performance.now() - start) / 1000 };
  registry.dispose();
  return [before, now];
}
