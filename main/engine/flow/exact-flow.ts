import { noopJobContext, type JobContext } from '../../../shared/job.js';
import type { ImageDensity } from '../image/density.js';
import { buildBlurLevel, defaultBlurLevelOptions, levelMean, type BlurLevel, type LevelMemory } from './blur-level.js';
import { centreMoments } from './density-moments.js';
import { ROUND_NOISE, type NoiseSource } from './noise-source.js';
import type { VelocityField } from './velocity-field.js';

/**
 * The exact marginal velocity of the flow-matching path x_t = t·x1 + (1 - t)·x0 for the picture's
 * Gaussian mixture and a diagonal Gaussian source x0 ~ N(0, diag(dx², dy²)) (DESIGN §2 "Exact
 * flow", "Diagonal Gaussian source"). No training: a closed form plus precomputed blurs.
 */
export interface ExactFlow extends VelocityField {
  readonly kind: 'exact';
  readonly density: ImageDensity;
  /** What it was built with: a worker thread builds the same flow from the density and these. */
  readonly options: ExactFlowOptions;
  /**
   * Its blur levels, which exactFlowFromLevels turns back into the same flow: worker threads
   * solving particles get them instead of blurring the picture again. prepareExactFlow builds
   * them in shared memory, so they reach those threads uncopied.
   */
  readonly levels: readonly BlurLevel[];
  /**
   * m̄_t(x): the posterior mean of the mixture component's centre given x_t = x, model space.
   * The velocity is c_t·x + (1 - t·c_t)·m̄_t(x); distillation and tests use m̄ directly.
   */
  posteriorMean(points: Float64Array, t: number, out: Float64Array): void;
}

export interface ExactFlowOptions {
  /** Precomputed time levels per doubling of the blur std. */
  readonly levelsPerOctave?: number;
  /** Blurs up to this many working pixels are summed exactly over the pixels near each point. */
  readonly directBlurPx?: number;
  /** Below this t the picture counts as a Gaussian of its mean and covariance. */
  readonly gaussianBelowT?: number;
  /** The source the flow starts from; default the round N(0, I). */
  readonly source?: NoiseSource;
}

const defaults = { levelsPerOctave: 4, directBlurPx: 2, gaussianBelowT: 0.01 } as const;

/**
 * Components further than this many blur stds from a point are left out of the direct sum: they
 * weigh under e^-8 of one at the point. 4 instead of 5 reads 17² pixels instead of 21², 0.72 of
 * the time at t = 0.97, and moved the velocities of 50 000 particles of the bundled mark by at
 * most 9.4e-4 model units (a particle's last 0.03 of flow time: under 0.01 px at 1920 px).
 */
const DIRECT_CUT = 4;
/**
 * A source narrower along one axis gives blurs below directBlurPx along it while the other
 * axis's is above: the levels resolve such sub-2-pixel blurs poorly (worst error 4.8e-3 of the
 * extent vs 1.1e-3 on the heart at d = (1, 0.3)), so the direct sum also serves them while its
 * area, blurCol·blurRow, is at most this many times directBlurPx². The direct sum is the costly
 * path: a 60 000-particle trajectory of the 5:1 banner took 1.1 s with levels only, 2.7 s at 1
 * and 4.3 s at 4, and 1 is the least that keeps every brute-force check within 4e-3.
 */
const DIRECT_AREA = 1;

/** Builds the exact flow on this thread; the blur levels take under a second for a 384² picture. */
export function createExactFlow(density: ImageDensity, options: ExactFlowOptions = {}, ctx: JobContext = noopJobContext): ExactFlow {
  const plan = planLevels(density, options);
  const levels: BlurLevel[] = [];
  for (const level of buildLevels(density, levelBlurs(density, plan), ctx)) levels.push(level);
  return assemble(density, plan, levels);
}

/**
 * Builds a picture's blur levels, [blurCol, blurRow] each, in shared memory and in the order
 * given, reporting 'prepare' progress: on this thread (buildLevelsHere) or on solver threads.
 */
export type LevelBuilder = (density: ImageDensity, blurs: ReadonlyArray<readonly [number, number]>, ctx: JobContext) => Promise<BlurLevel[]>;

/**
 * The same, for a host that must stay responsive: the levels are built by `build`, in shared
 * memory so the solver threads read them uncopied.
 */
export async function prepareExactFlow(
  density: ImageDensity,
  options: ExactFlowOptions = {},
  ctx: JobContext = noopJobContext,
  build: LevelBuilder = buildLevelsHere,
): Promise<ExactFlow> {
  const plan = planLevels(density, options);
  const levels = await build(density, levelBlurs(density, plan), ctx);
  ctx.signal.throwIfAborted();
  return assemble(density, plan, levels);
}

/** On this thread, yielding to the event loop between levels so a cancel message can arrive. */
export const buildLevelsHere: LevelBuilder = async (density, blurs, ctx) => {
  const levels: BlurLevel[] = [];
  for (const level of buildLevels(density, blurs, ctx, { shared: true })) {
    levels.push(level);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return levels;
};

export const BLURRING = 'Blurring the picture';

/** The flow of `options` from levels already built for it (ExactFlow.levels), on another thread. */
export function exactFlowFromLevels(density: ImageDensity, options: ExactFlowOptions, levels: readonly BlurLevel[]): ExactFlow {
  const plan = planLevels(density, options);
  if (levels.length !== plan.count) throw new RangeError(`the exact flow needs ${plan.count} blur levels, not ${levels.length}`);
  return assemble(density, plan, [...levels]);
}

interface LevelPlan {
  readonly levelsPerOctave: number;
  readonly directBlurPx: number;
  readonly gaussianBelowT: number;
  readonly source: NoiseSource;
  /**
   * Levels are spaced along the wider axis of the source: its blur std at level k is
   * directBlurPx · 2^(k / levelsPerOctave), the other axis's blur is the one of the same t.
   */
  readonly count: number;
}

function planLevels(density: ImageDensity, options: ExactFlowOptions): LevelPlan {
  const levelsPerOctave = options.levelsPerOctave ?? defaults.levelsPerOctave;
  const directBlurPx = options.directBlurPx ?? defaults.directBlurPx;
  const gaussianBelowT = options.gaussianBelowT ?? defaults.gaussianBelowT;
  const source = options.source ?? ROUND_NOISE;
  if (!(levelsPerOctave >= 1) || !(directBlurPx > 0) || !(gaussianBelowT > 0 && gaussianBelowT < 1)) {
    throw new RangeError('exact flow options out of range');
  }
  if (!(source.stdX > 0 && source.stdY > 0 && Number.isFinite(source.stdX) && Number.isFinite(source.stdY))) {
    throw new RangeError('the source noise needs a positive, finite std on both axes');
  }
  const widest = leadBlurPx(density, source, (1 - gaussianBelowT) / gaussianBelowT);
  const count = Math.max(2, Math.ceil(Math.log2(widest / directBlurPx) * levelsPerOctave) + 1);
  return { levelsPerOctave, directBlurPx, gaussianBelowT, source, count };
}

/** [blurCol, blurRow] of each level: level k's wider axis is directBlurPx · 2^(k / levelsPerOctave). */
function levelBlurs(density: ImageDensity, plan: LevelPlan): Array<[number, number]> {
  return Array.from({ length: plan.count }, (_, k) =>
    blursPx(density, plan.source, ratioAtLeadBlur(density, plan.source, plan.directBlurPx * 2 ** (k / plan.levelsPerOctave))),
  );
}

function* buildLevels(
  density: ImageDensity,
  blurs: ReadonlyArray<readonly [number, number]>,
  ctx: JobContext,
  memory: LevelMemory = { shared: false },
): Generator<BlurLevel> {
  for (const [k, [blurCol, blurRow]] of blurs.entries()) {
    ctx.signal.throwIfAborted();
    yield buildBlurLevel(density.probabilities, density.width, density.height, blurCol, blurRow, defaultBlurLevelOptions, memory);
    ctx.progress({ stage: 'prepare', done: k + 1, total: blurs.length, message: BLURRING });
  }
}

/**
 * Stds, in working pixels, of the blur that gives m̄_t along columns and rows:
 * w_i ∝ π_i exp(-Σ_a (x_a/t - m_ia)² / (2 b_a²)) with b_a = √S_a / t = sqrt(σ² + r²·d_a²),
 * r = (1 - t) / t.
 */
function blursPx(density: ImageDensity, source: NoiseSource, r: number): [number, number] {
  const s2 = density.jitterStd * density.jitterStd;
  const p = density.mapping.modelPerPixel;
  return [Math.sqrt(s2 + r * r * source.stdX * source.stdX) / p, Math.sqrt(s2 + r * r * source.stdY * source.stdY) / p];
}

/** The blur along the source's wider axis: the one the levels are spaced by. */
function leadBlurPx(density: ImageDensity, source: NoiseSource, r: number): number {
  const [col, row] = blursPx(density, source, r);
  return Math.max(col, row);
}

/** The r = (1 - t) / t at which the wider axis's blur is blurPx (0 where it is below σ). */
function ratioAtLeadBlur(density: ImageDensity, source: NoiseSource, blurPx: number): number {
  const b = blurPx * density.mapping.modelPerPixel;
  const excess = b * b - density.jitterStd * density.jitterStd;
  return excess > 0 ? Math.sqrt(excess) / Math.max(source.stdX, source.stdY) : 0;
}

function assemble(density: ImageDensity, plan: LevelPlan, levels: BlurLevel[]): ExactFlow {
  const { width, height, probabilities } = density;
  const { source } = plan;
  const sigma = density.jitterStd;
  const p = density.mapping.modelPerPixel;
  const moments = centreMoments(density);
  const last = levels[levels.length - 1]!;
  const widest = Math.max(last.blurCol, last.blurRow);
  const dx2 = source.stdX * source.stdX;
  const dy2 = source.stdY * source.stdY;
  // Kernel rows of the direct sum, grown to the widest blur it has served.
  let gx = new Float64Array(2 * Math.ceil(DIRECT_CUT * plan.directBlurPx) + 5);
  let gy = gx.slice();
  const mean = new Float64Array(2);
  const upper = new Float64Array(2);
  // Model x = (col + 0.5 - W/2)·p and y = (H/2 - row - 0.5)·p.
  const colOffset = width / 2 - 0.5;
  const rowOffset = height / 2 - 0.5;

  const gaussianMean = (points: Float64Array, t: number, out: Float64Array): void => {
    // Centres ~ N(μ, C), x | centre ~ N(t·centre, diag(S)):
    // m̄ = μ + t·C·(t²C + diag(S))⁻¹·(x - tμ), S_a = t²σ² + (1 - t)²·d_a².
    const sx = t * t * sigma * sigma + (1 - t) * (1 - t) * dx2;
    const sy = t * t * sigma * sigma + (1 - t) * (1 - t) * dy2;
    const { meanX, meanY, covXX: cxx, covXY: cxy, covYY: cyy } = moments;
    const a = t * t * cxx + sx;
    const b = t * t * cxy;
    const d = t * t * cyy + sy;
    const det = a * d - b * b;
    const ixx = d / det;
    const ixy = -b / det;
    const iyy = a / det;
    const kxx = t * (cxx * ixx + cxy * ixy);
    const kxy = t * (cxx * ixy + cxy * iyy);
    const kyx = t * (cxy * ixx + cyy * ixy);
    const kyy = t * (cxy * ixy + cyy * iyy);
    for (let i = 0; i < points.length; i += 2) {
      const dx = points[i]! - t * meanX;
      const dy = points[i + 1]! - t * meanY;
      out[i] = meanX + kxx * dx + kxy * dy;
      out[i + 1] = meanY + kyx * dx + kyy * dy;
    }
  };

  // Each row's first and last pixel with mass: the direct sum skips a picture's empty margins
  // and rows, which are most of a logo's window at the blurs it serves.
  const rowFirst = new Int32Array(height).fill(width);
  const rowLast = new Int32Array(height).fill(-1);
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      if (probabilities[j * width + i]! > 0) {
        rowFirst[j] = Math.min(rowFirst[j]!, i);
        rowLast[j] = i;
      }
    }
  }

  /** Exact sum over the pixels within DIRECT_CUT blurs; false when none of them has mass. */
  const directMean = (col: number, row: number, blurCol: number, blurRow: number): boolean => {
    const cutCol = DIRECT_CUT * blurCol;
    const cutRow = DIRECT_CUT * blurRow;
    const i0 = Math.max(0, Math.ceil(col - cutCol));
    const i1 = Math.min(width - 1, Math.floor(col + cutCol));
    const j0 = Math.max(0, Math.ceil(row - cutRow));
    const j1 = Math.min(height - 1, Math.floor(row + cutRow));
    if (i0 > i1 || j0 > j1) return false;
    if (i1 - i0 + 1 > gx.length) gx = new Float64Array(i1 - i0 + 1);
    if (j1 - j0 + 1 > gy.length) gy = new Float64Array(j1 - j0 + 1);
    gaussianRow(gx, i1 - i0 + 1, i0 - col, -0.5 / (blurCol * blurCol));
    gaussianRow(gy, j1 - j0 + 1, j0 - row, -0.5 / (blurRow * blurRow));
    let sum = 0;
    let sumCol = 0;
    let sumRow = 0;
    for (let j = j0; j <= j1; j++) {
      const first = Math.max(i0, rowFirst[j]!);
      const last = Math.min(i1, rowLast[j]!);
      if (first > last) continue;
      const base = j * width;
      let rowMass = 0;
      let rowCol = 0;
      for (let i = first; i <= last; i++) {
        const w = probabilities[base + i]! * gx[i - i0]!;
        rowMass += w;
        rowCol += w * i;
      }
      const wy = gy[j - j0]!;
      sum += wy * rowMass;
      sumCol += wy * rowCol;
      sumRow += wy * j * rowMass;
    }
    if (!(sum > 0)) return false;
    mean[0] = sumCol / sum;
    mean[1] = sumRow / sum;
    return true;
  };

  const posteriorMean = (points: Float64Array, t: number, out: Float64Array): void => {
    checkShapes(points, out);
    const r = t > 0 ? (1 - Math.min(t, 1)) / Math.min(t, 1) : Infinity;
    const [blurCol, blurRow] = blursPx(density, source, r);
    const blurPx = Math.max(blurCol, blurRow);
    if (!(blurPx <= widest)) {
      gaussianMean(points, Math.max(0, Math.min(t, 1)), out);
      return;
    }
    const narrow = Math.min(blurCol, blurRow);
    const direct =
      blurPx <= plan.directBlurPx || (narrow < plan.directBlurPx && blurPx * narrow <= DIRECT_AREA * plan.directBlurPx * plan.directBlurPx);
    // Where the direct sum finds no mass near a point, the levels of this t answer instead.
    const position = Math.max(0, Math.log2(blurPx / plan.directBlurPx) * plan.levelsPerOctave);
    const k0 = Math.min(Math.floor(position), levels.length - 2);
    const f = position - k0;
    const lower = levels[k0]!;
    const higher = levels[k0 + 1]!;
    const scale = 1 / (t * p);
    for (let i = 0; i < points.length; i += 2) {
      const col = points[i]! * scale + colOffset;
      const row = rowOffset - points[i + 1]! * scale;
      if (!(direct && directMean(col, row, blurCol, blurRow))) {
        levelMean(lower, col, row, mean);
        if (f > 0) {
          levelMean(higher, col, row, upper);
          mean[0] = mean[0]! + f * (upper[0]! - mean[0]!);
          mean[1] = mean[1]! + f * (upper[1]! - mean[1]!);
        }
      }
      out[i] = (mean[0]! - colOffset) * p;
      out[i + 1] = (rowOffset - mean[1]!) * p;
    }
  };

  let disposed = false;
  return {
    kind: 'exact',
    density,
    options: { levelsPerOctave: plan.levelsPerOctave, directBlurPx: plan.directBlurPx, gaussianBelowT: plan.gaussianBelowT, source },
    levels,
    source,
    posteriorMean(points, t, out) {
      if (disposed) throw new Error('exact flow used after dispose');
      posteriorMean(points, t, out);
    },
    velocity(points, t, out) {
      if (disposed) throw new Error('exact flow used after dispose');
      posteriorMean(points, t, out);
      // Per axis: c_a = (tσ² - (1 - t)·d_a²) / S_a, u_a = c_a·x_a + (1 - t·c_a)·m̄_a.
      const ts2 = t * sigma * sigma;
      const cx = (ts2 - (1 - t) * dx2) / (t * ts2 + (1 - t) * (1 - t) * dx2);
      const cy = (ts2 - (1 - t) * dy2) / (t * ts2 + (1 - t) * (1 - t) * dy2);
      const fx = 1 - t * cx;
      const fy = 1 - t * cy;
      for (let i = 0; i < points.length; i += 2) {
        out[i] = cx * points[i]! + fx * out[i]!;
        out[i + 1] = cy * points[i + 1]! + fy * out[i + 1]!;
      }
    },
    dispose() {
      disposed = true;
      levels.length = 0;
    },
  };
}

/**
 * out[m] = exp(k·(d + m)²) for m < n, by the ratio of neighbours (itself a geometric series):
 * three exponentials instead of n, which were half of a direct sum's time. The products drift
 * by about n ulps: 1e-14 over the 17 terms at 2 px, 1e-11 over a wide axis's hundreds.
 */
function gaussianRow(out: Float64Array, n: number, d: number, k: number): void {
  let g = Math.exp(k * d * d);
  let ratio = Math.exp(k * (2 * d + 1));
  const step = Math.exp(2 * k);
  for (let m = 0; m < n; m++) {
    out[m] = g;
    g *= ratio;
    ratio *= step;
  }
}

function checkShapes(points: Float64Array, out: Float64Array): void {
  if (points.length % 2 !== 0 || out.length !== points.length) {
    throw new RangeError(`points (${points.length}) must be interleaved x, y and out the same length (${out.length})`);
  }
}
