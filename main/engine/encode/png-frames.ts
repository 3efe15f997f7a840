import path from 'node:path';
import sharp from 'sharp';
import type { CancelSignal } from '../../../shared/job.js';
import { throwIfAborted } from './abort.js';
import { readFrame, type FrameSource } from './frame-source.js';

/** PNG compressions run on sharp's thread pool while the next frame renders. */
const pngsInFlight = 3;

/** frame-0001.png …: 1-based, zero-padded so names sort in frame order everywhere. */
export function frameFileName(index: number, count: number): string {
  const digits = Math.max(4, String(count).length);
  return `frame-${String(index + 1).padStart(digits, '0')}.png`;
}

export const frameFilePattern = /^frame-\d{4,}\.png$/;

export interface PngFramesOptions {
  /** zlib level 0–9: low for intermediates an encoder reads once, higher for deliverables. */
  readonly compressionLevel: number;
  readonly onWritten?: (written: number) => void;
  /**
   * A frame that repeats an earlier one (FrameSource.repeatOf) is listed under that frame's
   * name instead of being drawn and written again: for gifski, which reads a file as often as
   * it is named, not for a folder the user keeps.
   */
  readonly reuseRepeats?: boolean;
}

/**
 * Writes every frame of `frames` into `dir` as numbered RGBA PNGs and returns their names in
 * order (a reused name for a repeated frame, with `reuseRepeats`). Frames are requested one at a time, in order; compression overlaps with rendering.
 * On error or cancel it waits for writes in flight, so the caller can delete the folder safely.
 */
export async function writePngFrames(
  frames: FrameSource,
  dir: string,
  options: PngFramesOptions,
  signal: CancelSignal,
): Promise<string[]> {
  const names: string[] = [];
  const inFlight = new Set<Promise<void>>();
  let written = 0;
  let failure: unknown;
  try {
    for (let i = 0; i < frames.count; i++) {
      throwIfAborted(signal);
      if (failure !== undefined) throw failure;
      const earlier = options.reuseRepeats === true ? frames.repeatOf?.(i) : undefined;
      if (earlier !== undefined && earlier < i) {
        names.push(names[earlier]!);
        written++;
        options.onWritten?.(written);
        continue;
      }
      const rgba = await readFrame(frames, i, signal);
      const name = frameFileName(i, frames.count);
      names.push(name);
      const write = sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), {
        raw: { width: frames.width, height: frames.height, channels: 4 },
      })
        .png({ compressionLevel: options.compressionLevel })
        .toFile(path.join(dir, name))
        .then(
          () => {
            written++;
            options.onWritten?.(written);
          },
          (error: unknown) => {
            failure ??= error;
          },
        );
      inFlight.add(write);
      void write.then(() => inFlight.delete(write));
      if (inFlight.size >= pngsInFlight) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (failure !== undefined) throw failure;
    throwIfAborted(signal);
    return names;
  } finally {
    await Promise.allSettled(inFlight);
  }
}
