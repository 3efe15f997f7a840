import { colourDistance } from '../../../shared/render/colour.js';

/** Straight RGB, 0..255. */
export type Rgb = readonly [r: number, g: number, b: number];

/** What the outer ring of a picture's pixels says it sits on. */
export type DetectedBackground =
  | { readonly kind: 'transparent' }
  | {
      readonly kind: 'opaque';
      /** The ring's median colour, channel by channel. */
      readonly colour: Rgb;
      /**
       * Most of the ring is that colour: paper, a card, a screen. A photo's border is not
       * (sky above, ground below), and its "background" is no colour to measure mass from.
       */
      readonly clear: boolean;
      /** Median distance of the ring from its colour: JPEG and scanner noise, 0 for a clean picture. */
      readonly noise: number;
    };

/** Ring pixels within this colourDistance of the median count as background. */
const RING_TOLERANCE = 24;
/** The share of the ring that must be background for it to be clear. */
const CLEAR_SHARE = 0.6;

/**
 * The background of straight RGBA pixels (row-major, 4 bytes each): transparent when most of
 * the outer ring is not fully opaque (alpha varies there), else the ring's median colour.
 */
export function detectBackground(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): DetectedBackground {
  const ring = ringIndices(width, height);
  const alphas = ring.map((i) => rgba[4 * i + 3]!);
  if (median(alphas) < 255) return { kind: 'transparent' };
  const colour: Rgb = [0, 1, 2].map((k) => median(ring.map((i) => rgba[4 * i + k]!))) as unknown as Rgb;
  const distances = ring.map((i) => colourDistance(rgba[4 * i]!, rgba[4 * i + 1]!, rgba[4 * i + 2]!, colour[0], colour[1], colour[2]));
  const near = distances.filter((d) => d <= RING_TOLERANCE).length;
  return { kind: 'opaque', colour, clear: near >= CLEAR_SHARE * distances.length, noise: median(distances) };
}

function ringIndices(width: number, height: number): number[] {
  const out: number[] = [];
  for (let x = 0; x < width; x++) {
    out.push(x);
    if (height > 1) out.push((height - 1) * width + x);
  }
  for (let y = 1; y < height - 1; y++) {
    out.push(y * width);
    if (width > 1) out.push(y * width + width - 1);
  }
  return out;
}

function median(values: number[]): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
