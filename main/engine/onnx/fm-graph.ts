import { validateMlp } from '../train/mlp-field.js';
import type { TrainedModel } from '../train/trained-model.js';
import { encodeFieldGraph } from './field-graph.js';
import type { GraphBuilder } from './onnx-model.js';

const axis1 = [{ name: 'axis', type: 'int', value: 1 }] as const;

/**
 * The flow-matching MLP (mlp-field.ts forward()) as ONNX. Its first layer sees the row
 * [x, sin(xΩ), cos(xΩ), t, sin(πt), cos(πt), sin(2πt), cos(2πt), …]; here that layer is split
 * in two sums, [x, sin(xΩ), cos(xΩ)]·W_x per point and [t, sin(πkt)…, cos(πkt)…]·W_t + b once
 * per time fed, added by broadcast. With one t a call, the time features and their product
 * cost one row instead of N, and the concatenated input is 9 columns narrower (the `fast`
 * network's 50 000-point call: about 10 % less CPU time).
 */
export function exportFmOnnx(model: TrainedModel): Uint8Array {
  const { arch, ordered } = validateMlp(model.architecture, model.weights);
  const doc = `FlowGIF flow-matching velocity field: Fourier features (${arch.fourierFeatures}), ${arch.depth}×${arch.width} SiLU MLP.`;
  return encodeFieldGraph('fm', model.noise, doc, (g, { x, t }) => {
    const [fourier, ...layers] = ordered;
    const projected = g.op('MatMul', [x, g.floats('fourier', [...fourier!.shape], fourier!.data)]);
    const spaceFeatures = g.op('Concat', [x, g.op('Sin', [projected]), g.op('Cos', [projected])], { attributes: axis1 });
    const harmonics = arch.timeFrequencies;
    let timeFeatures = t;
    if (harmonics > 0) {
      const omegas = Array.from({ length: harmonics }, (_, k) => Math.PI * (k + 1));
      const phases = g.op('Mul', [t, g.floats('time_omegas', [1, harmonics], omegas)]);
      timeFeatures = g.op('Concat', [t, g.op('Sin', [phases]), g.op('Cos', [phases])], { attributes: axis1 });
    }
    const width = layers[0]!.shape[1]!;
    const spaceRows = 2 + 2 * arch.fourierFeatures;
    const { space, time } = splitFirstKernel(layers[0]!.data, width, spaceRows, harmonics);
    const timeRow = g.op('Add', [
      g.op('MatMul', [timeFeatures, g.floats('hidden0.kernel.time', [1 + 2 * harmonics, width], time)]),
      g.floats('hidden0.bias', [...layers[1]!.shape], layers[1]!.data),
    ]);
    let h = silu(g, g.op('Add', [g.op('MatMul', [spaceFeatures, g.floats('hidden0.kernel.space', [spaceRows, width], space)]), timeRow]));
    for (let i = 1; i <= arch.depth; i++) {
      const kernel = layers[2 * i]!;
      const bias = layers[2 * i + 1]!;
      const name = i < arch.depth ? `hidden${i}` : 'output';
      const z = g.op('Add', [g.op('MatMul', [h, g.floats(`${name}.kernel`, [...kernel.shape], kernel.data)]), g.floats(`${name}.bias`, [...bias.shape], bias.data)]);
      h = i < arch.depth ? silu(g, z) : z;
    }
    return h;
  });
}

function silu(g: GraphBuilder, z: string): string {
  return g.op('Mul', [z, g.op('Sigmoid', [z])]);
}

/**
 * The first kernel's rows for x and its Fourier features, and those for time, the latter
 * reordered from training's interleaved t, sin(πt), cos(πt), sin(2πt), … to t, all sines,
 * then all cosines, the order the graph computes them in.
 */
function splitFirstKernel(kernel: Float32Array, columns: number, spaceRows: number, harmonics: number): { space: Float32Array; time: Float32Array } {
  const row = (r: number): Float32Array => kernel.subarray(r * columns, (r + 1) * columns);
  const time = new Float32Array((1 + 2 * harmonics) * columns);
  time.set(row(spaceRows), 0);
  for (let k = 0; k < harmonics; k++) {
    time.set(row(spaceRows + 1 + 2 * k), (1 + k) * columns);
    time.set(row(spaceRows + 2 + 2 * k), (1 + harmonics + k) * columns);
  }
  return { space: kernel.slice(0, spaceRows * columns), time };
}
