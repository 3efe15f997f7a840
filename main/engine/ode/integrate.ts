import type { CancelSignal } from '../../../shared/job.js';
import { FlowGifError } from '../../../shared/errors.js';
import { counted, runAsync, runSync, type Evaluations } from './drive.js';
import { fitSegment, interpolate, type DenseSegment } from './dense.js';
import { march, type MarchPlan, type OdeStats, type StepInfo, type StepSegment } from './march.js';
import type { ButcherTableau } from './tableau.js';
import { dopri5, euler, midpoint, rk3, rk4 } from './tableaus.js';
import type { VectorOps } from './vector-ops.js';

export type { OdeStats, StepInfo } from './march.js';

export type OdeMethod = 'euler' | 'midpoint' | 'rk3' | 'rk4' | 'dopri5';

const tableauByMethod: Readonly<Record<OdeMethod, ButcherTableau>> = Object.freeze({ euler, midpoint, rk3, rk4, dopri5 });

export const odeMethods: readonly OdeMethod[] = Object.freeze(Object.keys(tableauByMethod) as OdeMethod[]);

export interface IntegrateOptions {
  method: OdeMethod;
  /** Fixed number of equal steps over the whole interval (any method; for dopri5 disables adaptivity). */
  steps?: number;
  /**
   * Fixed: this many equal steps between each two neighbouring output times instead, so every
   * output time is a step end (its state stepped to, not interpolated). Excludes steps.
   */
  stepsPerOutput?: number;
  /** dopri5 adaptive tolerances, default 1e-5 both. */
  atol?: number;
  rtol?: number;
  /** dopri5 adaptive: size of the first step (default: Hairer's estimate, one extra evaluation). */
  firstStep?: number;
  /** dopri5 adaptive: step attempts, accepted or rejected, over the whole call; default 100 000. */
  maxSteps?: number;
  /** Checked before every step. */
  signal?: CancelSignal;
  onStep?: (info: StepInfo) => void;
}

export type Rhs<Y> = (t: number, y: Y) => Y;
export type AsyncRhs<Y> = (t: number, y: Y) => Y | Promise<Y>;

export interface OdeSolution<Y> {
  /**
   * The state at each requested time. Entries may be the very object y0 or share identity with
   * each other; the solver never mutates them, and neither should callers.
   */
  readonly states: Y[];
  readonly stats: Readonly<OdeStats>;
}

/** One output of a solve, handed over as soon as the step that reaches it is done. */
export interface OdeOutput<Y> {
  /** Which of the output times ts this is. */
  readonly index: number;
  readonly t: number;
  /** The solver's own object: copy what you keep, never mutate it. */
  readonly y: Y;
  /** f(t, y) when the solver evaluated it there (t is a step end), else undefined. */
  readonly f: Y | undefined;
}

export interface DenseSolution<Y> {
  readonly t0: number;
  readonly t1: number;
  readonly nfe: number;
  readonly acceptedSteps: number;
  readonly rejectedSteps: number;
  /** The state at any t between t0 and t1, by interpolation: no re-integration. */
  at(t: number): Y;
}

const defaultTolerance = 1e-5;
const defaultMaxSteps = 100_000;

function invalid(message: string): FlowGifError {
  return new FlowGifError('INVALID_ARGUMENT', message);
}

function checkNumber(name: string, value: number | undefined, test: (v: number) => boolean, want: string): void {
  if (value !== undefined && !(typeof value === 'number' && test(value))) {
    throw invalid(`ODE option ${name} must be ${want}, got ${String(value)}.`);
  }
}

/** All input checking lives here, once; the stepping code trusts what it gets. ts: the output times, checked. */
function plan<Y>(ops: VectorOps<Y>, y0: Y, ts: readonly number[], options: IntegrateOptions): MarchPlan {
  const method = options.method;
  if (typeof method !== 'string' || !Object.hasOwn(tableauByMethod, method)) {
    throw invalid(`Unknown ODE method '${String(method)}'; valid methods are ${odeMethods.join(', ')}.`);
  }
  const tableau = tableauByMethod[method];
  checkNumber('steps', options.steps, (v) => Number.isInteger(v) && v >= 1, 'a positive integer');
  checkNumber('stepsPerOutput', options.stepsPerOutput, (v) => Number.isInteger(v) && v >= 1, 'a positive integer');
  if (options.steps !== undefined && options.stepsPerOutput !== undefined) {
    throw invalid('ODE options steps and stepsPerOutput cannot both be given.');
  }
  checkNumber('atol', options.atol, (v) => Number.isFinite(v) && v >= 0, 'a finite number ≥ 0');
  checkNumber('rtol', options.rtol, (v) => Number.isFinite(v) && v >= 0, 'a finite number ≥ 0');
  checkNumber('firstStep', options.firstStep, (v) => Number.isFinite(v) && v > 0, 'a finite number > 0');
  checkNumber('maxSteps', options.maxSteps, (v) => Number.isInteger(v) && v >= 1, 'a positive integer');
  const atol = options.atol ?? defaultTolerance;
  const rtol = options.rtol ?? defaultTolerance;
  const from = ts[0]!;
  const to = ts[ts.length - 1]!;
  const fixedGrid =
    options.steps !== undefined
      ? equalSteps(from, to, options.steps)
      : options.stepsPerOutput !== undefined
        ? ts.slice(1).flatMap((end, i) => equalSteps(ts[i]!, end, options.stepsPerOutput!))
        : undefined;
  if (fixedGrid === undefined) {
    if (!tableau.errorWeights) {
      throw invalid(`ODE method '${method}' has no error estimate, so it needs a fixed number of steps: pass options.steps.`);
    }
    if (atol === 0 && rtol === 0) throw invalid('ODE options atol and rtol cannot both be 0.');
  }
  if (!Number.isFinite(ops.rmsNorm(y0))) throw invalid('The initial ODE state contains NaN or infinite values.');
  return {
    tableau,
    from,
    to,
    fixedGrid,
    atol,
    rtol,
    firstStep: options.firstStep,
    maxSteps: options.maxSteps ?? defaultMaxSteps,
    signal: options.signal,
    onStep: options.onStep,
  };
}

/** The ends of n equal steps from `from` to `to`, the last exactly `to`. */
function equalSteps(from: number, to: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? to : from + ((i + 1) * (to - from)) / n));
}

function checkTimes(ts: readonly number[]): void {
  if (ts.length === 0) throw invalid('ODE output times ts must not be empty.');
  if (!ts.every((t) => Number.isFinite(t))) throw invalid('ODE output times ts must be finite numbers.');
  const direction = Math.sign(ts[ts.length - 1]! - ts[0]!);
  for (let i = 1; i < ts.length; i++) {
    if (direction === 0 || Math.sign(ts[i]! - ts[i - 1]!) !== direction) {
      throw invalid('ODE output times ts must be strictly increasing or strictly decreasing.');
    }
  }
}

function newStats(): OdeStats {
  return { nfe: 0, acceptedSteps: 0, rejectedSteps: 0 };
}

function* solveEach<Y>(
  ops: VectorOps<Y>,
  y0: Y,
  ts: readonly number[],
  marchPlan: MarchPlan,
  onOutput: (output: OdeOutput<Y>) => void,
): Evaluations<Y, OdeStats> {
  const stats = newStats();
  const direction = Math.sign(ts[ts.length - 1]! - ts[0]!);
  let next = 0;
  // Like torchdiffeq's _advance: every output time inside a finished step is interpolated from it.
  const emit = (segment: StepSegment<Y>): void => {
    if (next === 0) onOutput({ index: next++, t: ts[0]!, y: segment.y0, f: segment.f0 });
    let fitted: DenseSegment<Y> | undefined;
    while (next < ts.length && direction * (ts[next]! - segment.t1) <= 0) {
      const t = ts[next]!;
      if (t === segment.t1) {
        onOutput({ index: next, t, y: segment.y1, f: segment.f1 });
      } else {
        fitted ??= fitSegment(ops, segment);
        onOutput({ index: next, t, y: interpolate(ops, fitted, t), f: undefined });
      }
      next += 1;
    }
  };
  yield* counted(march(ops, y0, marchPlan, stats, emit), stats);
  // A single output time: nothing to step.
  if (next === 0) onOutput({ index: 0, t: ts[0]!, y: y0, f: undefined });
  return stats;
}

type OnOutput<Y> = (output: OdeOutput<Y>) => void;

function prepareEach<Y>(ops: VectorOps<Y>, y0: Y, ts: readonly number[], options: IntegrateOptions, onOutput: OnOutput<Y>): Evaluations<Y, OdeStats> {
  checkTimes(ts);
  // Validated here, outside the generator, so bad input throws at the call, not at the first evaluation.
  return solveEach(ops, y0, ts, plan(ops, y0, ts, options), onOutput);
}

function* withStates<Y>(work: Evaluations<Y, OdeStats>, states: Y[]): Evaluations<Y, OdeSolution<Y>> {
  const stats = yield* work;
  return { states, stats };
}

function prepareAt<Y>(ops: VectorOps<Y>, y0: Y, ts: readonly number[], options: IntegrateOptions): Evaluations<Y, OdeSolution<Y>> {
  const states: Y[] = [];
  return withStates(prepareEach(ops, y0, ts, options, (output) => states.push(output.y)), states);
}

function* solveDense<Y>(ops: VectorOps<Y>, y0: Y, marchPlan: MarchPlan): Evaluations<Y, DenseSolution<Y>> {
  const stats = newStats();
  const segments: DenseSegment<Y>[] = [];
  yield* counted(march(ops, y0, marchPlan, stats, (segment) => segments.push(fitSegment(ops, segment))), stats);
  return denseSolution(ops, y0, marchPlan.from, marchPlan.to, segments, stats);
}

function denseSolution<Y>(
  ops: VectorOps<Y>,
  y0: Y,
  t0: number,
  t1: number,
  segments: readonly DenseSegment<Y>[],
  stats: OdeStats,
): DenseSolution<Y> {
  const direction = Math.sign(t1 - t0);
  // Scrubbers compute t arithmetically; forgive rounding at the ends rather than throw.
  const slack = 1e-12 * Math.max(1, Math.abs(t1 - t0));
  const lowest = Math.min(t0, t1) - slack;
  const highest = Math.max(t0, t1) + slack;
  return Object.freeze({
    t0,
    t1,
    nfe: stats.nfe,
    acceptedSteps: stats.acceptedSteps,
    rejectedSteps: stats.rejectedSteps,
    at(t: number): Y {
      if (!(t >= lowest && t <= highest)) {
        throw invalid(`Time ${t} is outside the solved interval [${Math.min(t0, t1)}, ${Math.max(t0, t1)}].`);
      }
      if (segments.length === 0) return y0;
      // First segment whose end reaches t.
      let lo = 0;
      let hi = segments.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (direction * (segments[mid]!.t1 - t) >= 0) hi = mid;
        else lo = mid + 1;
      }
      const segment = segments[lo]!;
      const clamped = direction * (t - segment.t0) < 0 ? segment.t0 : direction * (t - segment.t1) > 0 ? segment.t1 : t;
      return interpolate(ops, segment, clamped);
    },
  });
}

function prepareDense<Y>(ops: VectorOps<Y>, y0: Y, t0: number, t1: number, options: IntegrateOptions): Evaluations<Y, DenseSolution<Y>> {
  if (!Number.isFinite(t0) || !Number.isFinite(t1)) throw invalid('ODE interval ends t0 and t1 must be finite numbers.');
  return solveDense(ops, y0, plan(ops, y0, [t0, t1], options));
}

/** The state at every time in ts (monotonic; ts[0] is the start, decreasing runs backwards). */
export function integrate<Y>(f: Rhs<Y>, y0: Y, ts: readonly number[], options: IntegrateOptions, ops: VectorOps<Y>): Y[] {
  return integrateWithStats(f, y0, ts, options, ops).states;
}

export function integrateAsync<Y>(
  f: AsyncRhs<Y>,
  y0: Y,
  ts: readonly number[],
  options: IntegrateOptions,
  ops: VectorOps<Y>,
): Promise<Y[]> {
  return integrateWithStatsAsync(f, y0, ts, options, ops).then((solution) => solution.states);
}

/** As integrate, also reporting evaluations and steps (FFJORD logs NFE). */
export function integrateWithStats<Y>(
  f: Rhs<Y>,
  y0: Y,
  ts: readonly number[],
  options: IntegrateOptions,
  ops: VectorOps<Y>,
): OdeSolution<Y> {
  return runSync(prepareAt(ops, y0, ts, options), f);
}

export async function integrateWithStatsAsync<Y>(
  f: AsyncRhs<Y>,
  y0: Y,
  ts: readonly number[],
  options: IntegrateOptions,
  ops: VectorOps<Y>,
): Promise<OdeSolution<Y>> {
  return runAsync(prepareAt(ops, y0, ts, options), f);
}

/**
 * As integrateAsync, but each output goes to onOutput as soon as its step is done and none is
 * kept: for states too large to hold at every output time (trajectories of millions of particles).
 */
export function integrateEachAsync<Y>(
  f: AsyncRhs<Y>,
  y0: Y,
  ts: readonly number[],
  options: IntegrateOptions,
  ops: VectorOps<Y>,
  onOutput: (output: OdeOutput<Y>) => void,
): Promise<OdeStats> {
  return runAsync(prepareEach(ops, y0, ts, options, onOutput), f);
}

/** Integrates over [t0, t1] once and keeps every step, so any t in between costs one interpolation. */
export function integrateDense<Y>(
  f: Rhs<Y>,
  y0: Y,
  t0: number,
  t1: number,
  options: IntegrateOptions,
  ops: VectorOps<Y>,
): DenseSolution<Y> {
  return runSync(prepareDense(ops, y0, t0, t1, options), f);
}

export async function integrateDenseAsync<Y>(
  f: AsyncRhs<Y>,
  y0: Y,
  t0: number,
  t1: number,
  options: IntegrateOptions,
  ops: VectorOps<Y>,
): Promise<DenseSolution<Y>> {
  return runAsync(prepareDense(ops, y0, t0, t1, options), f);
}
