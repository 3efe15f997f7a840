import { DEFAULT_BENCH_IMAGE } from './bench-image.js';
import { loadDensity } from '../engine/image/load-density.js';
import { createExactFlow } from '../engine/flow/exact-flow.js';
import { defaultSampleOptions, sampleFlow, type SampleFlowOptions } from '../engine/flow/sample-flow.js';
import { evaluateSamples } from '../engine/quality/tv-score.js';

/**
 * The exact flow end to end in one process, as the instant preview runs it: load the picture,
 * precompute the blur levels, sample n points at t = 1, score them. Pass FFJORD's octocat
 * (samples/github.png) as imagePath for DESIGN's reference figure; the default is a bundled
 * sample so the bench runs anywhere.
 */
export interface ExactFlowFigure {
  readonly image: string;
  readonly width: number;
  readonly height: number;
  readonly n: number;
  readonly method: string;
  readonly steps: number | undefined;
  readonly warp: number;
  readonly loadMs: number;
  readonly precomputeMs: number;
  readonly sampleMs: number;
  readonly totalMs: number;
  readonly score: number;
  readonly tv: number;
  readonly tvTrue: number;
  readonly tvBlob: number;
}

export async function benchExactFlow(
  options: { imagePath?: string; n?: number; seed?: number; sample?: Omit<SampleFlowOptions, 't' | 'seed'> } = {},
): Promise<ExactFlowFigure> {
  const image = options.imagePath ?? DEFAULT_BENCH_IMAGE;
  const n = options.n ?? 20_000;
  const seed = options.seed ?? 1;
  const sample = { ...defaultSampleOptions, ...options.sample };
  const start = performance.now();
  const density = await loadDensity(image);
  const loaded = performance.now();
  const flow = createExactFlow(density);
  const prepared = performance.now();
  const points = await sampleFlow(flow, n, { ...sample, seed });
  const sampled = performance.now();
  const report = evaluateSamples(density, points, { seed });
  flow.dispose();
  return {
    image,
    width: density.width,
    height: density.height,
    n,
    method: sample.method,
    steps: sample.steps,
    warp: sample.warp,
    loadMs: loaded - start,
    precomputeMs: prepared - loaded,
    sampleMs: sampled - prepared,
    totalMs: sampled - start,
    score: report.score,
    tv: report.tv,
    tvTrue: report.tvTrue,
    tvBlob: report.tvBlob,
  };
}
