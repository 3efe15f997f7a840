import { inputSize, timeFeatureSize, weightLayout, type MlpArchitecture } from '../train/mlp-field.js';
import { EXPORT_FORMAT_VERSION } from './field-graph.js';
import { GraphBuilder, encodeOnnxModel, type OnnxValueInfo } from './onnx-model.js';

/**
 * One flow-matching training step as a single ONNX graph, so onnxruntime runs the whole step
 * (forward, the backward pass derived here by hand, and Adam as plain ops) in one call:
 * ORT runs these small MLPs several times faster than tfjs-wasm (DESIGN §3).
 *
 * The graph mirrors the tfjs trainer exactly: the same forward (mlp-field.ts), the loss
 * mean‖v(x_t, t) − target‖², and the update of adam.ts, with the bias-corrected step size fed
 * in, so the learning-rate schedule stays in the caller. Weights and Adam's moments go in and
 * come out updated; the caller feeds the outputs of one step into the next.
 */
export const TRAIN_X = 'x';
export const TRAIN_TIME_FEATURES = 'time_features';
export const TRAIN_TARGET = 'target';
export const TRAIN_FOURIER = 'fourier';
/** Adam's learning rate with both bias corrections folded in (Kingma & Ba §2), a scalar. */
export const TRAIN_STEP_SIZE = 'step_size';
export const TRAIN_LOSS = 'loss';

export interface AdamConstants {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

/** The names of one trainable tensor's inputs and outputs. */
export interface TrainedTensorNames {
  readonly name: string;
  readonly shape: readonly number[];
  readonly param: string;
  readonly m: string;
  readonly v: string;
  readonly nextParam: string;
  readonly nextM: string;
  readonly nextV: string;
  /** The loss's gradient for this tensor: fetched by tests, not by the trainer. */
  readonly grad: string;
}

/** The trainable tensors in weightLayout() order, the Fourier matrix (fixed) left out. */
export function trainedTensors(arch: MlpArchitecture): TrainedTensorNames[] {
  return weightLayout(arch)
    .slice(1)
    .map(({ name, shape }) => ({
      name,
      shape,
      param: name,
      m: `${name}.m`,
      v: `${name}.v`,
      nextParam: `${name}.next`,
      nextM: `${name}.m.next`,
      nextV: `${name}.v.next`,
      grad: `${name}.grad`,
    }));
}

export function encodeFmTrainingStep(arch: MlpArchitecture, adam: AdamConstants): Uint8Array {
  const g = new GraphBuilder();
  const tensors = trainedTensors(arch);
  const axis1 = [{ name: 'axis', type: 'int', value: 1 }] as const;
  const transA = [{ name: 'transA', type: 'int', value: 1 }] as const;
  const transB = [{ name: 'transB', type: 'int', value: 1 }] as const;
  const scalar = (name: string, value: number): string => g.floats(name, [], [value]);

  // Forward, keeping what the backward pass needs: each layer's input, pre-activation and sigmoid.
  const projected = g.op('MatMul', [TRAIN_X, TRAIN_FOURIER]);
  let h = g.op('Concat', [TRAIN_X, g.op('Sin', [projected]), g.op('Cos', [projected]), TRAIN_TIME_FEATURES], { attributes: axis1 });
  const layers: Array<{ input: string; z: string; s: string }> = [];
  for (let i = 0; i < arch.depth; i++) {
    const z = g.op('Gemm', [h, tensors[2 * i]!.param, tensors[2 * i + 1]!.param]);
    const s = g.op('Sigmoid', [z]);
    layers.push({ input: h, z, s });
    h = g.op('Mul', [z, s]);
  }
  const output = tensors[2 * arch.depth]!;
  const y = g.op('Gemm', [h, output.param, tensors[2 * arch.depth + 1]!.param]);
  const diff = g.op('Sub', [y, TRAIN_TARGET]);
  const squared = g.op('Mul', [diff, diff]);
  // mean over rows of the sum over the 2 columns = 2 × the mean over every entry.
  g.op('Mul', [g.op('ReduceMean', [squared], { attributes: [{ name: 'keepdims', type: 'int', value: 0 }] }), scalar('two', 2)], { output: TRAIN_LOSS });

  // Backward: d loss / d y = 2·diff / rows.
  const rows = g.op('Cast', [g.op('Gather', [g.op('Shape', [TRAIN_X]), g.ints('row_axis', [], [0])])], {
    attributes: [{ name: 'to', type: 'int', value: 1 }],
  });
  let dz = g.op('Mul', [diff, g.op('Div', [scalar('two_again', 2), rows])]);
  const axes0 = g.ints('axes0', [1], [0]);
  const grads: string[] = new Array<string>(tensors.length);
  const linearGradients = (input: string, kernelIndex: number): void => {
    grads[kernelIndex] = g.op('Gemm', [input, dz], { attributes: transA, output: tensors[kernelIndex]!.grad });
    grads[kernelIndex + 1] = g.op('ReduceSum', [dz, axes0], { attributes: [{ name: 'keepdims', type: 'int', value: 0 }], output: tensors[kernelIndex + 1]!.grad });
  };
  linearGradients(h, 2 * arch.depth);
  let upstreamKernel = output.param;
  const one = scalar('one', 1);
  for (let i = arch.depth - 1; i >= 0; i--) {
    const { input, z, s } = layers[i]!;
    const da = g.op('Gemm', [dz, upstreamKernel], { attributes: transB });
    // d/dz [z·σ(z)] = σ(z)·(1 + z·(1 − σ(z))), as dense-layer.ts.
    dz = g.op('Mul', [da, g.op('Mul', [s, g.op('Add', [one, g.op('Mul', [z, g.op('Sub', [one, s])])])])]);
    linearGradients(input, 2 * i);
    upstreamKernel = tensors[2 * i]!.param;
  }

  // Adam, in adam.ts's order of operations.
  const beta1 = scalar('beta1', adam.beta1);
  const oneMinusBeta1 = scalar('one_minus_beta1', 1 - adam.beta1);
  const beta2 = scalar('beta2', adam.beta2);
  const oneMinusBeta2 = scalar('one_minus_beta2', 1 - adam.beta2);
  const epsilon = scalar('epsilon', adam.epsilon);
  tensors.forEach((t, i) => {
    const grad = grads[i]!;
    const m = g.op('Add', [g.op('Mul', [t.m, beta1]), g.op('Mul', [grad, oneMinusBeta1])], { output: t.nextM });
    const v = g.op('Add', [g.op('Mul', [t.v, beta2]), g.op('Mul', [g.op('Mul', [grad, grad]), oneMinusBeta2])], { output: t.nextV });
    const update = g.op('Mul', [g.op('Div', [m, g.op('Add', [g.op('Sqrt', [v]), epsilon])]), TRAIN_STEP_SIZE]);
    g.op('Sub', [t.param, update], { output: t.nextParam });
  });

  const float = (name: string, shape: ReadonlyArray<number | string>): OnnxValueInfo => ({ name, dataType: 'float', shape });
  const inputs: OnnxValueInfo[] = [
    float(TRAIN_X, ['B', 2]),
    float(TRAIN_TIME_FEATURES, ['B', timeFeatureSize(arch)]),
    float(TRAIN_TARGET, ['B', 2]),
    float(TRAIN_FOURIER, [2, arch.fourierFeatures]),
    float(TRAIN_STEP_SIZE, []),
    ...tensors.flatMap((t) => [float(t.param, t.shape), float(t.m, t.shape), float(t.v, t.shape)]),
  ];
  const outputs: OnnxValueInfo[] = [
    float(TRAIN_LOSS, []),
    ...tensors.flatMap((t) => [float(t.nextParam, t.shape), float(t.nextM, t.shape), float(t.nextV, t.shape), float(t.grad, t.shape)]),
  ];
  const doc = `FlowGIF flow-matching training step: ${arch.depth}×${arch.width} SiLU MLP over ${inputSize(arch)} input features, Adam.`;
  return encodeOnnxModel({
    producerName: 'FlowGIF',
    producerVersion: EXPORT_FORMAT_VERSION,
    doc,
    graph: { name: 'flowgif_fm_training_step', nodes: g.nodes, initializers: g.initializers, inputs, outputs, doc },
  });
}
