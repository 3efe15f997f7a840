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

  constructor(private readonly groups: readonly number[]) {
    const norm = (squares: (j: number) => number, length: number): number => {
      const width = this.groups.length;
      const groupCount = Math.max(...this.groups) + 1;
      const sums = new Float64Array(groupCount);
      const sizes = new Float64Array(groupCount);
      for (let j = 0; j < length; j++) {
        const group = this.groups[j % width]!;
        if (group < 0) continue;
        sums[group]! += squares(j);
        sizes[group]! += 1;
      }
      let worst = 0;
      for (let k = 0; k < groupCount; k++) if (sizes[k]! > 0) worst = Math.max(worst, sums[k]! / sizes[k]!);
      return Math.sqrt(worst);
    };
    this.ops = {
      combine: (y, h, coeffs, ks) => {
        const weights = coeffs.map((c) => h * c);
        const out = Float32Array.from(y.value);
        const used: number[] = [];
        const usedWeights: number[] = [];
        weights.forEach((w, i) => {
          if (w === 0) return;
          const k = ks[i]!.value;
          for (let j = 0; j < out.length; j++) out[j]! += w * k[j]!;
          used.push(ks[i]!.id);
          usedWeights.push(w);
        });
        const state = this.state(out);
        this.entries.push({ kind: 'combine', out: state.id, y: y.id, weights: usedWeights, ks: used });
        return state;
      },
      errorRatio: (y0, y1, h, errorCoeffs, ks, atol, rtol) => {
        const length = y0.value.length;
        const err = new Float64Array(length);
        errorCoeffs.forEach((e, i) => {
          if (e === 0) return;
          const k = ks[i]!.value;
          for (let j = 0; j < length; j++) err[j]! += e * k[j]!;
        });
        return norm((j) => {
          const r = (h * err[j]!) / (atol + rtol * Math.max(Math.abs(y0.value[j]!), Math.abs(y1.value[j]!)));
          return r * r;
        }, length);
      },
      rmsNorm: (y) => norm((j) => y.value[j]! * y.value[j]!, y.value.length),
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
