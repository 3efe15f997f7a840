import { validateMlp } from '../train/mlp-field.js';
import type { TrainedModel } from '../train/trained-model.js';
import { encodeFieldGraph } from './field-graph.js';
import type { GraphBuilder } from './onnx-model.js';

const axis1 = [{ name: 'axis', type: 'int', value: 1 }] as const;

/**
 * The flow-matching MLP (mlp-field.ts forward()) as ONNX. Its input row is
 * [x, sin(xΩ), cos(xΩ), t, sin(πt), cos(πt), sin(2πt), cos(2πt), …]; here the time
 * harmonics are computed as one block of sines and one of cosines, and the first kernel's
 * rows are permuted to match, which spares an interleaving reshape per run.
 */
export function exportFmOnnx(model: TrainedModel): Uint8Array {
  const { arch, ordered } = validateMlp(model.architecture, model.weights);
  const doc = `FlowGIF flow-matching velocity field: Fourier features (${arch.fourierFeatures}), ${arch.depth}×${arch.width} SiLU MLP.`;
  return encodeFieldGraph('fm', model.noise, doc, (g, { x, tRows }) => {
    const [fourier, ...layers] = ordered;
    const projected = g.op('MatMul', [x, g.floats('fourier', [...fourier!.shape], fourier!.data)]);
    const features = [x, g.op('Sin', [projected]), g.op('Cos', [projected]), tRows];
    const harmonics = arch.timeFrequencies;
    if (harmonics > 0) {
      const omegas = Array.from({ length: harmonics }, (_, k) => Math.PI * (k + 1));
      const phases = g.op('Mul', [tRows, g.floats('time_omegas', [1, harmonics], omegas)]);
      features.push(g.op('Sin', [phases]), g.op('Cos', [phases]));
    }
    let h = g.op('Concat', features, { attributes: axis1 });
    const firstRowOfTime = 2 + 2 * arch.fourierFeatures + 1;
    for (let i = 0; i <= arch.depth; i++) {
      const kernel = layers[2 * i]!;
      const bias = layers[2 * i + 1]!;
      const kernelData = i === 0 ? permuteTimeRows(kernel.data, kernel.shape[1]!, firstRowOfTime, harmonics) : kernel.data;
      const name = i < arch.depth ? `hidden${i}` : 'output';
      const z = g.op('Add', [g.op('MatMul', [h, g.floats(`${name}.kernel`, [...kernel.shape], kernelData)]), g.floats(`${name}.bias`, [...bias.shape], bias.data)]);
      h = i < arch.depth ? silu(g, z) : z;
    }
    return h;
  });
}

function silu(g: GraphBuilder, z: string): string {
  return g.op('Mul', [z, g.op('Sigmoid', [z])]);
}

/** Rows sin(πkt), cos(πkt) interleaved (training layout) → all sines, then all cosines. */
function permuteTimeRows(kernel: Float32Array, columns: number, first: number, harmonics: number): Float32Array {
  const out = Float32Array.from(kernel);
  for (let k = 0; k < harmonics; k++) {
    const sinFrom = first + 2 * k;
    const cosFrom = first + 2 * k + 1;
    out.set(kernel.subarray(sinFrom * columns, (sinFrom + 1) * columns), (first + k) * columns);
    out.set(kernel.subarray(cosFrom * columns, (cosFrom + 1) * columns), (first + harmonics + k) * columns);
  }
  return out;
}
