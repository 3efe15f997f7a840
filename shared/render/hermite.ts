/**
 * Cubic Hermite interpolation of stored particle levels: the one evaluator behind the engine's
 * positionsAt (main/engine/render/trajectory.ts) and the browser preview, pure so both share it. Each level stores positions p and velocities v = dx/dt; between levels k and
 * k + 1, x(t) = a0·p_k + a1·p_{k+1} + b0·v_k + b1·v_{k+1}.
 */
export interface HermiteSegment {
  /** The level at the start of the interval holding t. */
  readonly level: number;
  readonly a0: number;
  readonly a1: number;
  readonly b0: number;
  readonly b1: number;
  /** 0 or 1 when t falls exactly on a level: copy it instead of blending. */
  readonly exact: 0 | 1 | undefined;
}

/** Which interval of `times` (increasing, ≥ 2 entries) holds t (clamped to [0, 1]) and the blend weights there. */
export function hermiteSegment(times: ArrayLike<number>, t: number): HermiteSegment {
  if (Number.isNaN(t)) throw new RangeError('hermiteSegment: t is NaN.');
  if (times.length < 2) throw new RangeError('hermiteSegment: at least two levels are needed.');
  const last = times.length - 1;
  const clamped = Math.min(1, Math.max(0, t));
  // Last level whose time is ≤ t, but at most the start of the last interval.
  let lo = 0;
  let hi = last - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (times[mid]! <= clamped) lo = mid;
    else hi = mid - 1;
  }
  const t0 = times[lo]!;
  const h = times[lo + 1]! - t0;
  const s = Math.min(1, Math.max(0, (clamped - t0) / h));
  const s2 = s * s;
  const s3 = s2 * s;
  const a0 = 2 * s3 - 3 * s2 + 1;
  return {
    level: lo,
    a0,
    a1: 1 - a0,
    b0: h * (s3 - 2 * s2 + s),
    b1: h * (s3 - s2),
    exact: s === 0 ? 0 : s === 1 ? 1 : undefined,
  };
}

/** Stored levels in one flat buffer each: K × particles × 2, level after level (the engine's Trajectory and the IPC TrajectoryData alike). */
export interface FlatLevels {
  readonly particles: number;
  readonly times: ArrayLike<number>;
  readonly positions: Float32Array;
  readonly velocities: Float32Array;
}

/**
 * Positions of the first `count` particles (default all) at t, interleaved x, y, written into
 * `out` (at least 2·count long). A prefix is a fair subsample because particles start as
 * independent noise draws, which lets a preview trade particles for frame rate.
 */
export function hermitePositionsAt(levels: FlatLevels, t: number, out: Float32Array, count: number = levels.particles): Float32Array {
  const n = Math.max(0, Math.min(levels.particles, Math.floor(count)));
  const size = 2 * n;
  if (out.length < size) throw new RangeError(`out holds ${out.length} values, expected at least ${size}`);
  const seg = hermiteSegment(levels.times, t);
  const stride = 2 * levels.particles;
  const o0 = seg.level * stride;
  const o1 = o0 + stride;
  const { positions: p, velocities: v } = levels;
  if (seg.exact !== undefined) {
    const from = seg.exact === 0 ? o0 : o1;
    out.set(p.subarray(from, from + size));
    return out;
  }
  const { a0, a1, b0, b1 } = seg;
  for (let i = 0; i < size; i++) out[i] = a0 * p[o0 + i]! + a1 * p[o1 + i]! + b0 * v[o0 + i]! + b1 * v[o1 + i]!;
  return out;
}
