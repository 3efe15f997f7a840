import type { CancelSignal } from '../../../shared/job.js';
import { FlowGifError } from '../../../shared/errors.js';
import { evaluate, type Evaluations } from './drive.js';
import { rkStep } from './rk-step.js';
import { initialStepSize, isAccepted, stepFactor } from './step-control.js';
import type { ButcherTableau } from './tableau.js';
import type { VectorOps } from './vector-ops.js';

export interface StepInfo {
  /** Time the solution has reached after this attempt (unchanged when rejected). */
  readonly t: number;
  /** Signed size of the attempted step. */
  readonly h: number;
  readonly accepted: boolean;
  /** Right-hand side evaluations so far. */
  readonly nfe: number;
}

export interface OdeStats {
  nfe: number;
  acceptedSteps: number;
  rejectedSteps: number;
}

/** A validated description of one integration from `from` to `to`. */
export interface MarchPlan {
  readonly tableau: ButcherTableau;
  readonly from: number;
  readonly to: number;
  /**
   * The step ends, increasing in the direction of travel and ending at `to`, for steps without
   * error control; undefined = adaptive (needs error weights).
   */
  readonly fixedGrid: readonly number[] | undefined;
  readonly atol: number;
  readonly rtol: number;
  readonly firstStep: number | undefined;
  readonly maxSteps: number;
  readonly signal: CancelSignal | undefined;
  readonly onStep: ((info: StepInfo) => void) | undefined;
}

/** A step's two ends: the state and its derivative at each. */
export interface StepEnds<Y> {
  readonly t0: number;
  readonly t1: number;
  readonly y0: Y;
  readonly y1: Y;
  readonly f0: Y;
  readonly f1: Y;
}

/** One accepted step, with everything dense output may need. */
export interface StepSegment<Y> extends StepEnds<Y> {
  readonly tableau: ButcherTableau;
  readonly ks: readonly Y[];
}

/**
 * Steps from plan.from to exactly plan.to, handing each accepted step to onSegment. The last
 * step is clipped to land on plan.to, so f is never evaluated outside the interval: a velocity
 * field is defined on [0, 1] and a trained one is unconstrained beyond it. Adaptive steps are
 * never shortened to reach output times in between: those are served by interpolation.
 */
export function* march<Y>(
  ops: VectorOps<Y>,
  y0: Y,
  plan: MarchPlan,
  stats: OdeStats,
  onSegment: (segment: StepSegment<Y>) => void,
): Evaluations<Y, void> {
  const { tableau, from, to, signal, onStep } = plan;
  signal?.throwIfAborted();
  if (from === to) return;
  const direction = Math.sign(to - from);
  let t = from;
  let y = y0;
  let f = yield* evaluate(t, y);

  const accept = (t1: number, y1: Y, f1: Y, ks: readonly Y[]): void => {
    onSegment({ tableau, t0: t, t1, y0: y, y1, f0: f, f1, ks });
    stats.acceptedSteps += 1;
    t = t1;
    y = y1;
    f = f1;
  };

  if (plan.fixedGrid !== undefined) {
    for (const t1 of plan.fixedGrid) {
      signal?.throwIfAborted();
      const h = t1 - t;
      const step = yield* rkStep(tableau, ops, t, y, f, t1);
      accept(t1, step.y1, step.f1 ?? (yield* evaluate(t1, step.y1)), step.ks);
      onStep?.({ t, h, accepted: true, nfe: stats.nfe });
    }
    return;
  }

  const tolerance = { atol: plan.atol, rtol: plan.rtol };
  let hAbs = plan.firstStep ?? (yield* initialStepSize(ops, t, y, f, direction, tableau.order - 1, tolerance));
  let attempts = 0;
  while (direction * (to - t) > 0) {
    signal?.throwIfAborted();
    if (attempts >= plan.maxSteps) {
      throw new FlowGifError(
        'SOLVER_FAILED',
        `The ${tableau.name} solver reached maxSteps (${plan.maxSteps}) at t=${t} while integrating from t=${from} to t=${to}.`,
      );
    }
    attempts += 1;
    const t1 = hAbs >= Math.abs(to - t) ? to : t + direction * hAbs;
    const h = t1 - t;
    if (h === 0) {
      throw new FlowGifError(
        'SOLVER_FAILED',
        `The ${tableau.name} step size underflowed at t=${t}: the solution is probably not finite or the problem is too stiff.`,
      );
    }
    const step = yield* rkStep(tableau, ops, t, y, f, t1, tolerance);
    const ratio = step.errorRatio ?? 0;
    const accepted = isAccepted(ratio);
    if (accepted) {
      accept(t1, step.y1, step.f1 ?? (yield* evaluate(t1, step.y1)), step.ks);
    } else {
      stats.rejectedSteps += 1;
    }
    onStep?.({ t, h, accepted, nfe: stats.nfe });
    hAbs = Math.abs(h) * stepFactor(ratio, tableau.order);
  }
}
