import { noopJobContext } from '../../shared/job.js';
import { createInferenceField } from '../engine/inference/ort-field.js';
import { PREVIEW_SOLVER_STEPS, previewFlow, previewSolver, type PreviewSolver } from '../engine/pipeline/preview-flow.js';
import { toAsyncField } from '../engine/flow/velocity-field.js';
import type { OpenedFlow } from '../engine/pipeline/flow-source.js';
import { ModelRegistry } from '../service/model-registry.js';
import { benchDensity } from './bench-image.js';
import { presetModel } from './render.bench.js';

/**
 * The app's preview of a model that just finished training, in the engine (no window, no
 * transport): a coarse pass, then the full one (the renderer's FIRST_PREVIEW_PARTICLES and
 * PREVIEW_PARTICLES), each 16 steps of the `fast` network through onnxruntime. Timed from the
 * moment the training is done. 'per pass' is how the service ran it before: an ONNX export and
 * a new session for every pass; 'one session per model' is the model registry, which opens the
 * session as the training ends (counted here: it overlaps only the reply in the app). Its rk4
 * row is the solver previews used before, its last row the one they use now (previewSolver).
 */
export interface TrainedPreviewFigure {
  readonly sessions: 'per pass' | 'one session per model';
  /** e.g. 'rk4 × 16 (65 evaluations)'. */
  readonly solver: string;
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
  const rk4: PreviewSolver = { method: 'rk4', steps: PREVIEW_SOLVER_STEPS };
  // Evaluations counted on the field itself: each velocityAsync call is one of the whole batch.
  let evaluations = 0;
  const counted = (flow: OpenedFlow): OpenedFlow => {
    const field = toAsyncField(flow.field);
    return { ...flow, field: { ...field, velocityAsync: (points, t, out) => ((evaluations += 1), field.velocityAsync(points, t, out)) } };
  };
  const named = (solver: PreviewSolver, total: number): string => `${solver.method} × ${solver.steps} (${total / passes.length} evaluations)`;

  const start = performance.now();
  let sessionSeconds = 0;
  const perPass: number[] = [];
  for (const particles of passes) {
    const passStart = performance.now();
    const { field } = await createInferenceField(model);
    sessionSeconds += (performance.now() - passStart) / 1000;
    await previewFlow(counted({ field, density, model }), { particles, seed: 0, solver: rk4 }, ctx);
    field.dispose();
    perPass.push((performance.now() - passStart) / 1000);
  }
  const before: TrainedPreviewFigure = { sessions: 'per pass', solver: named(rk4, evaluations), sessionSeconds, passSeconds: perPass, totalSeconds: (performance.now() - start) / 1000 };

  // A fresh registry (a new session) for each solver, as after each training.
  const throughRegistry = async (solver: PreviewSolver): Promise<TrainedPreviewFigure> => {
    const registry = new ModelRegistry(async (m) => (await createInferenceField(m)).field);
    registry.add('bench', { model, density, file: '', imageId: undefined });
    const started = performance.now();
    registry.warm('bench');
    const shared: number[] = [];
    let opened = 0;
    evaluations = 0;
    for (const particles of passes) {
      const passStart = performance.now();
      const lease = registry.lease('bench');
      const flow = await lease.opened(ctx);
      if (opened === 0) opened = (performance.now() - started) / 1000;
      await previewFlow(counted(flow), { particles, seed: 0, solver }, ctx);
      lease.release();
      shared.push((performance.now() - passStart) / 1000);
    }
    registry.dispose();
    return { sessions: 'one session per model', solver: named(solver, evaluations), sessionSeconds: opened, passSeconds: shared, totalSeconds: (performance.now() - started) / 1000 };
  };
  return [before, await throughRegistry(rk4), await throughRegistry(previewSolver(model.method))];
}
