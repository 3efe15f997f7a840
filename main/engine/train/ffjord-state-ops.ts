import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import type { VectorOps } from '../ode/vector-ops.js';
import type { Tf } from './backend.js';

/**
 * The solver's arithmetic on FFJORD's state, one [n, 3] tensor of rows (z_x, z_y, Δlogp), or
 * [n, 5] with the penalties' two integrals, which the error norm leaves out.
 * Every result is a new tensor made by ordinary ops, so a whole dopri5 solve recorded inside
 * tf.variableGrads is differentiated step by step (discretise-then-optimise).
 *
 * One tensor rather than the ode module's tupleOps over (z, Δ): half the ops per stage, and
 * tiny ops dominate on wasm. The error norm is still torchdiffeq's mixed norm over the two
 * parts, max(RMS over z, RMS over Δlogp), which FFJORD's tuple state was controlled by.
 */
export function ffjordStateOps(tf: Tf): VectorOps<Tensor2D> {
  const weighted = (y: Tensor2D | undefined, h: number, coeffs: readonly number[], ks: readonly Tensor2D[]): Tensor2D => {
    const terms: Tensor[] = y === undefined ? [] : [y];
    coeffs.forEach((c, i) => {
      if (c !== 0) terms.push(tf.mul(ks[i]!, h * c));
    });
    if (terms.length === 0) return tf.zerosLike(ks[0]!);
    return (terms.length === 1 ? terms[0]! : tf.addN(terms)) as Tensor2D;
  };
  return {
    combine: (y, h, coeffs, ks) => weighted(y, h, coeffs, ks),
    errorRatio(y0, y1, h, errorCoeffs, ks, atol, rtol) {
      const groups = tf.tidy(() => {
        const err = weighted(undefined, h, errorCoeffs, ks);
        const scale = tf.add(tf.mul(tf.maximum(tf.abs(y0), tf.abs(y1)), rtol), atol);
        const meanSquares = tf.mean(tf.square(tf.div(err, scale)), 0);
        return meanSquares.dataSync();
      });
      const z = (groups[0]! + groups[1]!) / 2;
      return Math.sqrt(Math.max(z, groups[2]!));
    },
    rmsNorm(y) {
      const groups = tf.tidy(() => tf.mean(tf.square(y), 0).dataSync());
      return Math.sqrt(Math.max((groups[0]! + groups[1]!) / 2, groups[2]!));
    },
  };
}
