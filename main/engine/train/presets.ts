/**
 * Named starting points for flow-matching training. `fast` is tuned for the single-threaded
 * wasm backend: the figures behind each choice are in BENCHMARKS.md and the commit messages.
 */
export type TimeSampling = 'uniform' | 'late';

export interface FlowMatchingPreset {
  readonly name: string;
  /** Wall-clock budget when the caller gives neither seconds nor steps. */
  readonly seconds: number;
  readonly batchSize: number;
  /** Peak Adam learning rate, reached after warm-up, then cosine-decayed to the budget. */
  readonly learningRate: number;
  readonly width: number;
  readonly depth: number;
  readonly fourierFeatures: number;
  /** Std of the Fourier frequencies in cycles per model unit (the picture spans 8 units). */
  readonly fourierScale: number;
  readonly timeFrequencies: number;
  readonly distill: boolean;
  readonly timeSampling: TimeSampling;
}

export const fastPreset: FlowMatchingPreset = {
  name: 'fast',
  seconds: 300,
  batchSize: 1024,
  learningRate: 5e-3,
  width: 128,
  depth: 3,
  fourierFeatures: 64,
  fourierScale: 0.5,
  timeFrequencies: 4,
  distill: true,
  timeSampling: 'uniform',
};
