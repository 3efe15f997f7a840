import { noopJobContext, type JobContext } from '../../../shared/job.js';
import { createRandom, gaussianPoints } from '../../../shared/random.js';
import type { ImageDensity } from '../image/density.js';
import { MODEL_HALF_EXTENT } from '../image/mapping.js';
import { sampleDensity } from '../image/alias-sampler.js';
import { centreMoments } from '../flow/density-moments.js';
import { sampleFlow } from '../flow/sample-flow.js';
import type { AsyncVelocityField, VelocityField } from '../flow/velocity-field.js';
import type { OdeMethod } from '../ode/integrate.js';
import { DEFAULT_BINS, histogramOf, totalVariation } from './histogram.js';
import { referenceHistogram } from './reference-histogram.js';

/**
 * DESIGN §2 "Quality": TV distance to the picture, placed between its two floors.
 * score = (tv - tvTrue) / (tvBlob - tvTrue): 0 is as good as true samples of the same count,
 * 1 is no better than a Gaussian blob over the picture.
 */
export interface QualityReport {
  readonly tv: number;
  /** TV of n true samples of the density: what finite n alone costs. */
  readonly tvTrue: number;
  /** TV of n samples of an isotropic blob, std side/8, centred on the density's mean. */
  readonly tvBlob: number;
  readonly score: number;
  readonly n: number;
  readonly bins: number;
}

export interface QualityOptions {
  readonly bins?: number;
  /** Seeds the floors' samples; the same seed gives the same floors. */
  readonly seed?: number;
}

/** The blob's std as a fraction of the longer side of the picture (8 model units). */
const BLOB_STD = (2 * MODEL_HALF_EXTENT) / 8;

// The floors get their own streams, so a caller who seeds its model's noise with the same seed
// does not correlate it with the true samples.
const TRUE_STREAM = 0x7a3b1c5d;
const BLOB_STREAM = 0x1f2e3d4c;

export function evaluateSamples(density: ImageDensity, samples: Float64Array, options: QualityOptions = {}): QualityReport {
  const bins = options.bins ?? DEFAULT_BINS;
  const seed = options.seed ?? 0;
  const n = samples.length >> 1;
  if (n === 0) throw new RangeError('evaluateSamples needs at least one sample');
  const reference = referenceHistogram(density, bins);
  const tv = totalVariation(histogramOf(samples, bins), reference);
  const truth = sampleDensity(density, n, createRandom(seed ^ TRUE_STREAM));
  const tvTrue = totalVariation(histogramOf(truth, bins), reference);
  const tvBlob = totalVariation(histogramOf(blobSamples(density, n, seed ^ BLOB_STREAM), bins), reference);
  return { tv, tvTrue, tvBlob, score: (tv - tvTrue) / (tvBlob - tvTrue), n, bins };
}

/** n points of the score's "1" reference: N(mean, (side/8)² I). */
export function blobSamples(density: ImageDensity, n: number, seed: number): Float64Array {
  const { meanX, meanY } = centreMoments(density);
  const points = gaussianPoints(n, createRandom(seed));
  for (let i = 0; i < points.length; i += 2) {
    points[i] = meanX + BLOB_STD * points[i]!;
    points[i + 1] = meanY + BLOB_STD * points[i + 1]!;
  }
  return points;
}

export interface FieldQualityOptions extends QualityOptions {
  /** Samples drawn from the field at t = 1. Default 20 000, the count DESIGN's figures use. */
  readonly n?: number;
  readonly method?: OdeMethod;
  readonly steps?: number;
  readonly warp?: number;
  /** Turns of swirl on the way (swirl.ts): the paths change, the density should not. */
  readonly swirl?: number;
}

/** The score of any velocity field: n samples at t = 1 through sampleFlow, then evaluateSamples. */
export async function evaluateField(
  density: ImageDensity,
  field: VelocityField | AsyncVelocityField,
  options: FieldQualityOptions = {},
  ctx: JobContext = noopJobContext,
): Promise<QualityReport> {
  const { n = 20_000, seed = 0, bins, method, steps, warp, swirl } = options;
  const samples = await sampleFlow(field, n, { t: 1, seed, method, steps, warp, swirl }, ctx);
  ctx.progress({ stage: 'evaluate', done: 0, total: 1 });
  const report = evaluateSamples(density, samples, { seed, ...(bins === undefined ? {} : { bins }) });
  ctx.progress({ stage: 'evaluate', done: 1, total: 1, metrics: { score: report.score, tv: report.tv } });
  return report;
}
