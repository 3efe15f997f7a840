import { colourDistance } from '../../../shared/render/colour.js';
import type { Rgb } from './background.js';

/** How far (in pixels) an edge pixel looks for the solid ink it is a blend of. */
const NEIGHBOURHOOD = 2;
/** Neighbours count as the same ink when their difference from the background points the same way. */
const SAME_INK_COSINE = 0.9;
/** Coverage below this is not undone further: 1/0.1 = ×10 is already far beyond anti-aliasing's faintest useful edge. */
const MIN_COVERAGE = 0.1;

/**
 * Each pixel's ink with its anti-aliasing undone, on an opaque background b. An edge pixel is
 * p = α·ink + (1 − α)·b; its coverage α is estimated as its distance from b relative to the
 * most distant nearby pixel of the same ink (its difference from b parallel to p's), and the ink
 * is b + (p − b)/α: the colour pushed away from the background. Solid pixels (α = 1) keep their
 * own colour; a 1 px line with no solid pixel keeps its strongest pixel's colour.
 */
export function unmixInk(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, background: Rgb): Uint8ClampedArray {
  const [br, bg, bb] = background;
  const n = width * height;
  const distance = new Float32Array(n);
  // Length of each pixel's RGB difference from the background, for the same-ink test.
  const length = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const dr = rgba[4 * i]! - br, dg = rgba[4 * i + 1]! - bg, db = rgba[4 * i + 2]! - bb;
    distance[i] = colourDistance(rgba[4 * i]!, rgba[4 * i + 1]!, rgba[4 * i + 2]!, br, bg, bb);
    length[i] = Math.sqrt(dr * dr + dg * dg + db * db);
  }
  const out = new Uint8ClampedArray(4 * n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const o = 4 * i;
      const dr = rgba[o]! - br, dg = rgba[o + 1]! - bg, db = rgba[o + 2]! - bb;
      const own = distance[i]!;
      let solid = own;
      if (own > 0) {
        const reach = SAME_INK_COSINE * length[i]!;
        for (let v = Math.max(0, y - NEIGHBOURHOOD); v <= Math.min(height - 1, y + NEIGHBOURHOOD); v++) {
          for (let u = Math.max(0, x - NEIGHBOURHOOD); u <= Math.min(width - 1, x + NEIGHBOURHOOD); u++) {
            const j = v * width + u;
            if (distance[j]! <= solid) continue;
            const q = 4 * j;
            const er = rgba[q]! - br, eg = rgba[q + 1]! - bg, eb = rgba[q + 2]! - bb;
            if (dr * er + dg * eg + db * eb >= reach * length[j]!) solid = distance[j]!;
          }
        }
      }
      const gain = own > 0 ? 1 / Math.max(MIN_COVERAGE, own / solid) : 1;
      out[o] = br + dr * gain;
      out[o + 1] = bg + dg * gain;
      out[o + 2] = bb + db * gain;
      out[o + 3] = 255;
    }
  }
  return out;
}
