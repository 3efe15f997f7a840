import type { Evaluations } from './drive.js';
import type { Tolerance } from './rk-step.js';
import type { VectorOps } from './vector-ops.js';

/** torchdiffeq's defaults. */
export const stepControl = Object.freeze({ safety: 0.9, maxGrowth: 10, maxShrink: 0.2 });

export function isAccepted(errorRatio: number): boolean {
  return errorRatio <= 1; // NaN fails, so a non-finite step is retried smaller
}

/** Factor for the next step size after a step with this error ratio, for a method of this order. */
export function stepFactor(errorRatio: number, order: number): number {
  const { safety, maxGrowth, maxShrink } = stepControl;
  if (errorRatio === 0) return maxGrowth;
  if (!Number.isFinite(errorRatio)) return maxShrink;
  // After an accepted step never shrink (torchdiffeq): the step just proved good enough.
  const floor = errorRatio < 1 ? 1 : maxShrink;
  return Math.min(maxGrowth, Math.max(safety / errorRatio ** (1 / order), floor));
}

/**
 * The mixed RMS norm of v / (atol + rtol |y|), through ops.errorRatio so that state types need
 * no elementwise division of their own.
 */
export function scaledNorm<Y>(ops: VectorOps<Y>, y: Y, v: Y, tolerance: Tolerance): number {
  return ops.errorRatio(y, y, 1, [1], [v], tolerance.atol, tolerance.rtol);
}

/**
 * Hairer, Nørsett & Wanner (1993), II.4: a first step whose explicit Euler error is about the
 * tolerance. Costs one evaluation. Returns a magnitude; `direction` is the sign of time.
 */
export function* initialStepSize<Y>(
  ops: VectorOps<Y>,
  t0: number,
  y0: Y,
  f0: Y,
  direction: number,
  order: number,
  tolerance: Tolerance,
): Evaluations<Y, number> {
  const d0 = scaledNorm(ops, y0, y0, tolerance);
  const d1 = scaledNorm(ops, y0, f0, tolerance);
  const h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : (0.01 * d0) / d1;
  const y1 = ops.combine(y0, direction * h0, [1], [f0]);
  const f1 = yield { t: t0 + direction * h0, y: y1 };
  const d2 = ops.errorRatio(y0, y0, 1, [1, -1], [f1, f0], tolerance.atol, tolerance.rtol) / h0;
  const h1 =
    d1 <= 1e-15 && d2 <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : (0.01 / Math.max(d1, d2)) ** (1 / (order + 1));
  const h = Math.min(100 * h0, h1);
  // A non-finite derivative makes h NaN; fall back and let step control reject and report it.
  return Number.isFinite(h) && h > 0 ? h : h0;
}
