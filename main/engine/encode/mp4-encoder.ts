import type { JobContext } from '../../../shared/job.js';
import { encodeThroughFfmpeg, hasAlpha, type FfmpegStream } from './ffmpeg-stream.js';
import type { FfmpegInfo } from './find-encoders.js';
import type { FrameSource } from './frame-source.js';

export interface Mp4Options {
  /** 1–100, mapped to x264's CRF. */
  readonly quality: number;
  readonly ffmpeg: FfmpegInfo;
}

/**
 * quality 100 → CRF 14, 90 → 17 (about x264's "visually lossless" 18), 75 → 22, 50 → 29,
 * 1 → 44. Linear in CRF, which is roughly logarithmic in bitrate, as quality sliders feel.
 */
export function crfForQuality(quality: number): number {
  return Math.round(14 + (100 - quality) * 0.3);
}

/** yuv420p halves chroma in both directions, so x264 needs even sides. */
export function evenSize(width: number, height: number): { width: number; height: number } {
  return { width: width + (width % 2), height: height + (height % 2) };
}

/**
 * RGBA → RGB over white (MP4 has no alpha; white matches how FlowGIF reads pictures), padded to
 * even sides by repeating the last column and row: no black seam and no resampling blur,
 * unlike ffmpeg's pad or scale filters.
 */
export function toOpaqueEvenRgb(rgba: Uint8ClampedArray, width: number, height: number): Buffer {
  const even = evenSize(width, height);
  const out = Buffer.allocUnsafe(even.width * even.height * 3);
  for (let y = 0; y < even.height; y++) {
    const sy = Math.min(y, height - 1);
    for (let x = 0; x < even.width; x++) {
      const s = (sy * width + Math.min(x, width - 1)) * 4;
      const d = (y * even.width + x) * 3;
      const a = rgba[s + 3] ?? 255;
      if (a === 255) {
        out[d] = rgba[s] ?? 0;
        out[d + 1] = rgba[s + 1] ?? 0;
        out[d + 2] = rgba[s + 2] ?? 0;
      } else {
        const white = 255 * (255 - a);
        out[d] = Math.round(((rgba[s] ?? 0) * a + white) / 255);
        out[d + 1] = Math.round(((rgba[s + 1] ?? 0) * a + white) / 255);
        out[d + 2] = Math.round(((rgba[s + 2] ?? 0) * a + white) / 255);
      }
    }
  }
  return out;
}

/**
 * x264's speed preset. On 60 frames of 1 000 000 particles at 1920 × 1080, CRF 17, against
 * `medium`: `faster` took 0.61 of the time for a file 1.00 of the size and SSIM Y 0.99504 vs
 * 0.99505; `veryfast` 0.40 of the time. Against the frames themselves (2026-12-04): faster
 * SSIM Y 0.9948, veryfast 0.9938 with a file 0.97 of the size, both well inside "visually
 * lossless"; the whole 300-frame export took 27.7–28.7 s with veryfast against 29.3–32.7 s with
 * faster (BENCHMARKS.md), which is what brings it under the 30 s it is asked to take. A particle
 * cloud has little for a deeper motion search to find.
 */
export const X264_PRESET = 'veryfast';

/** x264's arguments after the raw input. */
export function x264Args(frames: FrameSource, quality: number): string[] {
  return [
    '-c:v', 'libx264', '-preset', X264_PRESET, '-crf', String(crfForQuality(quality)),
    // Convert with BT.709 and say so: untagged video is guessed at, and players guess differently.
    '-vf', 'scale=out_color_matrix=bt709:out_range=tv,format=yuv420p',
    '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709',
    '-r', String(frames.fps),
    // moov before mdat: browsers start playing before the whole file has arrived.
    '-movflags', '+faststart',
    // The temporary name has no .mp4 extension, so the muxer is named.
    '-f', 'mp4',
  ];
}

/** H.264 MP4 through ffmpeg, raw frames streamed on stdin; progress is frames handed over. */
export async function encodeMp4(frames: FrameSource, output: string, options: Mp4Options, ctx: JobContext): Promise<void> {
  const needs = {
    encoder: 'libx264',
    missingHint: 'Use an ffmpeg built with --enable-libx264 (Debian, Homebrew and the ffmpeg.org builds are), or export a GIF.',
  };
  await encodeThroughFfmpeg(frames, output, options.ffmpeg, needs, (first) => mp4Stream(frames, first, options.quality), ctx);
}

/**
 * An opaque frame of even sides (the export draws MP4 frames at even sides, and an opaque first
 * frame means an opaque background under every frame) goes to ffmpeg as it is: its own RGB
 * conversion costs less than ours, and the main thread is left to the encoder. Anything else
 * is flattened over white and padded here first.
 */
export function mp4Stream(frames: FrameSource, first: Uint8ClampedArray, quality: number): FfmpegStream {
  const outputArgs = x264Args(frames, quality);
  const even = evenSize(frames.width, frames.height);
  if (even.width === frames.width && even.height === frames.height && !hasAlpha(first)) {
    return { inputPixFmt: 'rgba', inputSize: even, toRaw: (rgba) => Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), outputArgs };
  }
  return { inputPixFmt: 'rgb24', inputSize: even, toRaw: (rgba) => toOpaqueEvenRgb(rgba, frames.width, frames.height), outputArgs };
}
