import type { Tensor } from '@tensorflow/tfjs';
import type { Tf } from './backend.js';

/**
 * Adam on plain tensors (no tf.Variable): the trainer owns every tensor's lifetime, the
 * learning rate can change each step, and the update order is fixed, so a seed reproduces
 * a run bit for bit.
 */
export interface AdamOptions {
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

export interface Adam {
  /** New parameters after one step; the old ones are disposed. */
  step(params: readonly Tensor[], grads: readonly Tensor[], learningRate: number): Tensor[];
  dispose(): void;
}

/** Kingma & Ba's defaults, which every trainer uses, on either backend. */
export const ADAM_DEFAULTS = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

/** Step t's learning rate with both bias corrections folded in (Kingma & Ba §2). */
export function adamStepSize(learningRate: number, t: number, beta1: number = ADAM_DEFAULTS.beta1, beta2: number = ADAM_DEFAULTS.beta2): number {
  return (learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
}

export function createAdam(tf: Tf, params: readonly Tensor[], options: AdamOptions = {}): Adam {
  const beta1 = options.beta1 ?? ADAM_DEFAULTS.beta1;
  const beta2 = options.beta2 ?? ADAM_DEFAULTS.beta2;
  const epsilon = options.epsilon ?? ADAM_DEFAULTS.epsilon;
  let m = params.map((p) => tf.zerosLike(p));
  let v = params.map((p) => tf.zerosLike(p));
  let t = 0;

  return {
    step(current, grads, learningRate) {
      t++;
      const stepSize = adamStepSize(learningRate, t, beta1, beta2);
      const next = tf.tidy(() => {
        const out: Tensor[] = [];
        current.forEach((p, i) => {
          const g = grads[i]!;
          const mi = tf.add(tf.mul(m[i]!, beta1), tf.mul(g, 1 - beta1));
          const vi = tf.add(tf.mul(v[i]!, beta2), tf.mul(tf.square(g), 1 - beta2));
          out.push(tf.sub(p, tf.mul(tf.div(mi, tf.add(tf.sqrt(vi), epsilon)), stepSize)), mi, vi);
        });
        return out;
      });
      tf.dispose([...current, ...m, ...v]);
      const n = current.length;
      m = Array.from({ length: n }, (_, i) => next[3 * i + 1]!);
      v = Array.from({ length: n }, (_, i) => next[3 * i + 2]!);
      return Array.from({ length: n }, (_, i) => next[3 * i]!);
    },
    dispose() {
      tf.dispose([...m, ...v]);
      m = [];
      v = [];
    },
  };
}

/** Adam on the host, over plain arrays, for a backend that hands its gradients back (FFJORD on onnxruntime). */
export interface HostAdam {
  /** New parameters after one step, in adam.ts's order of operations, in float32 as on tfjs. */
  step(params: readonly Float32Array[], grads: readonly ArrayLike<number>[], learningRate: number): Float32Array[];
}

export function createHostAdam(params: readonly Float32Array[], options: AdamOptions = {}): HostAdam {
  const beta1 = options.beta1 ?? ADAM_DEFAULTS.beta1;
  const beta2 = options.beta2 ?? ADAM_DEFAULTS.beta2;
  const epsilon = options.epsilon ?? ADAM_DEFAULTS.epsilon;
  const m = params.map((p) => new Float32Array(p.length));
  const v = params.map((p) => new Float32Array(p.length));
  let t = 0;
  return {
    step(current, grads, learningRate) {
      t++;
      const stepSize = adamStepSize(learningRate, t, beta1, beta2);
      return current.map((p, i) => {
        const g = grads[i]!;
        const mi = m[i]!;
        const vi = v[i]!;
        const next = new Float32Array(p.length);
        for (let j = 0; j < p.length; j++) {
          mi[j] = mi[j]! * beta1 + g[j]! * (1 - beta1);
          vi[j] = vi[j]! * beta2 + g[j]! * g[j]! * (1 - beta2);
          next[j] = p[j]! - (mi[j]! / (Math.sqrt(vi[j]!) + epsilon)) * stepSize;
        }
        return next;
      });
    },
  };
}
