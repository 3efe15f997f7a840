import type { StepEnds, StepSegment } from './march.js';
import type { VectorOps } from './vector-ops.js';

/**
 * What a step leaves behind for interpolation. Neighbouring segments share y and f objects,
 * so a kept trajectory costs about three states per step (y0, f0, yMid).
 */
export interface DenseSegment<Y> extends StepEnds<Y> {
  /** y at the step's midpoint, for tableaus with midpoint weights: makes the fit quartic. */
  readonly yMid: Y | undefined;
}

export function fitSegment<Y>(ops: VectorOps<Y>, step: StepSegment<Y>): DenseSegment<Y> {
  const mid = step.tableau.midWeights;
  const yMid = mid ? ops.combine(step.y0, step.t1 - step.t0, mid, step.ks) : undefined;
  return { t0: step.t0, t1: step.t1, y0: step.y0, y1: step.y1, f0: step.f0, f1: step.f1, yMid };
}

/**
 * The state at t within the segment. With yMid: torchdiffeq's quartic through y0, yMid, y1 with
 * slopes f0, f1 (4th order, matching dopri5). Without: cubic Hermite from y and f at both ends,
 * which is as accurate as the fixed-step methods it serves. Both are written as one combine
 * around y0, so no coefficient states are allocated.
 */
export function interpolate<Y>(ops: VectorOps<Y>, segment: DenseSegment<Y>, t: number): Y {
  const { t0, t1, y0, y1, f0, f1, yMid } = segment;
  if (t === t0) return y0;
  if (t === t1) return y1;
  const h = t1 - t0;
  const x = (t - t0) / h;
  const x2 = x * x;
  const x3 = x2 * x;
  if (yMid !== undefined) {
    const x4 = x3 * x;
    return ops.combine(
      y0,
      1,
      [
        -11 * x2 + 18 * x3 - 8 * x4,
        -5 * x2 + 14 * x3 - 8 * x4,
        16 * x2 - 32 * x3 + 16 * x4,
        h * (x - 4 * x2 + 5 * x3 - 2 * x4),
        h * (x2 - 3 * x3 + 2 * x4),
      ],
      [y0, y1, yMid, f0, f1],
    );
  }
  return ops.combine(
    y0,
    1,
    [2 * x3 - 3 * x2, 3 * x2 - 2 * x3, h * (x3 - 2 * x2 + x), h * (x3 - x2)],
    [y0, y1, f0, f1],
  );
}
