/**
 * Anything that moves particles: the exact flow, a trained model, an ONNX session.
 * Points are interleaved model-space coordinates [x0, y0, x1, y1, ...]; t is flow time in
 * [0, 1] with 0 = noise and 1 = the picture.
 */
export interface VelocityField {
  readonly kind: 'exact' | 'fm' | 'ffjord';
  /** Writes v(x, t) for every point into out (same length as points). */
  velocity(points: Float64Array, t: number, out: Float64Array): void;
  /** Frees backend memory (tensors, sessions); the field is unusable afterwards. */
  dispose(): void;
}
