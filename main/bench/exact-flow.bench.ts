import { DEFAULT_BENCH_IMAGE } from './bench-image.js';
import { loadDensity } from '../engine/image/load-density.js';
import { createExactFlow, prepareExactFlow } from '../engine/flow/exact-flow.js';
import { noopJobContext } from '../../shared/job.js';
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

/** Blurring a picture into the exact flow's levels: on this thread, then on worker threads. */
export interface LevelBuildFigure {
  readonly image: string;
  readonly width: number;
  readonly height: number;
  readonly levels: number;
  readonly threads: number;
  /** Medians over the rounds, each round timing both ways back to back. */
  readonly serialMs: number;
  readonly threadedMs: number;
}

export async function benchLevelBuild(imagePath: string, threads: number, rounds = 5): Promise<LevelBuildFigure> {
  const density = await loadDensity(imagePath);
  const serial: number[] = [];
  const threaded: number[] = [];
  let levels = 0;
  for (let round = 0; round < rounds; round++) {
    let start = performance.now();
    const here = createExactFlow(density);
    serial.push(performance.now() - start);
    levels = here.levels.length;
    here.dispose();
    start = performance.now();
    (await prepareExactFlow(density, {}, noopJobContext, threads)).dispose();
    threaded.push(performance.now() - start);
  }
  const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { image: imagePath, width: density.width, height: density.height, levels, threads, serialMs: median(serial), threadedMs: median(threaded) };
}
