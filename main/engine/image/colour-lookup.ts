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

/** RGBA (4 bytes per point) of the working pixel under each interleaved model-space point. */
export function coloursAt(density: ImageDensity, modelXY: Float64Array): Uint8ClampedArray {
  const n = modelXY.length >> 1;
  const out = new Uint8ClampedArray(4 * n);
  for (let i = 0; i < n; i++) {
    copyColour(density.colours, workingPixelIndexAt(density.mapping, modelXY[2 * i]!, modelXY[2 * i + 1]!), out, i);
  }
  return out;
}

/** RGBA of given working pixels, e.g. the pixels sampleDensityWithIndices drew from. */
export function coloursOfIndices(density: ImageDensity, indices: Uint32Array): Uint8ClampedArray {
  const out = new Uint8ClampedArray(4 * indices.length);
  for (let i = 0; i < indices.length; i++) copyColour(density.colours, indices[i]!, out, i);
  return out;
}

function copyColour(colours: Uint8ClampedArray, pixel: number, out: Uint8ClampedArray, i: number): void {
  const s = 4 * pixel;
  const d = 4 * i;
  out[d] = colours[s]!;
  out[d + 1] = colours[s + 1]!;
  out[d + 2] = colours[s + 2]!;
  out[d + 3] = colours[s + 3]!;
}

function clampIndex(i: number, size: number): number {
  // NaN (a diverged particle) lands on pixel 0 rather than poisoning an index.
  return i >= 0 ? (i < size ? i : size - 1) : 0;
}
