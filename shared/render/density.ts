import { gaussianBlur } from './blur.js';
import { colourMapTable } from './colour-maps.js';
import { writeStraight, type Rgba } from './colour.js';
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
 * normalised by a high percentile of the non-empty pixels (robust to a few piled-up pixels), or
 * by options.densityReference → gamma → shade.
 *
 * Shade: without colours, the colour map, faded in over the background. With per-particle
 * colours (or one tint), each pixel takes the density-weighted mean colour of the particles
 * near it, blended over the background by the map's brightness profile: how far the map has
 * come from its first colour toward its last at that density. So the map sets how strongly ink
 * shows (ink: linear; magma: slow then fast) and the particles say which ink.
 */
export function rasteriseDensity(
  positions: Float32Array | Float64Array,
  colours: Uint8Array | Uint8ClampedArray | undefined,
  tint: Rgba | undefined,
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
  // Colour-weighted sums (r, g, b interleaved), only for per-particle colours: a tint is one colour.
  const sums = colours === undefined ? undefined : workspace.float32('density-rgb', 3 * stride * rows);
  sums?.fill(0);
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
    const w00 = (1 - fx) * (1 - fy);
    const w10 = fx * (1 - fy);
    const w01 = (1 - fx) * fy;
    const w11 = fx * fy;
    grid[p] = grid[p]! + w00;
    grid[p + 1] = grid[p + 1]! + w10;
    grid[p + stride] = grid[p + stride]! + w01;
    grid[p + stride + 1] = grid[p + stride + 1]! + w11;
    if (sums !== undefined) {
      const r = colours![4 * i]!;
      const g = colours![4 * i + 1]!;
      const b = colours![4 * i + 2]!;
      addRgb(sums, 3 * p, r, g, b, w00);
      addRgb(sums, 3 * (p + 1), r, g, b, w10);
      addRgb(sums, 3 * (p + stride), r, g, b, w01);
      addRgb(sums, 3 * (p + stride + 1), r, g, b, w11);
    }
  }
  const scratch = workspace.float32('density-scratch', stride * rows);
  gaussianBlur(grid, scratch, stride, rows, options.densitySmoothing);

  const reference = options.densityReference ?? percentileOfNonEmpty(grid, width, height, stride, options.densityPercentile ?? 0.99);
  workspace.lastDensityReference = reference > 0 ? reference : undefined;
  const toLevel = reference > 0 ? (LEVELS - 1) / reference : 0;
  if (sums !== undefined) {
    blurInterleaved(sums, grid.length, stride, rows, options.densitySmoothing, workspace);
    compositeColoured(grid, sums, undefined, toLevel, stride, options, out);
  } else if (tint !== undefined) {
    compositeColoured(grid, undefined, tint, toLevel, stride, options, out);
  } else {
    const table = compositeTable(options);
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
}

function addRgb(sums: Float32Array, q: number, r: number, g: number, b: number, w: number): void {
  sums[q] = sums[q]! + r * w;
  sums[q + 1] = sums[q + 1]! + g * w;
  sums[q + 2] = sums[q + 2]! + b * w;
}

/** The same smoothing as the density's, channel by channel, so colour/density is a weighted mean. */
function blurInterleaved(sums: Float32Array, cells: number, stride: number, rows: number, sigma: number, workspace: RasterWorkspace): void {
  if (!(sigma > 0)) return;
  const channel = workspace.float32('density-channel', cells);
  const scratch = workspace.float32('density-scratch', cells);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < cells; i++) channel[i] = sums[3 * i + c]!;
    gaussianBlur(channel, scratch, stride, rows, sigma);
    for (let i = 0; i < cells; i++) sums[3 * i + c] = channel[i]!;
  }
}

/** Mean particle colour (or the tint) over the background, as strongly as the map's profile says. */
function compositeColoured(
  grid: Float32Array,
  sums: Float32Array | undefined,
  tint: Rgba | undefined,
  toLevel: number,
  stride: number,
  options: RasterOptions,
  out: Uint8ClampedArray,
): void {
  const { width, height } = options;
  const strength = strengthTable(options);
  const [br, bg, bb, ba255] = options.background;
  const ba = ba255 / 255;
  const tr = tint?.[0] ?? 0;
  const tg = tint?.[1] ?? 0;
  const tb = tint?.[2] ?? 0;
  for (let y = 0; y < height; y++) {
    let p = (y + 1) * stride + 1;
    let o = 4 * y * width;
    for (let x = 0; x < width; x++, p++, o += 4) {
      const d = grid[p]!;
      const a = strength[Math.min(LEVELS - 1, d * toLevel) | 0]!;
      let r = tr;
      let g = tg;
      let b = tb;
      if (sums !== undefined && d > 0) {
        r = sums[3 * p]! / d;
        g = sums[3 * p + 1]! / d;
        b = sums[3 * p + 2]! / d;
      }
      const under = (1 - a) * ba;
      writeStraight(out, o, a * r + under * br, a * g + under * bg, a * b + under * bb, a + under);
    }
  }
}

const strengthCache = { key: '', table: new Float32Array(0) };

/**
 * Per density level, how far the colour map has come from its first colour toward its last in
 * luma (0..1, never decreasing): the brightness profile the coloured look borrows from the map.
 */
function strengthTable(options: RasterOptions): Float32Array {
  const gamma = options.densityGamma ?? 0.5;
  const key = `${options.colourMap}|${gamma}`;
  if (strengthCache.key === key) return strengthCache.table;
  const map = colourMapTable(options.colourMap);
  const luma = (i: number): number => 0.299 * map[3 * i]! + 0.587 * map[3 * i + 1]! + 0.114 * map[3 * i + 2]!;
  const first = luma(0);
  const span = luma(255) - first;
  const table = new Float32Array(LEVELS);
  let most = 0;
  for (let level = 0; level < LEVELS; level++) {
    const v = (level / (LEVELS - 1)) ** gamma;
    const profile = span === 0 ? v : (luma(Math.round(v * 255)) - first) / span;
    most = Math.max(most, Math.min(1, profile));
    table[level] = most;
  }
  strengthCache.key = key;
  strengthCache.table = table;
  return table;
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
