import type { NoiseShape } from '../../../shared/noise.js';
import type { Random } from '../../../shared/random.js';
import type { ImageMapping } from '../image/density.js';

/**
 * The distribution x₀ ~ N(0, diag(stdX², stdY²)) a flow carries to the picture. It travels
 * with the flow (field, trained model, .flow file): whoever draws start points or evaluates a
 * likelihood must use the source the flow was built or trained with.
 */
export interface NoiseSource {
  readonly shape: NoiseShape;
  readonly stdX: number;
  readonly stdY: number;
}

/** The seed's N(0, I): what every flow used before 'fitted', and what older .flow files hold. */
export const ROUND_NOISE: NoiseSource = Object.freeze({ shape: 'round', stdX: 1, stdY: 1 });

/**
 * The short axis's std never drops below this share of the long one. Past 64:1 a strip's
 * short side is a pixel or two of output, so a thinner cloud fits it no better, while the
 * flows pay for the spread between the axes: measured on a 65 535 × 1 strip (512 × 1 working),
 * the exact flow's 20 000 samples took 1.1 s at the strip's own ratio (1/512) and 0.6 s at
 * 1/64 (0.14 s round), with the same quality score (0.001); flow matching's targets and
 * FFJORD's score scale with 1/std along that axis.
 */
export const MIN_NOISE_STD_RATIO = 1 / 64;

/**
 * The source of the given shape for a picture: the longer side spans [-4, 4] in model space
 * with std 1, as the round source does, and the shorter side gets std short/long (a square
 * picture keeps exactly N(0, I)).
 */
export function noiseSourceFor(shape: NoiseShape, mapping: ImageMapping): NoiseSource {
  if (shape === 'round') return ROUND_NOISE;
  const w = mapping.workingWidth;
  const h = mapping.workingHeight;
  const long = Math.max(w, h);
  const ratio = (side: number): number => Math.max(MIN_NOISE_STD_RATIO, side / long);
  return { shape, stdX: ratio(w), stdY: ratio(h) };
}

/** n start points drawn from the source, interleaved x, y (the same stream as gaussianPoints). */
export function sampleNoise(source: NoiseSource, n: number, random: Random): Float64Array {
  const out = new Float64Array(2 * n);
  for (let i = 0; i < out.length; i += 2) {
    out[i] = source.stdX * random.normal();
    out[i + 1] = source.stdY * random.normal();
  }
  return out;
}

/** Whether two sources are the same distribution (a distillation target must match its model). */
export function sameNoise(a: NoiseSource, b: NoiseSource): boolean {
  return a.stdX === b.stdX && a.stdY === b.stdY;
}
