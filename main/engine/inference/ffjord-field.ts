import type { Scalar, Tensor2D } from '@tensorflow/tfjs';
import type { VelocityField } from '../flow/velocity-field.js';
import { loadBackend } from '../train/backend.js';
import { ffjordForward, flattenParams, paramsFromWeights, parseArchitecture, type FfjordParams } from '../train/ffjord-network.js';
import type { TrainedModel } from '../train/trained-model.js';
import { pointChunks } from './point-chunks.js';

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
      for (const { start, count, x } of pointChunks(points)) {
        const v = tf.tidy(() => {
          const f = ffjordForward(tf, live, tf.tensor2d(x, [count, 2]), tf.scalar((1 - t) * endTime) as Scalar);
          return tf.mul(f, -endTime) as Tensor2D;
        });
        out.set(v.dataSync() as Float32Array, 2 * start);
        v.dispose();
      }
    },
    dispose() {
      if (params !== undefined) tf.dispose(flattenParams(params));
      params = undefined;
    },
  };
}
