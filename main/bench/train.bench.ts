import { benchDensity } from './bench-image.js';
import { noopJobContext } from '../../shared/job.js';
import { evaluateSamples } from '../engine/quality/tv-score.js';
import { trainFlowMatching, type FlowMatchingOptions, type FmStepBackend } from '../engine/train/flow-matching.js';
import { createInferenceField } from '../engine/inference/ort-field.js';
import { sampleFlow } from '../engine/flow/sample-flow.js';
import { noiseSourceFor } from '../engine/flow/noise-source.js';
import { DEFAULT_NOISE_SHAPE } from '../../shared/noise.js';

/**
 * Flow-matching figures for BENCHMARKS.md: time per training step by width, and the quality a
 * given wall-clock budget buys. Each function returns plain figures; the runner prints them.
 */
export interface StepTimeFigure {
  readonly width: number;
  readonly batchSize: number;
  readonly msPerStep: number;
}

export interface ScoreFigure {
  readonly seconds: number;
  readonly steps: number;
  readonly score: number;
  readonly tv: number;
  /** Wall-clock time to sample n points at t = 1 from the trained field. */
  readonly sampleSeconds: number;
}

/** ms per step (forward, backward, Adam, and drawing the batch) for each width, after a few warm-up steps; on TensorFlow.js unless a step backend is given. */
export async function benchStepTime(
  options: { widths?: readonly number[]; batchSize?: number; steps?: number; imagePath?: string; stepBackend?: FmStepBackend } = {},
): Promise<StepTimeFigure[]> {
  const density = await benchDensity(options.imagePath);
  const batchSize = options.batchSize ?? 2048;
  const steps = options.steps ?? 30;
  const figures: StepTimeFigure[] = [];
  for (const width of options.widths ?? [64, 128, 256]) {
    // Time from the progress of step 5 on: the first steps pay for kernel warm-up.
    let warmAt = 0;
    const model = await trainFlowMatching(density, { width, batchSize, steps: steps + 5, stepBackend: options.stepBackend }, {
      signal: noopJobContext.signal,
      progress: (p) => {
        if (p.metrics?.['step'] === 5) warmAt = performance.now();
      },
    });
    const msPerStep = (performance.now() - warmAt) / (model.training.steps - 5);
    figures.push({ width, batchSize, msPerStep });
  }
  return figures;
}

/** The score a budget buys: one independent run per budget, as a user choosing it would get. */
export async function benchTimeToScore(
  options: { budgets?: readonly number[]; imagePath?: string; n?: number; seed?: number; training?: FlowMatchingOptions } = {},
): Promise<ScoreFigure[]> {
  const density = await benchDensity(options.imagePath);
  const n = options.n ?? 20_000;
  const seed = options.seed ?? 1;
  // From the noise `train` and the app start from by default, as a user would get it.
  const noise = noiseSourceFor(DEFAULT_NOISE_SHAPE, density.mapping);
  const figures: ScoreFigure[] = [];
  for (const seconds of options.budgets ?? [30, 60, 120, 300]) {
    const model = await trainFlowMatching(density, { noise, ...options.training, seconds, seed }, noopJobContext);
    // Sampled as `eval` does: onnxruntime where it loads, the default solver.
    const { field } = await createInferenceField(model);
    try {
      const started = performance.now();
      const samples = await sampleFlow(field, n, { seed });
      const sampleSeconds = (performance.now() - started) / 1000;
      const report = evaluateSamples(density, samples, { seed });
      figures.push({ seconds, steps: model.training.steps, score: report.score, tv: report.tv, sampleSeconds });
    } finally {
      field.dispose();
    }
  }
  return figures;
}
