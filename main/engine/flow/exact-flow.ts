import { noopJobContext, type JobContext } from '../../../shared/job.js';
import type { ImageDensity } from '../image/density.js';
import { buildBlurLevel, defaultBlurLevelOptions, levelMean, type BlurLevel } from './blur-level.js';
import { centreMoments } from './density-moments.js';
import type { VelocityField } from './velocity-field.js';

/**
 * The exact marginal velocity of the flow-matching path x_t = t·x1 + (1 - t)·x0 for the picture's
 * Gaussian mixture (DESIGN §2 "Exact flow"). No training: a closed form plus precomputed blurs.
 */
export interface ExactFlow extends VelocityField {
  readonly kind: 'exact';
  readonly density: ImageDensity;
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
}

const defaults = { levelsPerOctave: 4, directBlurPx: 2, gaussianBelowT: 0.01 } as const;

/** Components further than this many blur stds from a point are left out of the direct sum. */
const DIRECT_CUT = 5;

/** Builds the exact flow; the blur levels take well under a second for a 512² picture. */
export function createExactFlow(density: ImageDensity, options: ExactFlowOptions = {}, ctx: JobContext = noopJobContext): ExactFlow {
  const plan = planLevels(density, options);
  const levels: BlurLevel[] = [];
  for (const level of buildLevels(density, plan, ctx)) levels.push(level);
  return assemble(density, plan, levels);
}

/** The same, yielding to the event loop between levels so a cancel message can arrive. */
export async function prepareExactFlow(
  density: ImageDensity,
  options: ExactFlowOptions = {},
  ctx: JobContext = noopJobContext,
): Promise<ExactFlow> {
  const plan = planLevels(density, options);
  const levels: BlurLevel[] = [];
  for (const level of buildLevels(density, plan, ctx)) {
    levels.push(level);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  ctx.signal.throwIfAborted();
  return assemble(density, plan, levels);
}

interface LevelPlan {
  readonly levelsPerOctave: number;
  readonly directBlurPx: number;
  readonly gaussianBelowT: number;
  /** Blur std of level k: directBlurPx · 2^(k / levelsPerOctave). */
  readonly count: number;
}

function planLevels(density: ImageDensity, options: ExactFlowOptions): LevelPlan {
  const levelsPerOctave = options.levelsPerOctave ?? defaults.levelsPerOctave;
  const directBlurPx = options.directBlurPx ?? defaults.directBlurPx;
  const gaussianBelowT = options.gaussianBelowT ?? defaults.gaussianBelowT;
  if (!(levelsPerOctave >= 1) || !(directBlurPx > 0) || !(gaussianBelowT > 0 && gaussianBelowT < 1)) {
    throw new RangeError('exact flow options out of range');
  }
  const widest = blurPxAt(density, gaussianBelowT);
  const count = Math.max(2, Math.ceil(Math.log2(widest / directBlurPx) * levelsPerOctave) + 1);
  return { levelsPerOctave, directBlurPx, gaussianBelowT, count };
}

function* buildLevels(density: ImageDensity, plan: LevelPlan, ctx: JobContext): Generator<BlurLevel> {
  for (let k = 0; k < plan.count; k++) {
    ctx.signal.throwIfAborted();
    const blurPx = plan.directBlurPx * 2 ** (k / plan.levelsPerOctave);
    yield buildBlurLevel(density.probabilities, density.width, density.height, blurPx, defaultBlurLevelOptions);
    ctx.progress({ stage: 'prepare', done: k + 1, total: plan.count, message: 'Blurring the picture' });
  }
}

/**
 * Std, in working pixels, of the blur that gives m̄_t: w_i ∝ π_i exp(-|x/t - m_i|² / (2 b²))
 * with b = s_t / t = sqrt(σ² + ((1 - t) / t)²).
 */
function blurPxAt(density: ImageDensity, t: number): number {
  const r = (1 - t) / t;
  return Math.sqrt(density.jitterStd * density.jitterStd + r * r) / density.mapping.modelPerPixel;
}

function assemble(density: ImageDensity, plan: LevelPlan, levels: BlurLevel[]): ExactFlow {
  const { width, height, probabilities } = density;
  const sigma = density.jitterStd;
  const p = density.mapping.modelPerPixel;
  const moments = centreMoments(density);
  const widest = levels[levels.length - 1]!.blurPx;
  const reach = Math.ceil(DIRECT_CUT * plan.directBlurPx) + 2;
  const gx = new Float64Array(2 * reach + 1);
  const gy = new Float64Array(2 * reach + 1);
  const mean = new Float64Array(2);
  const upper = new Float64Array(2);
  // Model x = (col + 0.5 - W/2)·p and y = (H/2 - row - 0.5)·p.
  const colOffset = width / 2 - 0.5;
  const rowOffset = height / 2 - 0.5;

  const gaussianMean = (points: Float64Array, t: number, out: Float64Array): void => {
    // Centres ~ N(μ, C), x | centre ~ N(t·centre, s²I): m̄ = μ + t·C·(t²C + s²I)⁻¹·(x - tμ).
    const s2 = t * t * sigma * sigma + (1 - t) * (1 - t);
    const { meanX, meanY, covXX: cxx, covXY: cxy, covYY: cyy } = moments;
    const a = t * t * cxx + s2;
    const b = t * t * cxy;
    const d = t * t * cyy + s2;
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

  /** Exact sum over the pixels within DIRECT_CUT blurs; false when none of them has mass. */
  const directMean = (col: number, row: number, blurPx: number): boolean => {
    const cut = DIRECT_CUT * blurPx;
    const i0 = Math.max(0, Math.ceil(col - cut));
    const i1 = Math.min(width - 1, Math.floor(col + cut));
    const j0 = Math.max(0, Math.ceil(row - cut));
    const j1 = Math.min(height - 1, Math.floor(row + cut));
    if (i0 > i1 || j0 > j1) return false;
    const k = -0.5 / (blurPx * blurPx);
    for (let i = i0; i <= i1; i++) gx[i - i0] = Math.exp(k * (i - col) * (i - col));
    for (let j = j0; j <= j1; j++) gy[j - j0] = Math.exp(k * (j - row) * (j - row));
    let sum = 0;
    let sumCol = 0;
    let sumRow = 0;
    for (let j = j0; j <= j1; j++) {
      const base = j * width;
      let rowMass = 0;
      let rowCol = 0;
      for (let i = i0; i <= i1; i++) {
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
    const blurPx = t > 0 ? blurPxAt(density, Math.min(t, 1)) : Infinity;
    if (!(blurPx <= widest)) {
      gaussianMean(points, Math.max(0, Math.min(t, 1)), out);
      return;
    }
    const direct = blurPx <= plan.directBlurPx;
    const position = direct ? 0 : Math.log2(blurPx / plan.directBlurPx) * plan.levelsPerOctave;
    const k0 = Math.min(Math.floor(position), levels.length - 2);
    const f = position - k0;
    const lower = levels[k0]!;
    const higher = levels[k0 + 1]!;
    const scale = 1 / (t * p);
    for (let i = 0; i < points.length; i += 2) {
      const col = points[i]! * scale + colOffset;
      const row = rowOffset - points[i + 1]! * scale;
      if (direct) {
        if (!directMean(col, row, blurPx)) levelMean(lower, col, row, mean);
      } else {
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
    posteriorMean(points, t, out) {
      if (disposed) throw new Error('exact flow used after dispose');
      posteriorMean(points, t, out);
    },
    velocity(points, t, out) {
      if (disposed) throw new Error('exact flow used after dispose');
      posteriorMean(points, t, out);
      const s2 = t * t * sigma * sigma + (1 - t) * (1 - t);
      const c = (t * sigma * sigma - (1 - t)) / s2;
      const g = 1 - t * c;
      for (let i = 0; i < points.length; i++) out[i] = c * points[i]! + g * out[i]!;
    },
    dispose() {
      disposed = true;
      levels.length = 0;
    },
  };
}

function checkShapes(points: Float64Array, out: Float64Array): void {
  if (points.length % 2 !== 0 || out.length !== points.length) {
    throw new RangeError(`points (${points.length}) must be interleaved x, y and out the same length (${out.length})`);
  }
}
