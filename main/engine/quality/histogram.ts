import { MODEL_HALF_EXTENT } from '../image/mapping.js';

/**
 * A B×B histogram over the square [-4, 4]² of model space (the longer side of the picture),
 * as fractions of all samples. Row 0 is the top (y = +4), like an image. Mass that falls
 * outside the square is kept apart in `outside`, so a sampler that throws points away from
 * the picture is charged for them rather than renormalised.
 */
export interface Histogram {
  readonly bins: number;
  /** bins × bins fractions, row-major from the top-left. */
  readonly mass: Float64Array;
  /** Fraction of the total outside the square. */
  readonly outside: number;
}

export const DEFAULT_BINS = 64;

/** Histogram of interleaved model-space points; non-finite points count as outside. */
export function histogramOf(points: Float64Array, bins: number = DEFAULT_BINS): Histogram {
  checkBins(bins);
  const n = points.length >> 1;
  const mass = new Float64Array(bins * bins);
  if (n === 0) return { bins, mass, outside: 0 };
  const scale = bins / (2 * MODEL_HALF_EXTENT);
  const weight = 1 / n;
  let outside = 0;
  for (let i = 0; i < n; i++) {
    const bx = Math.floor((points[2 * i]! + MODEL_HALF_EXTENT) * scale);
    const by = Math.floor((MODEL_HALF_EXTENT - points[2 * i + 1]!) * scale);
    // Written so that NaN fails the test and lands outside.
    if (bx >= 0 && bx < bins && by >= 0 && by < bins) mass[by * bins + bx]! += weight;
    else outside += weight;
  }
  return { bins, mass, outside };
}

/** Total variation distance, the outside mass counted as one more bin. */
export function totalVariation(a: Histogram, b: Histogram): number {
  if (a.bins !== b.bins) throw new RangeError(`histograms differ in size: ${a.bins} vs ${b.bins} bins`);
  let sum = Math.abs(a.outside - b.outside);
  for (let i = 0; i < a.mass.length; i++) sum += Math.abs(a.mass[i]! - b.mass[i]!);
  return 0.5 * sum;
}

export function checkBins(bins: number): void {
  if (!Number.isInteger(bins) || bins < 1 || bins > 4096) {
    throw new RangeError(`bins must be an integer in [1, 4096], got ${bins}`);
  }
}
