/**
 * Everything the solver needs from a state type. The solver never disposes or mutates a state,
 * so an implementation over TensorFlow.js tensors can run inside a gradient tape unchanged.
 */
export interface VectorOps<Y> {
  /** y + h * Σ_i coeffs[i] * ks[i]; zero coefficients are skipped. Returns a new Y, never mutates. */
  combine(y: Y, h: number, coeffs: readonly number[], ks: readonly Y[]): Y;
  /** RMS over all elements of err / (atol + rtol * max(|y0|, |y1|)), where err = h * Σ e_i ks[i]. */
  errorRatio(y0: Y, y1: Y, h: number, errorCoeffs: readonly number[], ks: readonly Y[], atol: number, rtol: number): number;
  /** RMS norm, for Hairer's initial step. */
  rmsNorm(y: Y): number;
}

function checkLength(expected: number, actual: number): void {
  // A wrong-sized derivative would otherwise read as NaN deep inside a step.
  if (actual !== expected) {
    throw new RangeError(`state length mismatch: expected ${expected} elements, got ${actual}`);
  }
}

/** Plain loops over whole arrays: one allocation per call, none per element (400 000-element states). */
export const float64Ops: VectorOps<Float64Array> = Object.freeze({
  combine(y: Float64Array, h: number, coeffs: readonly number[], ks: readonly Float64Array[]): Float64Array {
    const n = y.length;
    const out = new Float64Array(y);
    for (let i = 0; i < coeffs.length; i++) {
      const c = coeffs[i]!;
      if (c === 0) continue;
      const k = ks[i]!;
      checkLength(n, k.length);
      const s = h * c;
      for (let j = 0; j < n; j++) out[j]! += s * k[j]!;
    }
    return out;
  },

  errorRatio(
    y0: Float64Array,
    y1: Float64Array,
    h: number,
    errorCoeffs: readonly number[],
    ks: readonly Float64Array[],
    atol: number,
    rtol: number,
  ): number {
    const n = y0.length;
    if (n === 0) return 0;
    checkLength(n, y1.length);
    const err = new Float64Array(n);
    for (let i = 0; i < errorCoeffs.length; i++) {
      const e = errorCoeffs[i]!;
      if (e === 0) continue;
      const k = ks[i]!;
      checkLength(n, k.length);
      for (let j = 0; j < n; j++) err[j]! += e * k[j]!;
    }
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const scale = atol + rtol * Math.max(Math.abs(y0[j]!), Math.abs(y1[j]!));
      const r = (h * err[j]!) / scale;
      sum += r * r;
    }
    return Math.sqrt(sum / n);
  },

  rmsNorm(y: Float64Array): number {
    const n = y.length;
    if (n === 0) return 0;
    let sum = 0;
    for (let j = 0; j < n; j++) sum += y[j]! * y[j]!;
    return Math.sqrt(sum / n);
  },
});
