import type { Scalar, Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import { FlowGifError } from '../../../shared/errors.js';
import type { Random } from '../../../shared/random.js';
import type { Tf } from './backend.js';
import type { NoiseSource } from '../flow/noise-source.js';
import type { NamedTensor, TrainedModel } from './trained-model.js';

/**
 * FFJORD's ODE network (train_img2d.py): ConcatSquash layers
 *   y = (x·W + b) · σ(g_w·s + g_b) + h_w·s
 * with tanh between them, and a learned end time T = sqrtEndTime². s is FFJORD's own time,
 * running from the data (s = 0) to the noise (s = T).
 *
 * The solver does not see s: it integrates τ ∈ [0, 1] with dy/dτ = T·F(y, τT). The steps and
 * error control are the same as over [0, T], and the gradient reaches T through plain
 * multiplications, so discretise-then-optimise needs no special case for a learned end time.
 */
export interface FfjordArchitecture {
  /** Layer widths from input to output: 2, hidden..., 2. */
  readonly widths: readonly number[];
  readonly layer: 'concatsquash';
  readonly activation: 'tanh';
}

export const defaultFfjordWidths: readonly number[] = [2, 64, 64, 64, 2];

export interface FfjordLayerParams<T extends Tensor = Tensor> {
  /** [in, out] */
  readonly weight: T;
  readonly bias: T;
  readonly gateWeight: T;
  readonly gateBias: T;
  readonly hyperBias: T;
}

export interface FfjordParams<T extends Tensor = Tensor> {
  readonly layers: ReadonlyArray<FfjordLayerParams<T>>;
  /** Scalar; T = sqrtEndTime². */
  readonly sqrtEndTime: T;
}

const LAYER_KEYS = ['weight', 'bias', 'gateWeight', 'gateBias', 'hyperBias'] as const;

export function architectureFor(widths: readonly number[] = defaultFfjordWidths): FfjordArchitecture {
  if (widths.length < 2 || widths[0] !== 2 || widths[widths.length - 1] !== 2 || widths.some((w) => !Number.isInteger(w) || w < 1)) {
    throw new FlowGifError('INVALID_ARGUMENT', `FFJORD widths must run from 2 to 2 through positive integers, not [${widths.join(', ')}].`);
  }
  return { widths: [...widths], layer: 'concatsquash', activation: 'tanh' };
}

export function parseArchitecture(model: TrainedModel): FfjordArchitecture {
  const widths = model.architecture['widths'];
  if (model.method !== 'ffjord' || !Array.isArray(widths) || !widths.every((w) => typeof w === 'number')) {
    throw new FlowGifError('MODEL_CORRUPT', 'The model is not an FFJORD model with layer widths.');
  }
  return architectureFor(widths as number[]);
}

/**
 * PyTorch's nn.Linear initialisation, U(−1/√fan_in, 1/√fan_in), which the seed relies on;
 * the hyper-network layers have fan_in 1. Drawn from the job's seed so runs reproduce.
 */
export function initialWeights(architecture: FfjordArchitecture, random: Random, endTime = 0.5): NamedTensor[] {
  const uniform = (count: number, bound: number): Float32Array => {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = (2 * random.next() - 1) * bound;
    return out;
  };
  const weights: NamedTensor[] = [];
  const { widths } = architecture;
  for (let i = 0; i + 1 < widths.length; i++) {
    const fanIn = widths[i]!;
    const out = widths[i + 1]!;
    const bound = 1 / Math.sqrt(fanIn);
    weights.push({ name: `layer${i}.weight`, shape: [fanIn, out], data: uniform(fanIn * out, bound) });
    weights.push({ name: `layer${i}.bias`, shape: [out], data: uniform(out, bound) });
    weights.push({ name: `layer${i}.gateWeight`, shape: [out], data: uniform(out, 1) });
    weights.push({ name: `layer${i}.gateBias`, shape: [out], data: uniform(out, 1) });
    weights.push({ name: `layer${i}.hyperBias`, shape: [out], data: uniform(out, 1) });
  }
  weights.push({ name: 'sqrtEndTime', shape: [], data: Float32Array.of(Math.sqrt(endTime)) });
  return weights;
}

/** Tensors (or variables, via make) for named weights, checked against the architecture. */
export function paramsFromWeights<T extends Tensor>(
  architecture: FfjordArchitecture,
  weights: readonly NamedTensor[],
  make: (w: NamedTensor) => T,
): FfjordParams<T> {
  const byName = new Map(weights.map((w) => [w.name, w]));
  const take = (name: string, shape: readonly number[]): T => {
    const w = byName.get(name);
    if (w === undefined || w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i]) || w.data.length !== shape.reduce((a, b) => a * b, 1)) {
      throw new FlowGifError('MODEL_CORRUPT', `FFJORD weight ${name} is missing or not of shape [${shape.join(', ')}].`);
    }
    return make(w);
  };
  return paramsFromList(
    architecture,
    weightLayout(architecture).map(({ name, shape }) => take(name, shape)),
  );
}

/** Flat list in a fixed order, for optimisers, gradients and saving. */
export function flattenParams<T extends Tensor>(params: FfjordParams<T>): T[] {
  return [...params.layers.flatMap((l) => LAYER_KEYS.map((k) => l[k])), params.sqrtEndTime];
}

/** The inverse of flattenParams. */
export function paramsFromList<T extends Tensor>(architecture: FfjordArchitecture, flat: readonly T[]): FfjordParams<T> {
  const layerCount = architecture.widths.length - 1;
  if (flat.length !== layerCount * LAYER_KEYS.length + 1) throw new RangeError(`FFJORD: expected ${layerCount * LAYER_KEYS.length + 1} tensors, got ${flat.length}`);
  const layers: FfjordLayerParams<T>[] = [];
  for (let i = 0; i < layerCount; i++) {
    const [weight, bias, gateWeight, gateBias, hyperBias] = flat.slice(i * LAYER_KEYS.length, (i + 1) * LAYER_KEYS.length) as [T, T, T, T, T];
    layers.push({ weight, bias, gateWeight, gateBias, hyperBias });
  }
  return { layers, sqrtEndTime: flat[flat.length - 1]! };
}

/** Every weight's name and shape, in flattenParams' order: what a .flow file and the training graphs hold. */
export function weightLayout(architecture: FfjordArchitecture): Array<{ readonly name: string; readonly shape: readonly number[] }> {
  const { widths } = architecture;
  const layout = [];
  for (let i = 0; i + 1 < widths.length; i++) {
    for (const key of LAYER_KEYS) layout.push({ name: `layer${i}.${key}`, shape: key === 'weight' ? [widths[i]!, widths[i + 1]!] : [widths[i + 1]!] });
  }
  layout.push({ name: 'sqrtEndTime', shape: [] });
  return layout;
}

export function weightNames(architecture: FfjordArchitecture): string[] {
  return weightLayout(architecture).map((w) => w.name);
}

/**
 * The time-dependent part of a layer folded into its weights: σ(g_w·s + g_b) scales output
 * columns, so it multiplies the small weight matrix rather than every batch row, and the
 * value rows get the bias b·gate + h_w·s in the same fused product.
 */
function squash(tf: Tf, layer: FfjordLayerParams, s: Scalar): { weight: Tensor2D; bias: Tensor1D } {
  const gate = tf.sigmoid(tf.add(tf.mul(layer.gateWeight, s), layer.gateBias));
  return {
    weight: tf.mul(layer.weight, gate) as Tensor2D,
    bias: tf.add(tf.mul(layer.bias, gate), tf.mul(layer.hyperBias, s)) as Tensor1D,
  };
}

/**
 * f(z, s) only, for sampling: points [n, 2]. tanh(a) = 2σ(2a) − 1 because wasm's tanh is ~15×
 * slower than its sigmoid, and the affine 2σ − 1 moves into the next layer's weights
 * ((2σ − 1)·W = σ·2W − 1ᵀW), so each layer is a single fused product-plus-sigmoid kernel.
 */
export function ffjordForward(tf: Tf, params: FfjordParams, z: Tensor2D, s: Scalar): Tensor2D {
  let h = z;
  const last = params.layers.length - 1;
  params.layers.forEach((layer, i) => {
    let { weight, bias } = squash(tf, layer, s);
    if (i > 0) {
      bias = tf.sub(bias, tf.sum(weight, 0));
      weight = tf.mul(weight, 2) as Tensor2D;
    }
    h = i < last ? (tf.fused.matMul({ a: h, b: tf.mul(weight, 2) as Tensor2D, bias: tf.mul(bias, 2), activation: 'sigmoid' }) as Tensor2D) : (tf.fused.matMul({ a: h, b: weight, bias }) as Tensor2D);
  });
  return h;
}

/**
 * log N(z; 0, diag(dx², dy²)) in 2-D for every row of z [n, 2]: the base density, the source
 * noise the model was trained from (N(0, I) for the round source).
 */
export function sourceLogDensity(tf: Tf, z: Tensor2D, source: NoiseSource): Tensor1D {
  const scaled = source.stdX === 1 && source.stdY === 1 ? z : tf.div(z, tf.tensor1d([source.stdX, source.stdY]));
  return tf.sub(tf.mul(tf.sum(tf.square(scaled), 1), -0.5), Math.log(2 * Math.PI * source.stdX * source.stdY)) as Tensor1D;
}
