import type { Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from './backend.js';

/**
 * A dense layer y = act(x·W + b) whose gradient transposes explicitly.
 *
 * Why: tfjs's default matMul gradient calls BatchMatMul with transposeA/transposeB, which the
 * wasm backend runs 10–20× slower than a plain product; materialising the transpose first
 * made a whole training step 5–6× faster (DESIGN §3). Fusing the activation into the same
 * custom gradient also saves the tape the bookkeeping of three elementwise ops per layer.
 *
 * Shared with the FFJORD trainer: anything that needs x·W + b with first-order gradients
 * on tfjs-wasm should go through here.
 */
export type DenseActivation = 'linear' | 'silu';

export type DenseLayer = (x: Tensor2D, kernel: Tensor2D, bias: Tensor1D) => Tensor2D;

export interface DenseOptions {
  /**
   * False when x is data rather than a function of what is trained (a network's first layer):
   * its gradient is then reported as zeros instead of costing a whole matMul.
   */
  readonly inputGradient?: boolean;
}

const cache = new WeakMap<Tf, Map<string, DenseLayer>>();

/** The layer function for one tfjs instance; cached, so it is cheap to call per step. */
export function denseLayer(tf: Tf, activation: DenseActivation = 'linear', options: DenseOptions = {}): DenseLayer {
  const inputGradient = options.inputGradient ?? true;
  let layers = cache.get(tf);
  if (layers === undefined) {
    layers = new Map();
    cache.set(tf, layers);
  }
  const key = `${activation}:${inputGradient}`;
  let layer = layers.get(key);
  if (layer === undefined) {
    layer = activation === 'silu' ? makeSiluDense(tf, inputGradient) : makeLinearDense(tf, inputGradient);
    layers.set(key, layer);
  }
  return layer;
}

/**
 * x·W + b without tf.fused.matMul: the wasm _FusedMatMul checks the rank of the bias's
 * underlying buffer rather than of the tensor, so a bias made by reshaping a 2-D tensor
 * throws; the separate add costs one elementwise pass.
 */
function affine(tf: Tf, x: Tensor2D, kernel: Tensor2D, bias: Tensor1D): Tensor2D {
  return tf.add(tf.matMul(x, kernel), bias);
}

function linearGradients(tf: Tf, dz: Tensor, x: Tensor, kernel: Tensor, inputGradient: boolean): Tensor[] {
  return [
    inputGradient ? tf.matMul(dz as Tensor2D, tf.transpose(kernel as Tensor2D)) : tf.zerosLike(x),
    tf.matMul(tf.transpose(x as Tensor2D), dz as Tensor2D),
    tf.sum(dz, 0),
  ];
}

function makeLinearDense(tf: Tf, inputGradient: boolean): DenseLayer {
  const op = tf.customGrad((...args) => {
    const [x, kernel, bias, save] = args as [Tensor2D, Tensor2D, Tensor1D, (tensors: Tensor[]) => void];
    save([x, kernel]);
    return {
      value: affine(tf, x, kernel, bias),
      gradFunc: (dy: Tensor, saved: Tensor[]) => linearGradients(tf, dy, saved[0]!, saved[1]!, inputGradient),
    };
  });
  return (x, kernel, bias) => op(x, kernel, bias) as Tensor2D;
}

function makeSiluDense(tf: Tf, inputGradient: boolean): DenseLayer {
  const op = tf.customGrad((...args) => {
    const [x, kernel, bias, save] = args as [Tensor2D, Tensor2D, Tensor1D, (tensors: Tensor[]) => void];
    const z = affine(tf, x, kernel, bias);
    const s = tf.sigmoid(z);
    save([x, kernel, z, s]);
    return {
      value: tf.mul(z, s),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [xs, ks, zs, ss] = saved as [Tensor, Tensor, Tensor, Tensor];
        // d/dz [z·σ(z)] = σ(z)·(1 + z·(1 − σ(z)))
        const dz = tf.mul(dy, tf.mul(ss, tf.add(1, tf.mul(zs, tf.sub(1, ss)))));
        return linearGradients(tf, dz, xs, ks, inputGradient);
      },
    };
  });
  return (x, kernel, bias) => op(x, kernel, bias) as Tensor2D;
}
