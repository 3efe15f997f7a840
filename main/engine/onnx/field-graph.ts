import type { NoiseSource } from '../flow/noise-source.js';
import { GraphBuilder, encodeOnnxModel, type OnnxValueInfo } from './onnx-model.js';

/**
 * What every exported velocity field shares: the signature v = f(x, t), where a caller may pass
 * t as [N, 1] (a time per point) or as a single [1, 1] for all points.
 */
export const INPUT_X = 'x';
export const INPUT_T = 't';
export const OUTPUT_V = 'v';

/** Bumped when the graph's inputs, outputs or conventions change. */
export const EXPORT_FORMAT_VERSION = '1';

const inputs: readonly OnnxValueInfo[] = [
  { name: INPUT_X, dataType: 'float', shape: ['N', 2], doc: 'Points in model space: the picture spans [-4, 4] along its longer side, y up.' },
  // Its own symbolic dimension: ORT checks ranks and fixed sizes only, and [1, 1] broadcasts.
  {
    name: INPUT_T,
    dataType: 'float',
    shape: ['N_t', 1],
    doc: 'Flow time in [0, 1], 0 = Gaussian noise, 1 = the picture: one row per point ([N, 1]), or [1, 1] for all points.',
  },
];

const outputs: readonly OnnxValueInfo[] = [
  { name: OUTPUT_V, dataType: 'float', shape: ['N', 2], doc: 'Velocity dx/dt at (x, t), model units per unit of flow time.' },
];

export interface FieldGraphInputs {
  readonly x: string;
  /**
   * t as the caller fed it, [N, 1] or [1, 1]. Bodies compute what depends on t alone on this
   * and let it broadcast against x's rows: with one t per call (the ORT field's, every preview
   * and export) that work is done once a call instead of once a point.
   */
  readonly t: string;
}

/**
 * Builds a velocity-field graph; `body` maps the inputs to the name of v [N, 2]. The metadata
 * names the source noise the field starts from, which a caller must sample its t = 0 points from.
 */
export function encodeFieldGraph(
  method: string,
  noise: NoiseSource,
  doc: string,
  body: (g: GraphBuilder, inputs: FieldGraphInputs) => string,
): Uint8Array {
  const g = new GraphBuilder();
  const v = body(g, { x: INPUT_X, t: INPUT_T });
  // Name the result 'v' with an Identity so bodies need not know the output's name.
  g.op('Identity', [v], { output: OUTPUT_V });
  return encodeOnnxModel({
    producerName: 'FlowGIF',
    producerVersion: EXPORT_FORMAT_VERSION,
    doc,
    metadata: {
      'flowgif.method': method,
      'flowgif.time': `t = 0 is N(0, diag(${noise.stdX}², ${noise.stdY}²)) noise, t = 1 is the picture; integrate dx/dt = v(x, t) from 0 to 1.`,
      'flowgif.noise_std': `${noise.stdX} ${noise.stdY}`,
      'flowgif.export_format': EXPORT_FORMAT_VERSION,
    },
    graph: { name: `flowgif_${method}_velocity`, nodes: g.nodes, initializers: g.initializers, inputs, outputs, doc },
  });
}
