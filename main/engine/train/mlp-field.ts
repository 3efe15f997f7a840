import type { Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import { FlowGifError } from '../../../shared/errors.js';
import type { Random } from '../../../shared/random.js';
import type { Tf } from './backend.js';
import { denseLayer } from './dense-layer.js';
import type { NamedTensor } from './trained-model.js';

/**
 * The flow-matching velocity network v(x, t): a SiLU MLP over
 * [x, sin(x·Ω), cos(x·Ω), t, sin(πkt), cos(πkt)].
 * Random Fourier features (Ω fixed, Gaussian, seeded, stored with the weights) let a small
 * MLP draw the sharp edges of a picture; SiLU because tanh is not vectorised on tfjs-wasm.
 */
export interface MlpArchitecture {
  readonly kind: 'fm-mlp';
  readonly version: 1;
  /** Hidden units per layer. */
  readonly width: number;
  /** Hidden layers. */
  readonly depth: number;
  /** Fourier frequencies of x; the network sees a sine and a cosine of each. */
  readonly fourierFeatures: number;
  /** Std of the frequencies, in cycles per model unit. */
  readonly fourierScale: number;
  /** Time harmonics k = 1..K of sin(πkt), cos(πkt). */
  readonly timeFrequencies: number;
}

export const FOURIER_NAME = 'fourier.angular';

export function inputSize(arch: MlpArchitecture): number {
  return 2 + 2 * arch.fourierFeatures + 1 + 2 * arch.timeFrequencies;
}

export function timeFeatureSize(arch: MlpArchitecture): number {
  return 1 + 2 * arch.timeFrequencies;
}

/** Names and shapes of the weights, in the order forward() takes them. */
export function weightLayout(arch: MlpArchitecture): Array<{ name: string; shape: number[] }> {
  const layout: Array<{ name: string; shape: number[] }> = [{ name: FOURIER_NAME, shape: [2, arch.fourierFeatures] }];
  let fanIn = inputSize(arch);
  for (let i = 0; i < arch.depth; i++) {
    layout.push({ name: `hidden${i}.kernel`, shape: [fanIn, arch.width] }, { name: `hidden${i}.bias`, shape: [arch.width] });
    fanIn = arch.width;
  }
  layout.push({ name: 'output.kernel', shape: [fanIn, 2] }, { name: 'output.bias', shape: [2] });
  return layout;
}

/** Seeded initial weights: Glorot-uniform kernels, zero biases, Gaussian Fourier matrix. */
export function initWeights(arch: MlpArchitecture, random: Random): NamedTensor[] {
  return weightLayout(arch).map(({ name, shape }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    if (name === FOURIER_NAME) {
      const scale = 2 * Math.PI * arch.fourierScale;
      for (let i = 0; i < size; i++) data[i] = scale * random.normal();
    } else if (shape.length === 2) {
      const limit = Math.sqrt(6 / (shape[0]! + shape[1]!));
      for (let i = 0; i < size; i++) data[i] = (2 * random.next() - 1) * limit;
    }
    return { name, shape, data };
  });
}

/** Weights as tensors in layout order, for forward(). */
export function weightTensors(tf: Tf, weights: readonly NamedTensor[]): Array<Tensor1D | Tensor2D> {
  return weights.map((w) => {
    const tensor: Tensor = tf.tensor(w.data, [...w.shape]);
    return tensor as Tensor1D | Tensor2D;
  });
}

/** Writes the time features of t into row `row` of a [n, timeFeatureSize] matrix. */
export function writeTimeFeatures(arch: MlpArchitecture, t: number, out: Float32Array, row: number): void {
  const size = timeFeatureSize(arch);
  let o = row * size;
  out[o++] = t;
  for (let k = 1; k <= arch.timeFrequencies; k++) {
    out[o++] = Math.sin(Math.PI * k * t);
    out[o++] = Math.cos(Math.PI * k * t);
  }
}

/**
 * v(x, t) for a batch. `params` follow weightLayout(); `x` is [n, 2], `timeFeatures`
 * [n, timeFeatureSize]. Differentiable in the params (not in x or t: the first layer skips
 * that gradient) through the custom dense gradient.
 */
export function forward(
  tf: Tf,
  arch: MlpArchitecture,
  params: readonly (Tensor1D | Tensor2D)[],
  x: Tensor2D,
  timeFeatures: Tensor2D,
): Tensor2D {
  const firstLayer = denseLayer(tf, 'silu', { inputGradient: false });
  const hiddenLayer = denseLayer(tf, 'silu');
  const outputLayer = denseLayer(tf, 'linear');
  const projected = tf.matMul(x, params[0] as Tensor2D);
  let h = tf.concat([x, tf.sin(projected), tf.cos(projected), timeFeatures], 1) as Tensor2D;
  let p = 1;
  for (let i = 0; i < arch.depth; i++, p += 2) {
    h = (i === 0 ? firstLayer : hiddenLayer)(h, params[p] as Tensor2D, params[p + 1] as Tensor1D);
  }
  return outputLayer(h, params[p] as Tensor2D, params[p + 1] as Tensor1D);
}

function positiveInteger(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max;
}

/** Checks a stored architecture and its weights; returns the weights in layout order. */
export function validateMlp(
  architecture: Readonly<Record<string, unknown>>,
  weights: readonly NamedTensor[],
): { arch: MlpArchitecture; ordered: NamedTensor[] } {
  const a = architecture;
  const corrupt = (detail: string): FlowGifError =>
    new FlowGifError('MODEL_CORRUPT', `The flow-matching model is damaged: ${detail}.`, {
      hint: 'Train the model again, or open the .flow file it was saved to from a backup.',
    });
  if (a['kind'] !== 'fm-mlp') throw corrupt(`unknown architecture kind ${JSON.stringify(a['kind'])}`);
  if (a['version'] !== 1) throw corrupt(`unsupported architecture version ${JSON.stringify(a['version'])}`);
  if (!positiveInteger(a['width'], 4096)) throw corrupt('width is not a positive integer');
  if (!positiveInteger(a['depth'], 64)) throw corrupt('depth is not a positive integer');
  if (!positiveInteger(a['fourierFeatures'], 4096)) throw corrupt('fourierFeatures is not a positive integer');
  if (!(typeof a['timeFrequencies'] === 'number' && Number.isInteger(a['timeFrequencies']) && a['timeFrequencies'] >= 0 && a['timeFrequencies'] <= 256)) {
    throw corrupt('timeFrequencies is not a non-negative integer');
  }
  if (!(typeof a['fourierScale'] === 'number' && Number.isFinite(a['fourierScale']) && a['fourierScale'] > 0)) {
    throw corrupt('fourierScale is not a positive number');
  }
  const arch: MlpArchitecture = {
    kind: 'fm-mlp',
    version: 1,
    width: a['width'],
    depth: a['depth'],
    fourierFeatures: a['fourierFeatures'],
    fourierScale: a['fourierScale'],
    timeFrequencies: a['timeFrequencies'],
  };
  const byName = new Map(weights.map((w) => [w.name, w]));
  const layout = weightLayout(arch);
  if (weights.length !== layout.length) throw corrupt(`expected ${layout.length} weight tensors, found ${weights.length}`);
  const ordered = layout.map(({ name, shape }) => {
    const w = byName.get(name);
    if (w === undefined) throw corrupt(`weight ${name} is missing`);
    if (w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i])) {
      throw corrupt(`weight ${name} has shape [${w.shape.join(', ')}], expected [${shape.join(', ')}]`);
    }
    const size = shape.reduce((x, y) => x * y, 1);
    if (!(w.data instanceof Float32Array) || w.data.length !== size) {
      throw corrupt(`weight ${name} holds ${w.data?.length ?? 0} values, expected ${size}`);
    }
    for (let i = 0; i < size; i++) if (!Number.isFinite(w.data[i]!)) throw corrupt(`weight ${name} holds a non-finite value`);
    return w;
  });
  return { arch, ordered };
}
