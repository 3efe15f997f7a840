import type { Scalar, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { CancelSignal } from '../../../shared/job.js';
import { integrateWithStats } from '../ode/integrate.js';
import { loadBackend, type Tf } from './backend.js';
import { ffjordDynamics } from './ffjord-dynamics.js';
import { referenceDynamics } from './ffjord-dynamics-autodiff.js';
import { ROUND_NOISE, type NoiseSource } from '../flow/noise-source.js';
import { flattenParams, paramsFromWeights, parseArchitecture, sourceLogDensity, type FfjordParams } from './ffjord-network.js';
import { ffjordStateOps } from './ffjord-state-ops.js';
import type { TrainedModel } from './trained-model.js';

export interface FfjordSolveOptions {
  /** dopri5 tolerances; the seed trains and tests at 1e-5. */
  readonly atol?: number;
  readonly rtol?: number;
  readonly signal?: CancelSignal;
  /** The base density N(0, D) the model maps to; default the round N(0, I). */
  readonly source?: NoiseSource;
  /** Finlay et al.'s penalties, integrated beside Δlogp; none unless given. */
  readonly penalties?: FfjordPenalties | undefined;
}

export const FFJORD_TOLERANCE = 1e-5;

/**
 * Finlay et al.'s (2020) penalties' weights: the kinetic energy ∫‖f‖² ds and the Jacobian's
 * Frobenius norm ∫‖∂f/∂z‖²_F ds, exact in 2-D, each point's mean added to the loss.
 */
export interface FfjordPenalties {
  readonly kinetic: number;
  readonly frobenius: number;
}

/**
 * log p(x) for every row of x [n, 2]: integrate (z, Δlogp) from the data (τ = 0) to the noise
 * (τ = 1), then log p(x) = log N(z(T); 0, D) − Δlogp(T), D the source's covariance. Made of ordinary tensor ops, so the
 * trainer calls it inside tf.variableGrads and differentiates through every solver step.
 */
export function ffjordLogDensity(tf: Tf, params: FfjordParams, x: Tensor2D, options: FfjordSolveOptions = {}): { logp: Tensor1D; penalty: Scalar | undefined; nfe: number } {
  const n = x.shape[0];
  const { penalties } = options;
  // With penalties two more columns, T·‖f‖² and T·‖∂f/∂z‖²_F, which the error norm leaves out.
  const y0 = tf.concat([x, tf.zeros([n, penalties === undefined ? 1 : 3])], 1) as Tensor2D;
  const solution = integrateWithStats(
    (tau, y) => (penalties === undefined ? ffjordDynamics(tf, params, y, tau) : referenceDynamics(tf, params, y, tf.scalar(tau)).penalised),
    y0,
    [0, 1],
    {
      method: 'dopri5',
      atol: options.atol ?? FFJORD_TOLERANCE,
      rtol: options.rtol ?? FFJORD_TOLERANCE,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    },
    ffjordStateOps(tf),
  );
  const end = solution.states[solution.states.length - 1]!;
  const z = tf.slice(end, [0, 0], [n, 2]) as Tensor2D;
  const deltaLogp = tf.reshape(tf.slice(end, [0, 2], [n, 1]), [n]);
  const penalty =
    penalties === undefined ? undefined : (tf.mean(tf.matMul(tf.slice(end, [0, 3], [n, 2]) as Tensor2D, tf.tensor2d([penalties.kinetic, penalties.frobenius], [2, 1]))) as Scalar);
  return { logp: tf.sub(sourceLogDensity(tf, z, options.source ?? ROUND_NOISE), deltaLogp) as Tensor1D, penalty, nfe: solution.stats.nfe };
}

export interface FfjordLikelihoodOptions extends FfjordSolveOptions {
  /** Points per solve; the step size is shared within a batch. */
  readonly batchSize?: number;
}

/** Per-point log p(x) in nats of an FFJORD model (exact divergence, dopri5), e.g. held-out NLL. */
export async function ffjordLogLikelihood(model: TrainedModel, points: Float64Array, options: FfjordLikelihoodOptions = {}): Promise<Float64Array> {
  const { tf } = await loadBackend();
  const params = paramsFromWeights(parseArchitecture(model), model.weights, (w) => tf.tensor(w.data, [...w.shape]));
  try {
    return logLikelihoodWith(tf, params, points, { source: model.noise, ...options });
  } finally {
    tf.dispose(flattenParams(params));
  }
}

/** Same for live parameters (the trainer's held-out evaluation). */
export function logLikelihoodWith(tf: Tf, params: FfjordParams, points: Float64Array, options: FfjordLikelihoodOptions = {}): Float64Array {
  const n = points.length >> 1;
  const batch = options.batchSize ?? 5000;
  const out = new Float64Array(n);
  for (let start = 0; start < n; start += batch) {
    options.signal?.throwIfAborted();
    const count = Math.min(batch, n - start);
    const logp = tf.tidy(() => {
      const x = tf.tensor2d(Float32Array.from(points.subarray(2 * start, 2 * (start + count))), [count, 2]);
      return ffjordLogDensity(tf, params, x, options).logp;
    });
    out.set(logp.dataSync(), start);
    logp.dispose();
  }
  return out;
}
