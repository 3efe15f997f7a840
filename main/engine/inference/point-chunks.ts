/**
 * Points per inference call, for every backend: onnxruntime ran chunks of 4k–16k 25–40 % faster
 * than one batch (DESIGN §3), and for TensorFlow.js a chunk this size amortises op dispatch and
 * stays cache-friendly.
 */
export const INFERENCE_CHUNK = 8192;

export interface PointChunk {
  /** Index of the chunk's first point. */
  readonly start: number;
  readonly count: number;
  /** The chunk's points as float32 [count, 2], the networks' input. */
  readonly x: Float32Array;
}

/**
 * The one chunked inference loop: a field evaluates each chunk and writes its velocities back
 * with `out.set(v, 2 * chunk.start)`.
 */
export function* pointChunks(points: Float64Array, chunkSize: number = INFERENCE_CHUNK): Generator<PointChunk> {
  const n = points.length >> 1;
  for (let start = 0; start < n; start += chunkSize) {
    const count = Math.min(chunkSize, n - start);
    yield { start, count, x: Float32Array.from(points.subarray(2 * start, 2 * (start + count))) };
  }
}
