import type { VectorOps } from '../ode/vector-ops.js';

/** A state the tape has seen: its values, row-major, and its place on the tape. */
export interface TapedState {
  readonly value: Float32Array;
  readonly id: number;
}

type Entry =
  | { readonly kind: 'combine'; readonly out: number; readonly y: number; readonly weights: readonly number[]; readonly ks: readonly number[] }
  | { readonly kind: 'evaluate'; readonly out: number; readonly input: TapedState; readonly t: number };

/**
 * Reverse mode through a solve, for a network whose gradients come from elsewhere (an ONNX
 * vector-Jacobian product): the solver runs on TapedStates, every combination of states and
 * every right-hand-side evaluation is recorded, and backward() sends a final state's cotangent
 * back through them (discretise-then-optimise, as the tfjs trainer does with its tape). Step
 * sizes are constants, as in any autodiff of an adaptive solver. What never reaches the output
 * (rejected steps, error estimates) gets no cotangent and costs nothing going back.
 *
 * The error norm is FFJORD's mixed one (ffjord-state-ops.ts): the state is rows of `groups`
 * columns, each column in a group; RMS within each group, the largest of them. A column in
 * group −1 is left out of the norm: it rides along without steering the step size.
 */
export class SolverTape {
  private readonly entries: Entry[] = [];
  private count = 0;
  readonly ops: VectorOps<TapedState>;

  constructor(groups: readonly number[]) {
    const values = float32MixedOps((j) => groups[j % groups.length]!);
    this.ops = {
      combine: (y, h, coeffs, ks) => {
        const state = this.state(values.combine(y.value, h, coeffs, ks.map((k) => k.value)));
        const used = coeffs.flatMap((c, i) => (c === 0 ? [] : [i]));
        this.entries.push({ kind: 'combine', out: state.id, y: y.id, weights: used.map((i) => h * coeffs[i]!), ks: used.map((i) => ks[i]!.id) });
        return state;
      },
      errorRatio: (y0, y1, h, errorCoeffs, ks, atol, rtol) => values.errorRatio(y0.value, y1.value, h, errorCoeffs, ks.map((k) => k.value), atol, rtol),
      rmsNorm: (y) => values.rmsNorm(y.value),
    };
  }

  /** A state that depends on nothing recorded: the solve's start. */
  leaf(value: Float32Array): TapedState {
    return this.state(value);
  }

  /** Records f(t, input) = output, where f's vector-Jacobian product is backward()'s to ask for. */
  evaluated(t: number, input: TapedState, output: Float32Array): TapedState {
    const state = this.state(output);
    this.entries.push({ kind: 'evaluate', out: state.id, input, t });
    return state;
  }

  /**
   * Sends `cotangent`, the loss's gradient for `output`, back through the tape. vjp(t, y, ȳ)
   * must return ȳ·∂f(t, y)/∂y and keep the parameters' share itself. Returns the cotangent of
   * each leaf by id.
   */
  async backward(output: TapedState, cotangent: Float32Array, vjp: (t: number, y: Float32Array, cotangent: Float32Array) => Promise<Float32Array>): Promise<Map<number, Float32Array>> {
    const adjoints = new Map<number, Float32Array>([[output.id, Float32Array.from(cotangent)]]);
    const add = (id: number, weight: number, values: Float32Array): void => {
      const current = adjoints.get(id);
      if (current === undefined) {
        const fresh = new Float32Array(values.length);
        for (let j = 0; j < values.length; j++) fresh[j] = weight * values[j]!;
        adjoints.set(id, fresh);
      } else {
        for (let j = 0; j < values.length; j++) current[j]! += weight * values[j]!;
      }
    };
    for (let e = this.entries.length - 1; e >= 0; e--) {
      const entry = this.entries[e]!;
      const adjoint = adjoints.get(entry.out);
      if (adjoint === undefined) continue;
      adjoints.delete(entry.out);
      if (entry.kind === 'combine') {
        add(entry.y, 1, adjoint);
        entry.ks.forEach((k, i) => add(k, entry.weights[i]!, adjoint));
      } else {
        add(entry.input.id, 1, await vjp(entry.t, entry.input.value, adjoint));
      }
    }
    return adjoints;
  }

  private state(value: Float32Array): TapedState {
    return { value, id: this.count++ };
  }
}

/**
 * The solver's arithmetic on float32 states with the mixed error norm: each element in the
 * group groupOf(index) gives, RMS within each group, the largest of them; group −1 is left out.
 */
export function float32MixedOps(groupOf: (index: number) => number): VectorOps<Float32Array> {
  const norm = (length: number, squares: (j: number) => number): number => {
    const sums: number[] = [];
    const sizes: number[] = [];
    for (let j = 0; j < length; j++) {
      const group = groupOf(j);
      if (group < 0) continue;
      sums[group] = (sums[group] ?? 0) + squares(j);
      sizes[group] = (sizes[group] ?? 0) + 1;
    }
    let worst = 0;
    sums.forEach((sum, k) => (worst = Math.max(worst, sum / sizes[k]!)));
    return Math.sqrt(worst);
  };
  return {
    combine(y, h, coeffs, ks) {
      const out = Float32Array.from(y);
      coeffs.forEach((c, i) => {
        if (c === 0) return;
        const w = h * c;
        const k = ks[i]!;
        for (let j = 0; j < out.length; j++) out[j]! += w * k[j]!;
      });
      return out;
    },
    errorRatio(y0, y1, h, errorCoeffs, ks, atol, rtol) {
      const err = new Float64Array(y0.length);
      errorCoeffs.forEach((e, i) => {
        if (e === 0) return;
        const k = ks[i]!;
        for (let j = 0; j < err.length; j++) err[j]! += e * k[j]!;
      });
      return norm(err.length, (j) => {
        const r = (h * err[j]!) / (atol + rtol * Math.max(Math.abs(y0[j]!), Math.abs(y1[j]!)));
        return r * r;
      });
    },
    rmsNorm: (y) => norm(y.length, (j) => y[j]! * y[j]!),
  };
}
