import type { NoiseSource } from './noise-source.js';

/**
 * Anything that moves particles: the exact flow, a trained model, an ONNX session.
 * Points are interleaved model-space coordinates [x0, y0, x1, y1, ...]; t is flow time in
 * [0, 1] with 0 = noise and 1 = the picture.
 */
export interface VelocityField {
  readonly kind: 'exact' | 'fm' | 'ffjord';
  /** The noise the field carries to the picture: start points at t = 0 are drawn from it. */
  readonly source: NoiseSource;
  /** Writes v(x, t) for every point into out (same length as points). */
  velocity(points: Float64Array, t: number, out: Float64Array): void;
  /** Frees backend memory (tensors, sessions); the field is unusable afterwards. */
  dispose(): void;
}

/**
 * A velocity field whose evaluation is asynchronous: an onnxruntime session, or work in another
 * process. Same conventions as VelocityField; the caller awaits one call before the next.
 */
export interface AsyncVelocityField {
  readonly kind: VelocityField['kind'];
  readonly source: NoiseSource;
  velocityAsync(points: Float64Array, t: number, out: Float64Array): Promise<void>;
  dispose(): void;
}

export function isAsyncVelocityField(field: VelocityField | AsyncVelocityField): field is AsyncVelocityField {
  return typeof (field as Partial<AsyncVelocityField>).velocityAsync === 'function';
}

/** A sync field behind the async interface, so consumers need only one code path. */
export function toAsyncField(field: VelocityField | AsyncVelocityField): AsyncVelocityField {
  if (isAsyncVelocityField(field)) return field;
  return {
    kind: field.kind,
    source: field.source,
    velocityAsync: async (points, t, out) => field.velocity(points, t, out),
    dispose: () => field.dispose(),
  };
}

/** v(points, t) into a new array, from either kind of field. */
export async function velocityOf(field: VelocityField | AsyncVelocityField, points: Float64Array, t: number): Promise<Float64Array> {
  const out = new Float64Array(points.length);
  if (isAsyncVelocityField(field)) await field.velocityAsync(points, t, out);
  else field.velocity(points, t, out);
  return out;
}
