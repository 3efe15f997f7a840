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
 * the posterior mean ink of the mixture's components there (inkMap). A point beside a thin
 * stroke takes the stroke's colour, never the paper's.
 */
export function coloursAt(density: ImageDensity, modelXY: Float64Array): Uint8ClampedArray {
  const map = inkMap(density);
  const n = modelXY.length >> 1;
  const out = new Uint8ClampedArray(4 * n);
  for (let i = 0; i < n; i++) {
    const s = 4 * workingPixelIndexAt(density.mapping, modelXY[2 * i]!, modelXY[2 * i + 1]!);
    out.set(map.subarray(s, s + 4), 4 * i);
  }
  return out;
}

/**
 * Blur widths in working pixels after the mixture's own σ: where no mass lies within a few σ
 * (a stray particle of a poor model), a wider neighbourhood's ink stands in for the nearest,
 * and past the widest the picture's mean ink.
 */
const FALLBACK_SIGMAS = [3, 12];
/** Blurred mass below this share of its peak counts as none: float32 blurs leave dust far out. */
const NO_MASS = 1e-7;

const cache = new WeakMap<ImageDensity, Uint8ClampedArray>();

/**
 * The posterior mean ink on the working grid, c(x) = Σ πᵢ N(x; mᵢ, σ²) inkᵢ / Σ πᵢ N(x; mᵢ, σ²):
 * a blur of (mass × ink) over a blur of mass, so a pixel with no mass never lends its colour.
 * Computed once per density.
 */
export function inkMap(density: ImageDensity): Uint8ClampedArray {
  const cached = cache.get(density);
  if (cached !== undefined) return cached;
  const { width, height, probabilities, colours } = density;
  const n = width * height;
  const out = new Uint8ClampedArray(4 * n);
  const filled = new Uint8Array(n);
  let left = n;
  const mass = new Float32Array(n);
  const channels = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const scratch = new Float32Array(n);
  const mixtureSigma = density.jitterStd / density.mapping.modelPerPixel;
  for (const sigma of [mixtureSigma, ...FALLBACK_SIGMAS]) {
    for (let i = 0; i < n; i++) {
      const p = probabilities[i]!;
      mass[i] = p;
      for (let k = 0; k < 3; k++) channels[k]![i] = p * colours[4 * i + k]!;
    }
    gaussianBlur(mass, scratch, width, height, sigma);
    for (const channel of channels) gaussianBlur(channel, scratch, width, height, sigma);
    let peak = 0;
    for (let i = 0; i < n; i++) if (mass[i]! > peak) peak = mass[i]!;
    const floor = NO_MASS * peak;
    for (let i = 0; i < n; i++) {
      if (filled[i] === 1 || !(mass[i]! > floor)) continue;
      for (let k = 0; k < 3; k++) out[4 * i + k] = channels[k]![i]! / mass[i]!;
      out[4 * i + 3] = 255;
      filled[i] = 1;
      left--;
    }
    if (left === 0) break;
  }
  if (left > 0) {
    const [r, g, b, a] = density.inkColour;
    for (let i = 0; i < n; i++) {
      if (filled[i] === 1) continue;
      out[4 * i] = r;
      out[4 * i + 1] = g;
      out[4 * i + 2] = b;
      out[4 * i + 3] = a;
    }
  }
  cache.set(density, out);
  return out;
}

function clampIndex(i: number, size: number): number {
  // NaN (a diverged particle) lands on pixel 0 rather than poisoning an index.
  return i >= 0 ? (i < size ? i : size - 1) : 0;
}
