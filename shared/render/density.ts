import { gaussianBlur } from './blur.js';
import { colourMapTable } from './colour-maps.js';
import { writeStraight } from './colour.js';
import type { RasterOptions } from './raster-options.js';
import type { RasterWorkspace } from './raster-workspace.js';
import { viewTransform } from './view.js';

/** Resolution of the density → colour table: finer than 8-bit output even after a gamma of 0.5. */
const LEVELS = 4096;
const HISTOGRAM_BINS = 2048;
/** Mapped values below this fade in from the background, so empty space stays the background. */
const FADE_IN = 0.1;

/**
 * Density mode: particles → bilinear histogram on the output grid → Gaussian smoothing →
 * normalised by a high percentile of the non-empty pixels (robust to a few piled-up pixels) →
 * gamma → colour map, faded in over the background.
 */
export function rasteriseDensity(
  positions: Float32Array | Float64Array,
  options: RasterOptions,
  out: Uint8ClampedArray,
  workspace: RasterWorkspace,
): void {
  const { width, height } = options;
  // One pixel of padding takes the bilinear taps of particles just off the edge without a branch.
  const stride = width + 2;
  const rows = height + 2;
  const grid = workspace.float32('density', stride * rows);
  grid.fill(0);
  const t = viewTransform(options.view, width, height);
  // Grid coordinates with pixel centres on integers, shifted by the padding.
  const sx = t.scale;
  const bx = t.offsetX + 0.5;
  const sy = -t.scale;
  const by = t.offsetY + 0.5;
  const n = positions.length >> 1;
  for (let i = 0; i < n; i++) {
    const u = positions[2 * i]! * sx + bx;
    const v = positions[2 * i + 1]! * sy + by;
    if (!(u >= 0 && u < width + 1 && v >= 0 && v < height + 1)) continue;
    const ix = u | 0;
    const iy = v | 0;
    const fx = u - ix;
    const fy = v - iy;
    const p = iy * stride + ix;
    grid[p] = grid[p]! + (1 - fx) * (1 - fy);
    grid[p + 1] = grid[p + 1]! + fx * (1 - fy);
    grid[p + stride] = grid[p + stride]! + (1 - fx) * fy;
    grid[p + stride + 1] = grid[p + stride + 1]! + fx * fy;
  }
  gaussianBlur(grid, workspace.float32('density-scratch', stride * rows), stride, rows, options.densitySmoothing);

  const reference = options.densityReference ?? percentileOfNonEmpty(grid, width, height, stride, options.densityPercentile ?? 0.99);
  workspace.lastDensityReference = reference > 0 ? reference : undefined;
  const table = compositeTable(options);
  const toLevel = reference > 0 ? (LEVELS - 1) / reference : 0;
  for (let y = 0; y < height; y++) {
    let p = (y + 1) * stride + 1;
    let o = 4 * y * width;
    for (let x = 0; x < width; x++, p++, o += 4) {
      const level = Math.min(LEVELS - 1, grid[p]! * toLevel) | 0;
      const c = 4 * level;
      out[o] = table[c]!;
      out[o + 1] = table[c + 1]!;
      out[o + 2] = table[c + 2]!;
      out[o + 3] = table[c + 3]!;
    }
  }
}

/** The q-quantile of the interior's positive values, from a histogram: O(pixels), no sort. */
function percentileOfNonEmpty(grid: Float32Array, width: number, height: number, stride: number, q: number): number {
  let max = 0;
  for (let y = 0; y < height; y++) {
    const row = (y + 1) * stride + 1;
    for (let x = 0; x < width; x++) if (grid[row + x]! > max) max = grid[row + x]!;
  }
  if (!(max > 0)) return 0;
  const counts = new Uint32Array(HISTOGRAM_BINS);
  const toBin = HISTOGRAM_BINS / max;
  let nonEmpty = 0;
  // Blur leaves float dust far from any particle; it is not "non-empty".
  const floor = max * 1e-6;
  for (let y = 0; y < height; y++) {
    const row = (y + 1) * stride + 1;
    for (let x = 0; x < width; x++) {
      const v = grid[row + x]!;
      if (v > floor) {
        counts[Math.min(HISTOGRAM_BINS - 1, (v * toBin) | 0)]!++;
        nonEmpty++;
      }
    }
  }
  const rank = Math.ceil(q * nonEmpty);
  let seen = 0;
  for (let b = 0; b < HISTOGRAM_BINS; b++) {
    seen += counts[b]!;
    if (seen >= rank) return ((b + 1) / HISTOGRAM_BINS) * max;
  }
  return max;
}

const tableCache = { key: '', table: new Uint8ClampedArray(0) };

/** Final RGBA for each density level: gamma, colour map and background folded into one lookup. */
function compositeTable(options: RasterOptions): Uint8ClampedArray {
  const gamma = options.densityGamma ?? 0.5;
  const key = `${options.colourMap}|${gamma}|${options.background.join(',')}`;
  if (tableCache.key === key) return tableCache.table;
  const map = colourMapTable(options.colourMap);
  const [br, bg, bb, ba255] = options.background;
  const ba = ba255 / 255;
  const table = new Uint8ClampedArray(4 * LEVELS);
  for (let level = 0; level < LEVELS; level++) {
    const v = (level / (LEVELS - 1)) ** gamma;
    const m = 3 * Math.round(v * 255);
    const a = Math.min(1, v / FADE_IN);
    const under = (1 - a) * ba;
    writeStraight(table, 4 * level, a * map[m]! + under * br, a * map[m + 1]! + under * bg, a * map[m + 2]! + under * bb, a + under);
  }
  tableCache.key = key;
  tableCache.table = table;
  return table;
}
