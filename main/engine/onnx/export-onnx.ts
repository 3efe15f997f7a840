import { FlowGifError } from '../../../shared/errors.js';
import type { TrainedModel } from '../train/trained-model.js';
import { exportFfjordOnnx } from './ffjord-graph.js';
import { exportFmOnnx } from './fm-graph.js';

export { EXPORT_FORMAT_VERSION, INPUT_T, INPUT_X, OUTPUT_V } from './field-graph.js';
export { ONNX_OPSET } from './onnx-model.js';

/**
 * A trained model's velocity field as an ONNX model (opset 17, IR 8), for our own inference
 * through onnxruntime and as a user-facing export.
 *
 * Inputs: `x` float32 [N, 2] (model space), `t` float32 [N, 1] (pass the same t in every row
 * to move a batch of particles together) or [1, 1], broadcast to all rows.
 * Output: `v` float32 [N, 2], dx/dt in our time convention, t = 0 noise and t = 1 the picture,
 * for every method (FFJORD's reversed, rescaled time is converted inside the graph).
 */
export function exportOnnx(model: TrainedModel): Uint8Array {
  switch (model.method) {
    case 'fm':
      return exportFmOnnx(model);
    case 'ffjord':
      return exportFfjordOnnx(model);
    default:
      throw new FlowGifError('MODEL_FOREIGN', `Models trained with method ${JSON.stringify(model.method)} cannot be exported to ONNX by this build.`);
  }
}
