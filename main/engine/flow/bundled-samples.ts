import type { ImageDensity } from '../image/density.js';
import { createDensity } from '../image/create-density.js';
import { defaultDensityOptions } from '../image/density.js';
import { loadDensity } from '../image/load-density.js';
import { bundledSamplePath, type BundledSample } from '../image/samples.js';

/** A bundled sample of resources/samples, loaded as the app would; for tests and benches. */
export function loadBundledSample(name: BundledSample, maxSide?: number): Promise<ImageDensity> {
  return loadDensity(bundledSamplePath(name), maxSide === undefined ? {} : { maxSide });
}

/**
 * A density from a weight function over a width × height grid, for tests that need shapes a
 * picture file would hide (two far blobs, one pixel, a thin line).
 */
export function syntheticDensity(width: number, height: number, weight: (col: number, row: number) => number): ImageDensity {
  const probabilities = new Float64Array(width * height);
  let total = 0;
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const w = Math.max(0, weight(i, j));
      probabilities[j * width + i] = w;
      total += w;
    }
  }
  if (!(total > 0)) throw new RangeError('a synthetic density needs some mass');
  for (let k = 0; k < probabilities.length; k++) probabilities[k]! /= total;
  return createDensity({
    source: { path: 'synthetic', sha256: '', format: 'synthetic' },
    options: defaultDensityOptions,
    originalWidth: width,
    originalHeight: height,
    width,
    height,
    probabilities,
    colours: new Uint8ClampedArray(4 * width * height).fill(255),
  });
}
