import type { Scalar, Tensor2D } from '@tensorflow/tfjs';
import type { VelocityField } from '../flow/velocity-field.js';
import { loadBackend } from './backend.js';
import { ffjordForward, flattenParams, paramsFromWeights, parseArchitecture, type FfjordParams } from './ffjord-network.js';
import type { TrainedModel } from './trained-model.js';

/** Points per tfjs call: amortises op dispatch, stays cache-friendly (as for flow matching). */
const CHUNK = 8192;

/**
 * An FFJORD model as a velocity field in FlowGIF's time. FFJORD's time s runs from the data
 * (s = 0) to the noise (s = T); ours runs from the noise (t = 0) to the picture (t = 1), so
 * s = (1 − t)·T and v(x, t) = dx/dt = −T·f(x, (1 − t)·T).
 */
export async function createFfjordField(model: TrainedModel): Promise<VelocityField> {
  const architecture = parseArchitecture(model);
  const { tf } = await loadBackend();
  let params: FfjordParams | undefined = paramsFromWeights(architecture, model.weights, (w) =>
    tf.tensor(w.data, [...w.shape]),
  );
  const sqrtEndTime = (params.sqrtEndTime.dataSync() as Float32Array)[0]!;
  const endTime = sqrtEndTime * sqrtEndTime;
  return {
    kind: 'ffjord',
    source: model.noise,
    velocity(points, t, out) {
      if (params === undefined) throw new Error('velocity() after dispose()');
      const live = params;
      const n = points.length >> 1;
      for (let start = 0; start < n; start += CHUNK) {
        const count = Math.min(CHUNK, n - start);
        const x = Float32Array.from(points.subarray(2 * start, 2 * (start + count)));
        const v = tf.tidy(() => {
          const f = ffjordForward(tf, live, tf.tensor2d(x, [count, 2]), tf.scalar((1 - t) * endTime) as Scalar);
          return tf.mul(f, -endTime) as Tensor2D;
        });
        const data = v.dataSync() as Float32Array;
        v.dispose();
        for (let i = 0; i < data.length; i++) out[2 * start + i] = data[i]!;
      }
    },
    dispose() {
      if (params !== undefined) tf.dispose(flattenParams(params));
      params = undefined;
    },
  };
}
