import { FlowGifError } from '../../../shared/errors.js';
import type { CancelSignal } from '../../../shared/job.js';

/**
 * What the encoders consume: frames by index, rendered on demand, so an export never holds the
 * whole animation in memory. Encoders ask for each index once, in order, and pass the job's
 * signal so a slow renderer can stop early.
 */
export interface FrameSource {
  readonly count: number;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  /**
   * Frames asked for together are drawn side by side (worker threads): a size estimate then asks
   * for all its sample frames at once. Without it, each frame is drawn when asked, one at a time.
   */
  readonly parallel?: boolean;
  /** RGBA, row-major from the top-left, width * height * 4 bytes. */
  frame(index: number, signal: CancelSignal): Promise<Uint8ClampedArray>;
  /**
   * The earlier index whose frame this one repeats exactly (a hold, a bounce's way back), if
   * known: an encoder may reuse that frame instead of asking for it again.
   */
  repeatOf?(index: number): number | undefined;
}

export function assertValidFrameSource(frames: FrameSource): void {
  const { count, width, height, fps } = frames;
  const bad = (what: string): never => {
    throw new FlowGifError('INVALID_ARGUMENT', `Cannot encode: ${what}.`);
  };
  if (!Number.isInteger(count) || count < 1) bad(`the frame count must be a whole number ≥ 1 (got ${count})`);
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(height) || height < 1) {
    bad(`the frame size must be whole pixels ≥ 1 (got ${width}×${height})`);
  }
  if (!Number.isFinite(fps) || fps <= 0) bad(`the frame rate must be a positive number (got ${fps})`);
}

/** Fetches one frame and checks its length, so a renderer bug is named before an encoder chokes. */
export async function readFrame(frames: FrameSource, index: number, signal: CancelSignal): Promise<Uint8ClampedArray> {
  const rgba = await frames.frame(index, signal);
  const expected = frames.width * frames.height * 4;
  if (rgba.length !== expected) {
    throw new Error(`Frame ${index} has ${rgba.length} bytes; a ${frames.width}×${frames.height} RGBA frame has ${expected}.`);
  }
  return rgba;
}

/** The frames at the given indices, as a source of their own (for size estimates). */
export function selectFrames(frames: FrameSource, indices: readonly number[]): FrameSource {
  return {
    count: indices.length,
    width: frames.width,
    height: frames.height,
    fps: frames.fps,
    frame: (index, signal) => {
      const source = indices[index];
      if (source === undefined) throw new RangeError(`Frame ${index} is outside the selection of ${indices.length}.`);
      return frames.frame(source, signal);
    },
  };
}

/** n indices spread evenly over [0, count), first and last included. */
export function evenlySpaced(count: number, n: number): number[] {
  if (n >= count) return Array.from({ length: count }, (_, i) => i);
  if (n <= 1) return [0];
  return Array.from({ length: n }, (_, i) => Math.round((i * (count - 1)) / (n - 1)));
}
