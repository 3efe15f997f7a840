import { noopJobContext, type JobContext } from '../../../shared/job.js';
import { createRandom } from '../../../shared/random.js';
import { sampleNoise } from './noise-source.js';
import { integrateAsync, integrateEachAsync, type OdeMethod } from '../ode/integrate.js';
import { float64Ops } from '../ode/vector-ops.js';
import { yieldingRhs } from '../ode/yielding-rhs.js';
import { velocityOf, type AsyncVelocityField, type VelocityField } from './velocity-field.js';
import { swirledField, swirlTimes } from './swirl.js';

export interface SampleFlowOptions {
  /** Flow time to stop at: 0 is the noise itself, 1 the picture. Default 1. */
  readonly t?: number;
  /** Seeds the starting points, drawn from the field's source noise. Default 0. */
  readonly seed?: number;
  readonly method?: OdeMethod;
  /** Fixed steps from 0 to t; without it dopri5 adapts and the other methods take their default. */
  readonly steps?: number;
  /**
   * Steps are uniform in τ with t = 1 - (1 - τ)^warp, so they crowd toward t = 1, where
   * every flow toward a sharp picture turns fast. 1 is uniform in t.
   */
  readonly warp?: number;
  /** Turns of swirl (swirl.ts): the same density at every t along turning paths. Default 0. */
  readonly swirl?: number;
}

/** Measured on the exact flow of FFJORD's octocat: see bench/exact-flow.bench.ts. */
export const defaultSampleOptions = { method: 'rk4', steps: 12, warp: 2 } as const satisfies {
  method: OdeMethod;
  steps: number;
  warp: number;
};

const defaultStepsByMethod: Readonly<Record<Exclude<OdeMethod, 'dopri5'>, number>> = { euler: 48, midpoint: 24, rk3: 16, rk4: 12 };

/**
 * n particles drawn from the field's source noise (seeded) and carried by the field from t = 0 to options.t.
 * Works for any field, sync (exact flow, tfjs) or async (onnxruntime); the velocity is asked for
 * the whole batch at once.
 */
export async function sampleFlow(
  field: VelocityField | AsyncVelocityField,
  n: number,
  options: SampleFlowOptions = {},
  ctx: JobContext = noopJobContext,
): Promise<Float64Array> {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  const tEnd = options.t ?? 1;
  if (!(tEnd >= 0 && tEnd <= 1)) throw new RangeError(`t must be in [0, 1], got ${tEnd}`);
  const method = options.method ?? defaultSampleOptions.method;
  const warp = options.warp ?? defaultSampleOptions.warp;
  if (!(warp >= 1)) throw new RangeError(`warp must be ≥ 1, got ${warp}`);
  const steps = options.steps ?? (method === 'dopri5' ? undefined : defaultStepsByMethod[method]);

  const swirl = options.swirl ?? 0;
  const moving = swirledField(field, swirl);
  ctx.signal.throwIfAborted();
  const noise = sampleNoise(field.source, n, createRandom(options.seed ?? 0));
  if (tEnd === 0 || n === 0) return noise;

  // τ ↦ t = 1 - (1 - τ)^warp, dt/dτ = warp·(1 - τ)^(warp - 1).
  const tauEnd = 1 - (1 - tEnd) ** (1 / warp);
  if (swirl !== 0 && steps !== undefined) return sampleSwirled(moving, noise, { method, steps, warp, tauEnd, tEnd, swirl }, ctx);
  const rhs = yieldingRhs(async (tau: number, y: Float64Array): Promise<Float64Array> => {
    const rest = 1 - tau;
    const out = await velocityOf(moving, y, 1 - rest ** warp);
    const dt = warp * rest ** (warp - 1);
    for (let i = 0; i < out.length; i++) out[i] = out[i]! * dt;
    return out;
  }, ctx.signal);

  const total = steps ?? 1000;
  let done = 0;
  ctx.progress({ stage: 'sample', done: 0, total });
  const states = await integrateAsync(
    rhs,
    noise,
    [0, tauEnd],
    {
      method,
      ...(steps === undefined ? {} : { steps }),
      signal: ctx.signal,
      onStep: (info) => {
        if (!info.accepted) return;
        // Adaptive runs have no step count up front: report the share of the interval instead.
        done = steps === undefined ? Math.min(total, Math.round((info.t / tauEnd) * total)) : done + 1;
        ctx.progress({ stage: 'sample', done, total });
      },
    },
    float64Ops,
  );
  if (done < total) ctx.progress({ stage: 'sample', done: total, total });
  return states[states.length - 1]!;
}

/**
 * Fixed steps with swirl: the warped grid's step ends, plus the steps the spin needs near t = 0
 * (swirlTimes), one step each, in flow time itself.
 */
async function sampleSwirled(
  field: VelocityField | AsyncVelocityField,
  noise: Float64Array,
  grid: { method: OdeMethod; steps: number; warp: number; tauEnd: number; tEnd: number; swirl: number },
  ctx: JobContext,
): Promise<Float64Array> {
  const base = Float64Array.from({ length: grid.steps + 1 }, (_, k) => (k === grid.steps ? grid.tEnd : 1 - (1 - (k / grid.steps) * grid.tauEnd) ** grid.warp));
  const times = swirlTimes(base, grid.swirl, grid.tEnd);
  const rhs = yieldingRhs((t: number, y: Float64Array) => velocityOf(field, y, t), ctx.signal);
  const total = times.length - 1;
  let done = 0;
  ctx.progress({ stage: 'sample', done, total });
  let end = noise;
  // Only the last state is kept: a sample of millions of points holds one state, not one a step.
  await integrateEachAsync(rhs, noise, [...times], {
    method: grid.method,
    stepsPerOutput: 1,
    signal: ctx.signal,
    onStep: (info) => {
      if (info.accepted) ctx.progress({ stage: 'sample', done: ++done, total });
    },
  }, float64Ops, ({ index, y }) => {
    if (index === total) end = Float64Array.from(y);
  });
  return end;
}
