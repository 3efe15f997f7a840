import type { VectorOps } from './vector-ops.js';

/**
 * A state made of two parts, e.g. FFJORD's (z, Δlogp). The error norm is torchdiffeq's mixed
 * norm: the largest of the parts' RMS norms, so a small part (one log-density per particle)
 * is not drowned out by a large one.
 */
export function tupleOps<A, B>(first: VectorOps<A>, second: VectorOps<B>): VectorOps<readonly [A, B]> {
  const firsts = (ks: readonly (readonly [A, B])[]): A[] => ks.map((k) => k[0]);
  const seconds = (ks: readonly (readonly [A, B])[]): B[] => ks.map((k) => k[1]);
  return Object.freeze({
    combine: (y: readonly [A, B], h: number, coeffs: readonly number[], ks: readonly (readonly [A, B])[]) =>
      [first.combine(y[0], h, coeffs, firsts(ks)), second.combine(y[1], h, coeffs, seconds(ks))] as const,
    errorRatio: (
      y0: readonly [A, B],
      y1: readonly [A, B],
      h: number,
      errorCoeffs: readonly number[],
      ks: readonly (readonly [A, B])[],
      atol: number,
      rtol: number,
    ) =>
      Math.max(
        first.errorRatio(y0[0], y1[0], h, errorCoeffs, firsts(ks), atol, rtol),
        second.errorRatio(y0[1], y1[1], h, errorCoeffs, seconds(ks), atol, rtol),
      ),
    rmsNorm: (y: readonly [A, B]) => Math.max(first.rmsNorm(y[0]), second.rmsNorm(y[1])),
  });
}
