import type { Scalar, Tensor, Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from './backend.js';
import type { FfjordParams } from './ffjord-network.js';

/**
 * The textbook maths with plain tfjs ops, differentiated by tfjs's autodiff: ConcatSquash
 * layers, tanh, the Jacobian carried forward. The fast kernels (ffjord-dynamics.ts,
 * ffjord-dynamics-graph.ts) are tested against it in value and in gradient. `out` is
 * T·[f, −tr ∂f/∂z] ([n, 3]); `penalised` adds the columns T·‖f‖² and T·‖∂f/∂z‖²_F ([n, 5]),
 * which the TensorFlow.js trainer integrates with it (ffjord-likelihood.ts) when penalties are
 * asked for: about 340 small kernels an evaluation, slow on wasm, but only the fallback.
 */
export function referenceDynamics(tf: Tf, params: FfjordParams, y: Tensor2D, tau: Scalar): { out: Tensor2D; penalised: Tensor2D; f: Tensor2D } {
  const n = y.shape[0];
  const endTime = tf.square(params.sqrtEndTime);
  const s = tf.mul(tau, endTime);
  const last = params.layers.length - 1;
  let h: Tensor = tf.slice(y, [0, 0], [n, 2]);
  let jacobian: Tensor | undefined;
  let result: { out: Tensor2D; penalised: Tensor2D; f: Tensor2D } | undefined;
  params.layers.forEach((l, i) => {
    const width = l.weight.shape[1]!;
    const gate = tf.sigmoid(tf.add(tf.mul(l.gateWeight, s), l.gateBias));
    const a = tf.add(tf.mul(tf.add(tf.matMul(h as Tensor2D, l.weight as Tensor2D), l.bias), gate), tf.mul(l.hyperBias, s));
    const jacobianPre =
      jacobian === undefined
        ? tf.mul(tf.reshape(l.weight, [2, 1, width]), gate)
        : tf.mul(tf.reshape(tf.matMul(tf.reshape(jacobian, [2 * n, -1]) as Tensor2D, l.weight as Tensor2D), [2, n, width]), gate);
    if (i < last) {
      h = tf.tanh(a);
      jacobian = tf.mul(jacobianPre, tf.sub(1, tf.square(h)));
    } else {
      const full = tf.broadcastTo(jacobianPre, [2, n, 2]);
      const trace = tf.add(tf.slice(full, [0, 0, 0], [1, n, 1]), tf.slice(full, [1, 0, 1], [1, n, 1]));
      const out = tf.mul(tf.concat([a, tf.neg(tf.reshape(trace, [n, 1]))], 1), endTime) as Tensor2D;
      const kinetic = tf.sum(tf.square(a), 1, true);
      const frobenius = tf.reshape(tf.sum(tf.sum(tf.square(full), 2), 0), [n, 1]);
      const penalised = tf.concat([out, tf.mul(tf.concat([kinetic, frobenius], 1), endTime)], 1) as Tensor2D;
      result = { out, penalised, f: a as Tensor2D };
    }
  });
  return result!;
}
