import { FlowGifError } from '../../../shared/errors.js';
import { parseArchitecture } from '../train/ffjord-network.js';
import type { NamedTensor, TrainedModel } from '../train/trained-model.js';
import { encodeFieldGraph } from './field-graph.js';

/**
 * FFJORD's ConcatSquash tanh network (ffjord-network.ts) as a velocity field in our time:
 * v(x, t) = −T·f(x, s) with s = (1 − t)·T, since FFJORD's own time s runs from the data
 * (s = 0) to the noise (s = T). Each layer is y = (h·W + b)·σ(g_w·s + g_b) + h_w·s; the gate
 * and the hyper-bias depend on s alone, so they are computed on t as fed ([1, 1] or [N, 1])
 * and broadcast over the rows.
 */
export function exportFfjordOnnx(model: TrainedModel): Uint8Array {
  const { widths } = parseArchitecture(model);
  const byName = new Map(model.weights.map((w) => [w.name, w]));
  const take = (name: string, shape: readonly number[]): NamedTensor => {
    const w = byName.get(name);
    const size = shape.reduce((a, b) => a * b, 1);
    if (w === undefined || w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i]) || w.data.length !== size || !w.data.every(Number.isFinite)) {
      throw new FlowGifError('MODEL_CORRUPT', `FFJORD weight ${name} is missing, damaged or not of shape [${shape.join(', ')}].`, {
        hint: 'Train the model again, or open the .flow file it was saved to from a backup.',
      });
    }
    return w;
  };
  const sqrtEndTime = take('sqrtEndTime', []).data[0]!;
  // Squared in float32, as the tfjs network does, so both see the same T.
  const endTime = Math.fround(sqrtEndTime * sqrtEndTime);
  const doc = `FlowGIF FFJORD velocity field: ConcatSquash tanh network [${widths.join(', ')}], end time T = ${endTime}.`;

  return encodeFieldGraph('ffjord', model.noise, doc, (g, { x, t }) => {
    const endTimeName = g.floats('end_time', [], [endTime]);
    const s = g.op('Sub', [endTimeName, g.op('Mul', [t, endTimeName])]);
    let h = x;
    for (let i = 0; i + 1 < widths.length; i++) {
      const out = widths[i + 1]!;
      const param = (key: string, shape: readonly number[]): string => g.floats(`layer${i}.${key}`, shape, take(`layer${i}.${key}`, shape).data);
      const value = g.op('Add', [g.op('MatMul', [h, param('weight', [widths[i]!, out])]), param('bias', [out])]);
      const gate = g.op('Sigmoid', [g.op('Add', [g.op('Mul', [s, param('gateWeight', [out])]), param('gateBias', [out])])]);
      h = g.op('Add', [g.op('Mul', [value, gate]), g.op('Mul', [s, param('hyperBias', [out])])]);
      if (i + 2 < widths.length) h = g.op('Tanh', [h]);
    }
    return g.op('Mul', [h, g.floats('minus_end_time', [], [-endTime])]);
  });
}
