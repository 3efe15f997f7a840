import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { FlowGifError } from '../../../shared/errors.js';
import { DYNAMICS_OUT, DYNAMICS_STATE, DYNAMICS_TAU, encodeFfjordDynamics, gradName, stateWidth, VJP_COTANGENT, VJP_STATE_GRAD } from '../onnx/ffjord-dynamics-graph.js';
import { integrateWithStatsAsync } from '../ode/integrate.js';
import type { VectorOps } from '../ode/vector-ops.js';
import { createHostAdam } from '../train/adam.js';
import { weightNames, type FfjordArchitecture } from '../train/ffjord-network.js';
import type { FfjordSolve, FfjordStepBackend, FfjordSteps, FfjordStepSpec } from '../train/ffjord-trainer.js';
import { float32MixedOps, SolverTape, type TapedState } from '../train/solver-tape.js';
import type { NamedTensor } from '../train/trained-model.js';
import { ORT_TRAINING_BACKEND } from './ort-fm-steps.js';
import { createOrtSession, type OrtSession, type OrtSessionOptions } from './ort-session.js';

/**
 * One intra-op thread: FFJORD's calls are small and many, between stretches of JavaScript, and
 * a second thread cost 1.7–1.9× the time a step (scratch runs, batch 250, width 64, alternating).
 */
const FFJORD_THREADS = 1;

/**
 * z_x and z_y in one error-norm group, Δlogp in the other (ffjord-state-ops.ts); the penalties'
 * integrals, where there are any, steer nothing, so a penalised solve takes the steps a plain one would.
 */
const stateGroups = (penalties: boolean): number[] => (penalties ? [0, 0, 1, -1, -1] : [0, 0, 1]);

/**
 * How the gradient is found. 'backprop' sends it back through the forward solve's recorded
 * stages (discretise-then-optimise, as the tfjs trainer does): the exact gradient of the
 * computed loss. 'adjoint' solves the adjoint equations backwards from τ = 1 (FFJORD's own
 * odeint_adjoint): memory that does not grow with the steps, a gradient as accurate as the
 * solver's tolerance. BENCHMARKS.md compares them; backprop is the default.
 */
export type FfjordGradients = 'backprop' | 'adjoint';

export interface OrtFfjordOptions extends OrtSessionOptions {
  readonly gradients?: FfjordGradients;
}

/**
 * FFJORD's steps on onnxruntime. The network's right-hand side and its vector-Jacobian product
 * are ONNX graphs (ffjord-dynamics-graph.ts); our dopri5 solves, and the loss's gradient
 * goes back through the recorded stages (or by the adjoint method), each asking the VJP graph
 * for its share. Adam runs on the host: the parameters are a few thousand numbers.
 */
export function ortFfjordSteps(options: OrtFfjordOptions = {}): FfjordStepBackend {
  return { name: ORT_TRAINING_BACKEND, create: (architecture, initial, spec) => createOrtFfjordSteps(architecture, initial, spec, options) };
}

/** FFJORD's steps, which can also give one batch's loss and gradients without a step (the agreement tests). */
export interface OrtFfjordSteps extends FfjordSteps {
  /**
   * The next batch's −mean log p, its penalty (the weighted mean integrals, 0 without), and the
   * gradient of their sum for every parameter, weight decay left out.
   */
  lossAndGradients(): Promise<{ loss: number; penalty: number; grads: Float64Array[] }>;
  /** Evaluations of the last backward solve, with adjoint gradients; 0 with backprop. */
  readonly backwardNfe: number;
}

export async function createOrtFfjordSteps(
  architecture: FfjordArchitecture,
  initial: readonly NamedTensor[],
  spec: FfjordStepSpec,
  options: OrtFfjordOptions = {},
): Promise<OrtFfjordSteps> {
  const penalties = spec.penalties !== undefined;
  const sessions: OrtSession[] = [];
  const start = async (vjp: boolean): Promise<OrtSession> => {
    const what = vjp ? 'FFJORD vector-Jacobian product' : 'FFJORD right-hand side';
    const started = await createOrtSession(encodeFfjordDynamics(architecture, { vjp, penalties }), what, { intraOpThreads: FFJORD_THREADS, ...options }).catch((error: unknown) => {
      // The trainer then takes its steps on TensorFlow.js instead: slower, not broken.
      throw new FlowGifError('BACKEND_UNAVAILABLE', `onnxruntime could not run the ${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    });
    sessions.push(started);
    return started;
  };
  try {
    const forward = await start(false);
    const backward = await start(true);
    return ffjordStepsOn(forward, backward, architecture, initial, spec, options.gradients ?? 'backprop', () => {
      for (const s of sessions) s.dispose();
    });
  } catch (error) {
    for (const s of sessions) s.dispose();
    throw error;
  }
}

function ffjordStepsOn(
  forward: OrtSession,
  backward: OrtSession,
  architecture: FfjordArchitecture,
  initial: readonly NamedTensor[],
  spec: FfjordStepSpec,
  gradients: FfjordGradients,
  release: () => void,
): OrtFfjordSteps {
  const { ort } = forward;
  const names = weightNames(architecture);
  const width = stateWidth(spec.penalties !== undefined);
  const groups = stateGroups(spec.penalties !== undefined);
  let params: Float32Array[] = initial.map((w) => Float32Array.from(w.data));
  const adam = createHostAdam(params);
  const tensor = (data: Float32Array, dims: readonly number[]): Tensor => new ort.Tensor('float32', data, dims);
  const weightFeeds = (): Record<string, Tensor> => Object.fromEntries(names.map((name, i) => [name, tensor(params[i]!, initial[i]!.shape)]));
  let weights = weightFeeds();
  let nfe = 0;
  /** Evaluations of the last adjoint solve. */
  let adjointNfe = 0;

  const rhs = async (session: InferenceSession, tau: number, y: Float32Array, extra: Record<string, Tensor>, fetches: readonly string[]) =>
    session.run({ ...weights, [DYNAMICS_STATE]: tensor(y, [y.length / width, width]), [DYNAMICS_TAU]: tensor(Float32Array.of(tau), []), ...extra }, fetches);

  const stateOps = float32MixedOps((j) => groups[j % width]!);
  const dynamics = async (tau: number, y: Float32Array): Promise<Float32Array> => (await rhs(forward.session, tau, y, {}, [DYNAMICS_OUT]))[DYNAMICS_OUT]!.data as Float32Array;

  /** The state at τ = 1 from the data x at τ = 0; on the tape when the gradient is to go back through it. */
  async function solve<Y>(x: Float32Array, solveOptions: FfjordSolve, ops: VectorOps<Y>, start: (y0: Float32Array) => Y, f: (tau: number, y: Y) => Promise<Y>) {
    const n = x.length / 2;
    const y0 = new Float32Array(width * n);
    for (let i = 0; i < n; i++) {
      y0[width * i] = x[2 * i]!;
      y0[width * i + 1] = x[2 * i + 1]!;
    }
    const solution = await integrateWithStatsAsync(f, start(y0), [0, 1], { method: 'dopri5', atol: solveOptions.atol, rtol: solveOptions.rtol, ...(solveOptions.signal === undefined ? {} : { signal: solveOptions.signal }) }, ops);
    return { end: solution.states[solution.states.length - 1]!, nfe: solution.stats.nfe };
  }
  const solvePlain = (x: Float32Array, solveOptions: FfjordSolve) => solve(x, solveOptions, stateOps, (y0) => y0, dynamics);
  const solveTaped = (x: Float32Array, solveOptions: FfjordSolve, tape: SolverTape) =>
    solve(x, solveOptions, tape.ops, (y0) => tape.leaf(y0), async (tau, y) => tape.evaluated(tau, y, await dynamics(tau, y.value)));

  /** log p(x) = log N(z(1); 0, D) − Δlogp(1) for each point. */
  function logDensities(end: Float32Array): Float64Array {
    const { stdX, stdY } = spec.solve.source;
    const n = end.length / width;
    const logNorm = Math.log(2 * Math.PI * stdX * stdY);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const a = end[width * i]! / stdX;
      const b = end[width * i + 1]! / stdY;
      out[i] = -0.5 * (a * a + b * b) - logNorm - end[width * i + 2]!;
    }
    return out;
  }

  const gradientFetches = [VJP_STATE_GRAD, ...names.map(gradName)];

  /** Backpropagation through the forward solve's stages: each asks the VJP graph for its share. */
  async function tapeGradients(tape: SolverTape, end: TapedState, seed: Float32Array): Promise<Float64Array[]> {
    const grads = params.map((p) => new Float64Array(p.length));
    await tape.backward(end, seed, async (tau, y, cotangent) => {
      const out = await rhs(backward.session, tau, y, { [VJP_COTANGENT]: tensor(cotangent, [y.length / width, width]) }, gradientFetches);
      names.forEach((name, i) => {
        const g = out[gradName(name)]!.data as Float32Array;
        const sum = grads[i]!;
        for (let j = 0; j < g.length; j++) sum[j]! += g[j]!;
      });
      return out[VJP_STATE_GRAD]!.data as Float32Array;
    });
    return grads;
  }

  /**
   * The adjoint method: from τ = 1 back to 0, the state y, its adjoint a and the parameters'
   * gradient g as one vector, dy/dτ = f, da/dτ = −aᵀ∂f/∂y, dg/dτ = −aᵀ∂f/∂θ; g(0) is the
   * gradient. Error control over y, a and g, each part its own group, as torchdiffeq's.
   */
  async function adjointGradients(end: Float32Array, seed: Float32Array): Promise<Float64Array[]> {
    const rows = end.length;
    const sizes = params.map((p) => p.length);
    const total = sizes.reduce((a, b) => a + b, 0);
    const state = new Float32Array(2 * rows + total);
    state.set(end, 0);
    state.set(seed, rows);
    const groupOf = (j: number): number => {
      if (j >= 2 * rows) return 4;
      const group = groups[j % width]!;
      return group < 0 || j < rows ? group : 2 + group;
    };
    const solution = await integrateWithStatsAsync(
      async (tau, s) => {
        const y = s.subarray(0, rows);
        const out = await rhs(backward.session, tau, Float32Array.from(y), { [VJP_COTANGENT]: tensor(Float32Array.from(s.subarray(rows, 2 * rows)), [rows / width, width]) }, [DYNAMICS_OUT, ...gradientFetches]);
        const ds = new Float32Array(s.length);
        ds.set(out[DYNAMICS_OUT]!.data as Float32Array, 0);
        const stateGrad = out[VJP_STATE_GRAD]!.data as Float32Array;
        for (let j = 0; j < rows; j++) ds[rows + j] = -stateGrad[j]!;
        let at = 2 * rows;
        for (const name of names) {
          const g = out[gradName(name)]!.data as Float32Array;
          for (let j = 0; j < g.length; j++) ds[at + j] = -g[j]!;
          at += g.length;
        }
        return ds;
      },
      state,
      [1, 0],
      { method: 'dopri5', atol: spec.solve.atol, rtol: spec.solve.rtol, ...(spec.solve.signal === undefined ? {} : { signal: spec.solve.signal }) },
      float32MixedOps(groupOf),
    );
    adjointNfe = solution.stats.nfe;
    const final = solution.states[solution.states.length - 1]!;
    let at = 2 * rows;
    return sizes.map((size) => {
      const g = Float64Array.from(final.subarray(at, at + size));
      at += size;
      return g;
    });
  }

  return {
    get nfe() {
      return nfe;
    },
    get backwardNfe() {
      return adjointNfe;
    },
    async lossAndGradients() {
      const x = spec.nextBatch();
      const n = x.length / 2;
      // The adjoint method needs only the end: no tape.
      let end: Float32Array;
      let gradientsFor: (seed: Float32Array) => Promise<Float64Array[]>;
      if (gradients === 'adjoint') {
        ({ end, nfe } = await solvePlain(x, spec.solve));
        gradientsFor = (seed) => adjointGradients(end, seed);
      } else {
        const tape = new SolverTape(groups);
        const solved = await solveTaped(x, spec.solve, tape);
        ({ nfe } = solved);
        end = solved.end.value;
        gradientsFor = (seed) => tapeGradients(tape, solved.end, seed);
      }
      const logp = logDensities(end);
      let loss = 0;
      for (const v of logp) loss -= v / n;
      let penalty = 0;
      if (spec.penalties !== undefined) {
        for (let i = 0; i < n; i++) penalty += (spec.penalties.kinetic * end[width * i + 3]! + spec.penalties.frobenius * end[width * i + 4]!) / n;
      }
      // d(−mean log p)/d z(1) = z/(n·σ²), 1/n for Δlogp(1), and each penalty's weight/n for its integral.
      const { stdX, stdY } = spec.solve.source;
      const seed = new Float32Array(width * n);
      for (let i = 0; i < n; i++) {
        seed[width * i] = end[width * i]! / (n * stdX * stdX);
        seed[width * i + 1] = end[width * i + 1]! / (n * stdY * stdY);
        seed[width * i + 2] = 1 / n;
        if (spec.penalties !== undefined) {
          seed[width * i + 3] = spec.penalties.kinetic / n;
          seed[width * i + 4] = spec.penalties.frobenius / n;
        }
      }
      return { loss, penalty, grads: await gradientsFor(seed) };
    },
    async step(learningRate) {
      const { loss, grads } = await this.lossAndGradients();
      // A diverged step is not applied: the loop reports it and stops.
      if (!Number.isFinite(loss)) return loss;
      // PyTorch's Adam weight_decay is L2 on every parameter, the end time included.
      if (spec.weightDecay > 0) grads.forEach((g, i) => params[i]!.forEach((p, j) => (g[j]! += spec.weightDecay * p)));
      params = adam.step(params, grads, learningRate);
      weights = weightFeeds();
      return loss;
    },
    async heldOutNll(points, tolerance) {
      const { end } = await solvePlain(Float32Array.from(points), { ...spec.solve, atol: tolerance, rtol: tolerance });
      const logp = logDensities(end);
      return -logp.reduce((a, b) => a + b, 0) / logp.length;
    },
    endTime() {
      const sqrtEndTime = params[params.length - 1]![0]!;
      return sqrtEndTime * sqrtEndTime;
    },
    weights: () => params.map((p) => Float32Array.from(p)),
    dispose: release,
  };
}
