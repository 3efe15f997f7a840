import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlowGifError } from '../../../shared/errors.js';
import {
  integrate,
  integrateAsync,
  integrateDense,
  integrateDenseAsync,
  integrateEachAsync,
  integrateWithStats,
  integrateWithStatsAsync,
  odeMethods,
  type IntegrateOptions,
  type OdeMethod,
  type Rhs,
} from './integrate.js';
import { tupleOps } from './tuple-ops.js';
import { float64Ops } from './vector-ops.js';

type State = Float64Array;

interface Problem {
  readonly name: string;
  readonly f: Rhs<State>;
  readonly y0: readonly number[];
  readonly t1: number;
  readonly exact: (t: number) => number[];
}

// ODEs with exact solutions, after torchdiffeq's tests/problems.py.
const problems: readonly Problem[] = [
  { name: "y' = y", f: (_t, y) => Float64Array.of(y[0]!), y0: [1], t1: 1, exact: (t) => [Math.exp(t)] },
  { name: "y' = -2ty", f: (t, y) => Float64Array.of(-2 * t * y[0]!), y0: [1], t1: 2, exact: (t) => [Math.exp(-t * t)] },
  {
    name: 'rotation',
    f: (_t, y) => Float64Array.of(-y[1]!, y[0]!),
    y0: [1, 0],
    t1: 2,
    exact: (t) => [Math.cos(t), Math.sin(t)],
  },
  {
    name: "y' = -y + sin t",
    f: (t, y) => Float64Array.of(-y[0]! + Math.sin(t)),
    y0: [1],
    t1: 3,
    exact: (t) => [1.5 * Math.exp(-t) + (Math.sin(t) - Math.cos(t)) / 2],
  },
];
const rotation = problems[2]!;

const maxError = (y: State, expected: readonly number[]): number =>
  Math.max(...expected.map((e, i) => Math.abs(e - y[i]!)));
const last = <T>(xs: readonly T[]): T => xs[xs.length - 1]!;
const linspace = (a: number, b: number, n: number): number[] =>
  Array.from({ length: n }, (_, i) => (i === n - 1 ? b : a + ((b - a) * i) / (n - 1)));

const expectedOrder: Record<OdeMethod, number> = { euler: 1, midpoint: 2, rk3: 3, rk4: 4, dopri5: 5 };

for (const problem of problems) {
  test(`convergence order of every method by step halving: ${problem.name}`, () => {
    for (const method of odeMethods) {
      const errorAt = (steps: number): number => {
        const states = integrate(problem.f, Float64Array.from(problem.y0), [0, problem.t1], { method, steps }, float64Ops);
        return maxError(last(states), problem.exact(problem.t1));
      };
      const order = Math.log2(errorAt(32) / errorAt(64));
      assert.ok(Math.abs(order - expectedOrder[method]) <= 0.3, `${method}: measured order ${order.toFixed(2)}`);
    }
  });

  test(`adaptive dopri5 reaches its tolerance, with fewer steps when looser: ${problem.name}`, () => {
    let previousSteps = Infinity;
    for (const tol of [1e-9, 1e-6, 1e-3]) {
      const { states, stats } = integrateWithStats(
        problem.f,
        Float64Array.from(problem.y0),
        [0, problem.t1],
        { method: 'dopri5', atol: tol, rtol: tol },
        float64Ops,
      );
      const expected = problem.exact(problem.t1);
      const scale = tol + tol * Math.max(...expected.map(Math.abs));
      const error = maxError(last(states), expected);
      assert.ok(error <= 2 * scale, `tol ${tol}: error ${error} above ${2 * scale}`);
      assert.ok(stats.acceptedSteps < previousSteps, `tol ${tol}: ${stats.acceptedSteps} steps, not fewer than ${previousSteps}`);
      previousSteps = stats.acceptedSteps;
    }
  });
}

test('output times are independent of steps: extra output times change neither the steps nor the end state', () => {
  const y0 = Float64Array.of(1, 0);
  const options: IntegrateOptions = { method: 'dopri5', atol: 1e-7, rtol: 1e-7 };
  const ts = linspace(0, 2, 41);
  const coarse = integrateWithStats(rotation.f, y0, [0, 2], options, float64Ops);
  const fine = integrateWithStats(rotation.f, y0, ts, options, float64Ops);
  assert.deepEqual(fine.stats, coarse.stats);
  assert.deepEqual(last(fine.states), last(coarse.states));
  assert.equal(fine.states.length, ts.length);
  assert.ok(fine.stats.acceptedSteps < 20, 'more outputs than steps, so most are interpolated');
  fine.states.forEach((y, i) => assert.ok(maxError(y, rotation.exact(ts[i]!)) < 1e-6, `t=${ts[i]}`));
  assert.equal(fine.states[0], y0);
});

test('stepsPerOutput steps onto every output time: the same states as one fixed-step solve per interval', () => {
  const ts = [0, 0.1, 0.25, 0.7, 2];
  const y0 = Float64Array.of(1, 0);
  const one = integrateWithStats(rotation.f, y0, ts, { method: 'rk4', stepsPerOutput: 3 }, float64Ops);
  let y: State = y0;
  for (let k = 1; k < ts.length; k++) {
    y = last(integrate(rotation.f, y, [ts[k - 1]!, ts[k]!], { method: 'rk4', steps: 3 }, float64Ops));
    assert.deepEqual(one.states[k], y, `t=${ts[k]}`);
  }
  assert.equal(one.stats.acceptedSteps, 3 * (ts.length - 1));
  assert.equal(one.stats.nfe, 3 * (ts.length - 1) * 4 + 1, 'one evaluation at each step end, none restarting');
  assert.throws(
    () => integrate(rotation.f, y0, ts, { method: 'rk4', steps: 3, stepsPerOutput: 3 }, float64Ops),
    (e: unknown) => e instanceof FlowGifError && e.code === 'INVALID_ARGUMENT' && /stepsPerOutput/.test(e.message),
  );
});

test('integrateEachAsync hands over each output in order, with f where the solver evaluated it', async () => {
  const ts = linspace(0, 2, 9);
  const y0 = Float64Array.of(1, 0);
  for (const options of [{ method: 'rk4', stepsPerOutput: 2 }, { method: 'dopri5', atol: 1e-8, rtol: 1e-8 }] as const) {
    const seen: { index: number; y: State; f: State | undefined }[] = [];
    const stats = await integrateEachAsync(rotation.f, y0, ts, options, float64Ops, ({ index, t, y, f }) => {
      assert.equal(t, ts[index]);
      seen.push({ index, y: Float64Array.from(y), f: f && Float64Array.from(f) });
    });
    const expected = integrateWithStats(rotation.f, y0, ts, options, float64Ops);
    assert.deepEqual(stats, expected.stats);
    assert.deepEqual(seen.map((o) => o.index), ts.map((_, i) => i));
    assert.deepEqual(seen.map((o) => o.y), expected.states);
    const withF = seen.filter((o) => o.f !== undefined);
    for (const { y, f } of withF) assert.deepEqual(f, rotation.f(0, y));
    if (options.method === 'rk4') assert.equal(withF.length, ts.length, 'every output is a step end');
    else assert.deepEqual(withF.map((o) => o.index), [0, ts.length - 1], 'interpolated outputs come without f');
  }
});

test('integrates backwards in time when ts decreases', () => {
  const ts = linspace(2, 0, 9);
  const y2 = Float64Array.from(rotation.exact(2));
  const adaptive = integrate(rotation.f, y2, ts, { method: 'dopri5', atol: 1e-8, rtol: 1e-8 }, float64Ops);
  adaptive.forEach((y, i) => assert.ok(maxError(y, rotation.exact(ts[i]!)) < 1e-7, `dopri5 t=${ts[i]}`));
  const fixed = integrate(rotation.f, y2, ts, { method: 'rk4', steps: 50 }, float64Ops);
  fixed.forEach((y, i) => assert.ok(maxError(y, rotation.exact(ts[i]!)) < 1e-6, `rk4 t=${ts[i]}`));
  const dense = integrateDense(rotation.f, y2, 2, 0, { method: 'dopri5', atol: 1e-8, rtol: 1e-8 }, float64Ops);
  assert.ok(maxError(dense.at(0.3), rotation.exact(0.3)) < 1e-7);
});

test('dense output is accurate between steps, at any t, without re-integrating', () => {
  const problem = problems[1]!;
  const dense = integrateDense(problem.f, Float64Array.of(1), 0, 2, { method: 'dopri5', atol: 1e-8, rtol: 1e-8 }, float64Ops);
  assert.ok(dense.acceptedSteps < 60);
  const nfe = dense.nfe;
  let worst = 0;
  for (const t of linspace(0, 2, 1001)) worst = Math.max(worst, maxError(dense.at(t), problem.exact(t)));
  // The quartic is 4th order while dopri5 steps are 5th, so between steps the error exceeds the
  // tolerance that steps are held to (torchdiffeq alike); measured 1.5e-7 here.
  assert.ok(worst < 5e-7, `worst interpolation error ${worst}`);
  assert.equal(dense.nfe, nfe);
  assert.throws(() => dense.at(2.5), (e: unknown) => e instanceof FlowGifError && e.code === 'INVALID_ARGUMENT');
});

test('dense output converges at 4th order inside fixed steps (quartic for dopri5, Hermite for rk4)', () => {
  for (const method of ['dopri5', 'rk4'] as const) {
    const worstAt = (steps: number): number => {
      const dense = integrateDense(rotation.f, Float64Array.of(1, 0), 0, 2, { method, steps }, float64Ops);
      let worst = 0;
      // Points strictly inside steps, where only the interpolant answers.
      for (let i = 0; i < steps; i++) {
        const t = (2 * (i + 0.37)) / steps;
        worst = Math.max(worst, maxError(dense.at(t), rotation.exact(t)));
      }
      return worst;
    };
    const order = Math.log2(worstAt(16) / worstAt(32));
    assert.ok(order >= 3.7, `${method}: interpolation order ${order.toFixed(2)}`);
  }
});

test('FSAL: each dopri5 step costs 6 new evaluations; the first costs 1 more, Hairer 1 more', () => {
  const deltas: number[] = [];
  let previousNfe = 0;
  const { stats } = integrateWithStats(
    problems[1]!.f,
    Float64Array.of(1),
    [0, 2],
    {
      method: 'dopri5',
      onStep: (info) => {
        deltas.push(info.nfe - previousNfe);
        previousNfe = info.nfe;
      },
    },
    float64Ops,
  );
  assert.equal(stats.nfe, 2 + 6 * (stats.acceptedSteps + stats.rejectedSteps));
  assert.deepEqual(deltas.slice(1), deltas.slice(1).map(() => 6));
  assert.equal(deltas[0], 8);

  const fixed = integrateWithStats(rotation.f, Float64Array.of(1, 0), [0, 1], { method: 'dopri5', steps: 10 }, float64Ops);
  assert.equal(fixed.stats.nfe, 1 + 6 * 10);
  // Non-FSAL methods evaluate each step's end once, and it starts the next step.
  const classic = integrateWithStats(rotation.f, Float64Array.of(1, 0), [0, 1], { method: 'rk4', steps: 10 }, float64Ops);
  assert.equal(classic.stats.nfe, 1 + 4 * 10);
});

test('the async driver gives identical results to the sync one', async () => {
  const asyncF = async (t: number, y: State): Promise<State> => {
    await new Promise((resolve) => setImmediate(resolve));
    return rotation.f(t, y);
  };
  const ts = linspace(0, 2, 7);
  for (const options of [{ method: 'dopri5', atol: 1e-6, rtol: 1e-6 }, { method: 'midpoint', steps: 13 }] as IntegrateOptions[]) {
    const sync = integrateWithStats(rotation.f, Float64Array.of(1, 0), ts, options, float64Ops);
    const viaAsync = await integrateWithStatsAsync(asyncF, Float64Array.of(1, 0), ts, options, float64Ops);
    assert.deepEqual(viaAsync, sync);
    assert.deepEqual(await integrateAsync(rotation.f, Float64Array.of(1, 0), ts, options, float64Ops), sync.states);
  }
  const dense = integrateDense(rotation.f, Float64Array.of(1, 0), 0, 2, { method: 'dopri5' }, float64Ops);
  const denseAsync = await integrateDenseAsync(asyncF, Float64Array.of(1, 0), 0, 2, { method: 'dopri5' }, float64Ops);
  assert.equal(denseAsync.nfe, dense.nfe);
  assert.deepEqual(denseAsync.at(1.234), dense.at(1.234));
});

test('aborting mid-run throws AbortError before another step starts (sync)', () => {
  const controller = new AbortController();
  let evaluations = 0;
  let evaluationsAtAbort = -1;
  let steps = 0;
  const f: Rhs<State> = (t, y) => {
    evaluations += 1;
    return rotation.f(t, y);
  };
  assert.throws(
    () =>
      integrate(f, Float64Array.of(1, 0), [0, 100], {
        method: 'dopri5',
        signal: controller.signal,
        onStep: () => {
          steps += 1;
          if (steps === 3) {
            controller.abort();
            evaluationsAtAbort = evaluations;
          }
        },
      }, float64Ops),
    { name: 'AbortError' },
  );
  assert.equal(evaluations, evaluationsAtAbort);
});

test('aborting an async run from outside stops it within one step', async () => {
  const controller = new AbortController();
  let evaluations = 0;
  let evaluationsAtAbort = -1;
  const f = async (t: number, y: State): Promise<State> => {
    evaluations += 1;
    if (evaluations === 20) {
      setImmediate(() => {
        controller.abort();
        evaluationsAtAbort = evaluations;
      });
    }
    await new Promise((resolve) => setImmediate(resolve));
    return rotation.f(t, y);
  };
  await assert.rejects(
    integrateAsync(f, Float64Array.of(1, 0), [0, 1000], { method: 'rk4', steps: 100_000, signal: controller.signal }, float64Ops),
    { name: 'AbortError' },
  );
  assert.ok(evaluationsAtAbort > 0 && evaluations - evaluationsAtAbort <= 4, `${evaluations - evaluationsAtAbort} evaluations after abort`);
});

test('an already aborted signal throws before any evaluation', () => {
  let evaluations = 0;
  assert.throws(
    () => integrate((t, y: State) => (evaluations++, y), Float64Array.of(1), [0, 1], { method: 'euler', steps: 2, signal: AbortSignal.abort() }, float64Ops),
    { name: 'AbortError' },
  );
  assert.equal(evaluations, 0);
});

test('invalid input fails with INVALID_ARGUMENT and says what is valid', () => {
  const y0 = Float64Array.of(1);
  const f = problems[0]!.f;
  const invalid = (pattern: RegExp) => (e: unknown) =>
    e instanceof FlowGifError && e.code === 'INVALID_ARGUMENT' && pattern.test(e.message);
  assert.throws(
    () => integrate(f, y0, [0, 1], { method: 'rk45' as OdeMethod }, float64Ops),
    invalid(/Unknown ODE method 'rk45'.*euler, midpoint, rk3, rk4, dopri5/),
  );
  assert.throws(() => integrate(f, y0, [0, 1], { method: 'rk4' }, float64Ops), invalid(/options\.steps/));
  assert.throws(() => integrate(f, y0, [0, 1], { method: 'rk4', steps: 0 }, float64Ops), invalid(/steps/));
  assert.throws(() => integrate(f, y0, [0, 1, 0.5], { method: 'dopri5' }, float64Ops), invalid(/strictly/));
  assert.throws(() => integrate(f, Float64Array.of(NaN), [0, 1], { method: 'dopri5' }, float64Ops), invalid(/NaN/));
  assert.throws(() => integrate(f, y0, [0, 1], { method: 'dopri5', atol: 0, rtol: 0 }, float64Ops), invalid(/atol/));
  assert.throws(() => integrate(f, y0, [0, 1], { method: 'dopri5', maxSteps: 0 }, float64Ops), invalid(/maxSteps/));
  assert.deepEqual(integrate(f, y0, [0.5], { method: 'dopri5' }, float64Ops), [y0]);
});

test('a solver that reaches maxSteps fails with SOLVER_FAILED, not as an invalid setting', () => {
  // Valid settings that the problem cannot meet: the UI must not point at a control.
  assert.throws(
    () => integrate(problems[0]!.f, Float64Array.of(1), [0, 1], { method: 'dopri5', atol: 1e-13, rtol: 1e-13, maxSteps: 5 }, float64Ops),
    (e: unknown) => e instanceof FlowGifError && e.code === 'SOLVER_FAILED' && /dopri5 solver reached maxSteps \(5\) at t=/.test(e.message),
  );
});

test('a right-hand side that turns non-finite ends in a clear error, not a hang', () => {
  let evaluations = 0;
  const f: Rhs<State> = (t, y) => {
    evaluations += 1;
    return t > 0.5 ? Float64Array.of(NaN) : Float64Array.of(y[0]!);
  };
  assert.throws(
    () => integrate(f, Float64Array.of(1), [0, 1], { method: 'dopri5' }, float64Ops),
    (e: unknown) => e instanceof FlowGifError && e.code === 'SOLVER_FAILED' && /underflowed/.test(e.message),
  );
  assert.ok(evaluations < 10_000);
});

test('large states: 200 000 particles rotate correctly and the input is left untouched', () => {
  const n = 200_000;
  const y0 = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) y0[2 * i] = 1 + i / n;
  const copy = new Float64Array(y0);
  const f: Rhs<State> = (_t, y) => {
    const out = new Float64Array(y.length);
    for (let i = 0; i < y.length; i += 2) {
      out[i] = -y[i + 1]!;
      out[i + 1] = y[i]!;
    }
    return out;
  };
  const [, y1] = integrate(f, y0, [0, 1], { method: 'dopri5', atol: 1e-6, rtol: 1e-6 }, float64Ops);
  assert.deepEqual(y0, copy);
  const r = 1 + (n - 1) / n;
  assert.ok(Math.abs(y1![2 * (n - 1)]! - r * Math.cos(1)) < 1e-5);
  assert.ok(Math.abs(y1![2 * (n - 1) + 1]! - r * Math.sin(1)) < 1e-5);
});

test('a tuple state (z, Δlogp) integrates through tupleOps', () => {
  // dz/dt = A z with trace(A) = -1, so Δlogp' = -tr(A) = 1.
  const ops = tupleOps(float64Ops, float64Ops);
  type Pair = readonly [State, State];
  const f: Rhs<Pair> = (_t, [z]) => [Float64Array.of(-0.5 * z[0]!, -0.5 * z[1]!), Float64Array.of(1)];
  const [, end] = integrate<Pair>(f, [Float64Array.of(1, 2), Float64Array.of(0)], [0, 2], { method: 'dopri5' }, ops);
  assert.ok(Math.abs(end![0][0]! - Math.exp(-1)) < 1e-5);
  assert.ok(Math.abs(end![1][0]! - 2) < 1e-9);
});
