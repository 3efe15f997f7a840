import type { Random } from '../../../shared/random.js';
import type { ImageDensity } from './density.js';

/**
 * Walker's alias method in Vose's stable form: O(n) to build, O(1) per draw, one uniform per
 * draw. Only entries with mass get a slot, so a mostly-white picture costs nothing extra and
 * a zero-probability pixel can never be drawn, not even through rounding.
 */
export interface AliasTable {
  /** Number of slots (entries with positive probability). */
  readonly size: number;
  /** Probability of keeping a slot's own entry rather than its alias. */
  readonly keep: Float64Array;
  /** Slot → original index of the slot's own entry. */
  readonly index: Uint32Array;
  /** Slot → original index of the alias entry. */
  readonly alias: Uint32Array;
}

export function createAliasTable(probabilities: Float64Array): AliasTable {
  let size = 0;
  // Compensated (Neumaier) sum: a plain sum of 10⁵ similar terms drifts by ~1e-11 relative,
  // and Vose's method hands the whole drift to the last leftover entry.
  let total = 0;
  let compensation = 0;
  for (const p of probabilities) {
    if (!(p >= 0) || !Number.isFinite(p)) throw new RangeError(`alias table: probability ${p} is not a finite non-negative number`);
    if (p > 0) {
      size++;
      const t = total + p;
      compensation += total >= p ? total - t + p : p - t + total;
      total = t;
    }
  }
  total += compensation;
  if (size === 0) throw new RangeError('alias table: no entry has positive probability');

  const index = new Uint32Array(size);
  const scaled = new Float64Array(size);
  for (let i = 0, s = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    if (p > 0) {
      index[s] = i;
      // Renormalise so callers may pass weights; the mean scaled value is exactly 1.
      scaled[s] = (p * size) / total;
      s++;
    }
  }

  const keep = new Float64Array(size);
  const aliasSlot = new Uint32Array(size);
  // Two stacks in one array: small from the front, large from the back.
  const work = new Uint32Array(size);
  let small = 0;
  let large = size;
  for (let s = 0; s < size; s++) {
    if (scaled[s]! < 1) work[small++] = s;
    else work[--large] = s;
  }
  while (small > 0 && large < size) {
    const l = work[--small]!;
    const g = work[large++]!;
    keep[l] = scaled[l]!;
    aliasSlot[l] = g;
    scaled[g] = scaled[g]! + scaled[l]! - 1;
    if (scaled[g]! < 1) work[small++] = g;
    else work[--large] = g;
  }
  // Whatever remains is 1 up to rounding error.
  while (large < size) keep[work[large++]!] = 1;
  while (small > 0) keep[work[--small]!] = 1;

  const alias = new Uint32Array(size);
  for (let s = 0; s < size; s++) alias[s] = index[aliasSlot[s]!]!;
  return { size, keep, index, alias };
}

/** One draw: an original index, with probability proportional to its weight. */
export function sampleAliasIndex(table: AliasTable, random: Random): number {
  // One uniform gives both the slot and the coin: its integer and fractional parts.
  const u = random.next() * table.size;
  const slot = Math.floor(u);
  return u - slot < table.keep[slot]! ? table.index[slot]! : table.alias[slot]!;
}

const tables = new WeakMap<ImageDensity, AliasTable>();

/** The density's alias table, built once: trainers draw a batch every step. */
export function aliasTableFor(density: ImageDensity): AliasTable {
  let table = tables.get(density);
  if (table === undefined) {
    table = createAliasTable(density.probabilities);
    tables.set(density, table);
  }
  return table;
}

/** n working-pixel indices (row-major) drawn from the density. */
export function sampleDensityIndices(density: ImageDensity, n: number, random: Random): Uint32Array {
  const table = aliasTableFor(density);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = sampleAliasIndex(table, random);
  return out;
}

/**
 * Model-space points for given working-pixel indices: the pixel centre plus Gaussian jitter of
 * std density.jitterStd, i.e. exact draws from that pixel's mixture component.
 */
export function pointsForIndices(density: ImageDensity, indices: Uint32Array, random: Random): Float64Array {
  // pixelCentreToModel inlined: no tuple per point on the hot path (the tests hold them equal).
  const { workingWidth, workingHeight, modelPerPixel: p } = density.mapping;
  const std = density.jitterStd;
  const x0 = (0.5 - workingWidth / 2) * p;
  const y0 = (workingHeight / 2 - 0.5) * p;
  const out = new Float64Array(2 * indices.length);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i]!;
    const row = Math.floor(k / workingWidth);
    const col = k - row * workingWidth;
    out[2 * i] = x0 + col * p + std * random.normal();
    out[2 * i + 1] = y0 - row * p + std * random.normal();
  }
  return out;
}

/** n points of the image density in model space, interleaved x, y. */
export function sampleDensity(density: ImageDensity, n: number, random: Random): Float64Array {
  return pointsForIndices(density, sampleDensityIndices(density, n, random), random);
}

/** Points and the working pixel each came from, for particles coloured by their source pixel. */
export function sampleDensityWithIndices(
  density: ImageDensity,
  n: number,
  random: Random,
): { points: Float64Array; indices: Uint32Array } {
  const indices = sampleDensityIndices(density, n, random);
  return { points: pointsForIndices(density, indices, random), indices };
}
