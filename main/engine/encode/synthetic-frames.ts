import { createRandom } from '../../../shared/random.js';
import type { FrameSource } from './frame-source.js';

export interface SyntheticFramesOptions {
  readonly width: number;
  readonly height: number;
  readonly count: number;
  readonly fps?: number;
  readonly particles?: number;
  readonly seed?: number;
  /** Dots on nothing (alpha 0) instead of white, as a 'transparent' background draws them. */
  readonly transparent?: boolean;
}

/**
 * A synthetic animation with the look of FlowGIF's output, for tests and benchmarks of the
 * encoders: coloured dots on white flow from scattered noise into a disc that drifts across
 * the frame. Every frame differs from the last (gifski merges identical frames), and the
 * texture is as hard to compress as real exports, unlike a flat test card.
 */
export function flowingDots(options: SyntheticFramesOptions): FrameSource {
  const { width, height, count } = options;
  const fps = options.fps ?? 20;
  const n = options.particles ?? Math.max(50, Math.round((width * height) / 12));
  const random = createRandom(options.seed ?? 1);
  const start = new Float64Array(n * 2);
  const end = new Float64Array(n * 2);
  const colour = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    start[2 * i] = random.next() * width;
    start[2 * i + 1] = random.next() * height;
    // Uniform in the unit disc, scaled at render time.
    const r = Math.sqrt(random.next());
    const a = random.next() * 2 * Math.PI;
    end[2 * i] = r * Math.cos(a);
    end[2 * i + 1] = r * Math.sin(a);
    colour[3 * i] = 40 + random.int(160);
    colour[3 * i + 1] = 20 + random.int(120);
    colour[3 * i + 2] = 60 + random.int(180);
  }
  const radius = Math.min(width, height) * 0.3;
  return {
    count,
    width,
    height,
    fps,
    frame: async (index, signal) => {
      signal.throwIfAborted();
      if (!Number.isInteger(index) || index < 0 || index >= count) throw new RangeError(`No frame ${index} of ${count}.`);
      const t = count === 1 ? 1 : index / (count - 1);
      const cx = radius + t * (width - 2 * radius);
      const cy = height / 2;
      const rgba = new Uint8ClampedArray(width * height * 4).fill(options.transparent === true ? 0 : 255);
      for (let i = 0; i < n; i++) {
        const x = Math.floor((1 - t) * (start[2 * i] ?? 0) + t * (cx + radius * (end[2 * i] ?? 0)));
        const y = Math.floor((1 - t) * (start[2 * i + 1] ?? 0) + t * (cy + radius * (end[2 * i + 1] ?? 0)));
        if (x < 0 || y < 0 || x >= width || y >= height) continue;
        const p = (y * width + x) * 4;
        rgba[p] = colour[3 * i] ?? 0;
        rgba[p + 1] = colour[3 * i + 1] ?? 0;
        rgba[p + 2] = colour[3 * i + 2] ?? 0;
        rgba[p + 3] = 255;
      }
      return rgba;
    },
  };
}
