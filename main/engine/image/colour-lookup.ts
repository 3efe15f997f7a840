import { gaussianBlur } from '../../../shared/render/blur.js';
import type { ImageDensity, ImageMapping } from './density.js';

/**
 * Row-major index of the working pixel under a model-space point. Points off the picture (a
 * particle that lands outside, a blurry early frame) take the nearest edge pixel, so every
 * particle gets some colour.
 */
export function workingPixelIndexAt(mapping: ImageMapping, modelX: number, modelY: number): number {
  const { workingWidth: w, workingHeight: h, modelPerPixel: p } = mapping;
  const col = clampIndex(Math.floor(modelX / p + w / 2), w);
  const row = clampIndex(Math.floor(h / 2 - modelY / p), h);
  return row * w + col;
}

/**
 * RGBA (4 bytes per point) of the ink a particle at each interleaved model-space point takes:
 * the posterior mean ink of the mixture's components there (see InkLookup). A point beside a
 * thin stroke takes the stroke's colour, never the paper's.
 */
export function coloursAt(density: ImageDensity, modelXY: Float64Array): Uint8ClampedArray {
  const lookup = inkLookup(density);
  const n = modelXY.length >> 1;
  const out = new Uint8ClampedArray(4 * n);
  for (let i = 0; i < n; i++) lookup.inkInto(workingPixelIndexAt(density.mapping, modelXY[2 * i]!, modelXY[2 * i + 1]!), out, 4 * i);
  return out;
}

/** Blurred mass below this share of its peak counts as none: float32 blurs leave dust far out. */
const NO_MASS = 1e-7;

/**
 * The posterior mean ink at a working pixel, c(x) = Σ πᵢ N(x; mᵢ, σ²) inkᵢ / Σ πᵢ N(x; mᵢ, σ²):
 * a blur of (mass × ink) over a blur of mass at the mixture's σ, so a pixel with no mass never
 * lends its colour. Where no mass lies within a few σ (a stray particle of a poor model), the
 * nearest ink stands in: sums of mass and mass × ink over ever larger blocks (a 2 × 2 pyramid)
 * around the pixel, first with mass; past the whole picture, its mean ink. Built once per density.
 */
export class InkLookup {
  readonly #width: number;
  readonly #height: number;
  /** RGBA at the mixture's σ; alpha 0 where the blurred mass is none. */
  readonly #near: Uint8ClampedArray;
  /** Level k: (mass, mass·r, mass·g, mass·b) summed over 2ᵏ × 2ᵏ blocks, k = 1, 2, … */
  readonly #levels: { readonly width: number; readonly height: number; readonly sums: Float64Array }[] = [];
  readonly #mean: ImageDensity['inkColour'];

  constructor(density: ImageDensity) {
    const { width, height, probabilities, colours } = density;
    this.#width = width;
    this.#height = height;
    this.#mean = density.inkColour;
    const n = width * height;
    const mass = new Float32Array(n);
    const channels = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
    const scratch = new Float32Array(n);
    let sums = new Float64Array(4 * n);
    for (let i = 0; i < n; i++) {
      const p = probabilities[i]!;
      mass[i] = p;
      sums[4 * i] = p;
      for (let k = 0; k < 3; k++) {
        channels[k]![i] = p * colours[4 * i + k]!;
        sums[4 * i + k + 1] = p * colours[4 * i + k]!;
      }
    }
    gaussianBlur(mass, scratch, width, height, density.jitterStd / density.mapping.modelPerPixel);
    for (const channel of channels) gaussianBlur(channel, scratch, width, height, density.jitterStd / density.mapping.modelPerPixel);
    let peak = 0;
    for (let i = 0; i < n; i++) if (mass[i]! > peak) peak = mass[i]!;
    this.#near = new Uint8ClampedArray(4 * n);
    for (let i = 0; i < n; i++) {
      if (!(mass[i]! > NO_MASS * peak)) continue;
      for (let k = 0; k < 3; k++) this.#near[4 * i + k] = channels[k]![i]! / mass[i]!;
      this.#near[4 * i + 3] = 255;
    }
    let w = width;
    let h = height;
    while (w > 1 || h > 1) {
      const cw = Math.ceil(w / 2);
      const ch = Math.ceil(h / 2);
      const coarse = new Float64Array(4 * cw * ch);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const s = 4 * (y * w + x);
          const d = 4 * ((y >> 1) * cw + (x >> 1));
          for (let k = 0; k < 4; k++) coarse[d + k]! += sums[s + k]!;
        }
      }
      this.#levels.push({ width: cw, height: ch, sums: coarse });
      sums = coarse;
      w = cw;
      h = ch;
    }
  }

  /** Writes the ink at working pixel `pixel` as RGBA into `out` at `offset`. */
  inkInto(pixel: number, out: Uint8ClampedArray, offset: number): void {
    const s = 4 * pixel;
    if (this.#near[s + 3] === 255) {
      out[offset] = this.#near[s]!;
      out[offset + 1] = this.#near[s + 1]!;
      out[offset + 2] = this.#near[s + 2]!;
      out[offset + 3] = 255;
      return;
    }
    const x = pixel % this.#width;
    const y = (pixel - x) / this.#width;
    for (let k = 0; k < this.#levels.length; k++) {
      const { width, height, sums } = this.#levels[k]!;
      const bx = x >> (k + 1);
      const by = y >> (k + 1);
      let m = 0, r = 0, g = 0, b = 0;
      // The block and its eight neighbours, so a pixel at a block's edge sees ink just across it.
      for (let v = Math.max(0, by - 1); v <= Math.min(height - 1, by + 1); v++) {
        for (let u = Math.max(0, bx - 1); u <= Math.min(width - 1, bx + 1); u++) {
          const q = 4 * (v * width + u);
          m += sums[q]!;
          r += sums[q + 1]!;
          g += sums[q + 2]!;
          b += sums[q + 3]!;
        }
      }
      if (m > 0) {
        out[offset] = r / m;
        out[offset + 1] = g / m;
        out[offset + 2] = b / m;
        out[offset + 3] = 255;
        return;
      }
    }
    out.set(this.#mean, offset);
  }
}

const cache = new WeakMap<ImageDensity, InkLookup>();

export function inkLookup(density: ImageDensity): InkLookup {
  let lookup = cache.get(density);
  if (lookup === undefined) {
    lookup = new InkLookup(density);
    cache.set(density, lookup);
  }
  return lookup;
}

function clampIndex(i: number, size: number): number {
  // NaN (a diverged particle) lands on pixel 0 rather than poisoning an index.
  return i >= 0 ? (i < size ? i : size - 1) : 0;
}
