import type { ImageDensity } from '../image/density.js';
import { MODEL_HALF_EXTENT, pixelCentreToModel } from '../image/mapping.js';
import { checkBins, DEFAULT_BINS, type Histogram } from './histogram.js';
import { normalCdf } from './normal-cdf.js';

const cache = new WeakMap<ImageDensity, Map<number, Histogram>>();

/**
 * The histogram the density's samples converge to: every pixel's Gaussian component spread over
 * the bins exactly, through the normal CDF per axis. Isotropic components are separable, so
 * the bins are (rows → y-bins)ᵀ · probabilities · (columns → x-bins); a component reaches
 * only the few bins within a few jitter stds of its centre.
 */
export function referenceHistogram(density: ImageDensity, bins: number = DEFAULT_BINS): Histogram {
  checkBins(bins);
  let perBins = cache.get(density);
  const cached = perBins?.get(bins);
  if (cached !== undefined) return cached;
  const { width, height, probabilities, jitterStd: sigma, mapping } = density;
  const columns = axisSpread(width, bins, sigma, (i) => pixelCentreToModel(mapping, i, 0)[0]);
  // Bins count rows from the top (y = +4), so spread -y, which grows with the row index.
  const rows = axisSpread(height, bins, sigma, (j) => -pixelCentreToModel(mapping, 0, j)[1]);

  const rowByBin = new Float64Array(height * bins);
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const p = probabilities[j * width + i]!;
      if (p === 0) continue;
      for (let k = columns.first[i]!; k <= columns.last[i]!; k++) {
        rowByBin[j * bins + k]! += p * columns.weight[i * bins + k]!;
      }
    }
  }
  const mass = new Float64Array(bins * bins);
  for (let j = 0; j < height; j++) {
    for (let by = rows.first[j]!; by <= rows.last[j]!; by++) {
      const w = rows.weight[j * bins + by]!;
      for (let bx = 0; bx < bins; bx++) mass[by * bins + bx]! += w * rowByBin[j * bins + bx]!;
    }
  }
  let inside = 0;
  for (let i = 0; i < mass.length; i++) inside += mass[i]!;
  const histogram: Histogram = { bins, mass, outside: Math.max(0, 1 - inside) };
  if (perBins === undefined) {
    perBins = new Map();
    cache.set(density, perBins);
  }
  perBins.set(bins, histogram);
  return histogram;
}

interface AxisSpread {
  /** count × bins: the share of a component that falls in each bin. */
  readonly weight: Float64Array;
  readonly first: Int32Array;
  readonly last: Int32Array;
}

function axisSpread(count: number, bins: number, sigma: number, centre: (i: number) => number): AxisSpread {
  const binWidth = (2 * MODEL_HALF_EXTENT) / bins;
  // Beyond 8 std the CDF differs from 0 or 1 by < 1e-15.
  const reach = 8 * sigma;
  const weight = new Float64Array(count * bins);
  const first = new Int32Array(count);
  const last = new Int32Array(count).fill(-1);
  for (let i = 0; i < count; i++) {
    const c = centre(i);
    const k0 = Math.max(0, Math.floor((c - reach + MODEL_HALF_EXTENT) / binWidth));
    const k1 = Math.min(bins - 1, Math.floor((c + reach + MODEL_HALF_EXTENT) / binWidth));
    first[i] = k0;
    last[i] = k1;
    for (let k = k0; k <= k1; k++) {
      const lo = -MODEL_HALF_EXTENT + k * binWidth;
      weight[i * bins + k] = normalCdf((lo + binWidth - c) / sigma) - normalCdf((lo - c) / sigma);
    }
  }
  return { weight, first, last };
}
