import path from 'node:path';
import { noopJobContext } from '../../shared/job.js';
import { DEFAULT_NOISE_SHAPE } from '../../shared/noise.js';
import { loadDensity } from '../engine/image/load-density.js';
import { prepareImageFlow } from '../engine/pipeline/flow-source.js';
import { previewFlow } from '../engine/pipeline/preview-flow.js';
import { PREVIEW_PASSES } from './preview.bench.js';

/**
 * The app's preview of a picture's exact flow in the engine (no window, no transport): its blur
 * levels, then the coarse and the full pass, on this thread alone against the kept solver
 * threads (main/engine/threads/). Rounds alternate the two, after one warm round of each, so
 * both meet the same machine and warm code; figures are medians.
 */
export interface PreviewThreadsFigure {
  readonly sample: string;
  readonly threads: number;
  readonly flowMs: number;
  readonly passMs: readonly number[];
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** `pictures`: paths; each figure names its picture's file. */
export async function benchPreviewThreads(options: { pictures: readonly string[]; threads: number; rounds: number }): Promise<PreviewThreadsFigure[]> {
  const figures: PreviewThreadsFigure[] = [];
  for (const picture of options.pictures) {
    const sample = path.basename(picture);
    const density = await loadDensity(picture);
    const runs = new Map<number, { flow: number[]; passes: number[][] }>();
    for (let round = 0; round <= options.rounds; round++) {
      for (const threads of [0, options.threads]) {
        const started = performance.now();
        const field = await prepareImageFlow(density, DEFAULT_NOISE_SHAPE, noopJobContext, threads);
        const flowMs = performance.now() - started;
        const passMs: number[] = [];
        for (const particles of PREVIEW_PASSES) {
          const passStart = performance.now();
          await previewFlow({ field, density, model: undefined }, { particles, seed: 0, threads }, noopJobContext);
          passMs.push(performance.now() - passStart);
        }
        field.dispose();
        if (round === 0) continue;
        const run = runs.get(threads) ?? { flow: [], passes: PREVIEW_PASSES.map(() => []) };
        run.flow.push(flowMs);
        passMs.forEach((ms, i) => run.passes[i]!.push(ms));
        runs.set(threads, run);
      }
    }
    for (const [threads, run] of runs) figures.push({ sample, threads, flowMs: median(run.flow), passMs: run.passes.map(median) });
  }
  return figures;
}
