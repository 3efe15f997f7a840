import type { Evaluations } from './drive.js';
import type { ButcherTableau } from './tableau.js';
import type { VectorOps } from './vector-ops.js';

export interface Tolerance {
  readonly atol: number;
  readonly rtol: number;
}

export interface RkStep<Y> {
  readonly y1: Y;
  /**
   * f(t1, y1) when the tableau is FSAL; otherwise undefined, so the caller evaluates it only
   * for steps it keeps.
   */
  readonly f1: Y | undefined;
  /** Stage derivatives, k[0] = f0; dense output needs them. */
  readonly ks: readonly Y[];
  /** Scaled RMS error (≤ 1 passes), when the tableau has error weights and a tolerance is given. */
  readonly errorRatio: number | undefined;
}

/**
 * The only stepper: one step of any explicit tableau from (t0, y0) to t1, reusing f0 = f(t0, y0).
 * t1 is passed rather than h so the last stage and the step end land exactly on t1.
 */
export function* rkStep<Y>(
  tableau: ButcherTableau,
  ops: VectorOps<Y>,
  t0: number,
  y0: Y,
  f0: Y,
  t1: number,
  tolerance?: Tolerance,
): Evaluations<Y, RkStep<Y>> {
  const h = t1 - t0;
  const s = tableau.c.length;
  const ks: Y[] = [f0];
  let yStage = y0;
  for (let i = 1; i < s; i++) {
    const ci = tableau.c[i]!;
    yStage = ops.combine(y0, h, tableau.a[i]!, ks);
    ks.push(yield { t: ci === 1 ? t1 : t0 + ci * h, y: yStage });
  }
  const y1 = tableau.fsal ? yStage : ops.combine(y0, h, tableau.b, ks);
  const f1 = tableau.fsal ? ks[s - 1] : undefined;
  const errorRatio =
    tolerance && tableau.errorWeights
      ? ops.errorRatio(y0, y1, h, tableau.errorWeights, ks, tolerance.atol, tolerance.rtol)
      : undefined;
  return { y1, f1, ks, errorRatio };
}
