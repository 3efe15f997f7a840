/**
 * Named starting points for flow-matching training. `fast` is tuned for onnxruntime on two CPU
 * cores (about 5 ms a step at width 128, batch 1024, so 15 s buys some 2500 steps): the
 * figures behind each choice are in BENCHMARKS.md and the commit messages.
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
  // More, smaller steps beat fewer, larger ones at every budget measured (15 s: 512 → 0.016,
  // 1024 → 0.024, 4096 → 0.068 at lr 5e-3); 1024 keeps the gradient noise low for long runs.
  batchSize: 1024,
  // 15 s on github.png: 5e-3 → 0.024, 1e-2 → 0.003–0.008, 2e-2 → 0.000–0.004; but 2e-2 broke
  // down over 300 s (score 0.49) where 1e-2 held (−0.005).
  learningRate: 1e-2,
  width: 128,
  depth: 3,
  fourierFeatures: 64,
  fourierScale: 0.5,
  timeFrequencies: 4,
  distill: true,
  timeSampling: 'uniform',
};
