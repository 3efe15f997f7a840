import type { ImageDensity } from '../engine/image/density.js';
import { loadDensity } from '../engine/image/load-density.js';
import { bundledSamplePath } from '../engine/image/samples.js';

/** The picture a bench measures when none is given: a bundled sample, so benches run anywhere. */
export const DEFAULT_BENCH_IMAGE = bundledSamplePath('flowgif-mark.png');

export function benchDensity(imagePath: string = DEFAULT_BENCH_IMAGE): Promise<ImageDensity> {
  return loadDensity(imagePath);
}
