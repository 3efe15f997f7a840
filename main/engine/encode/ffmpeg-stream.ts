import fs from 'node:fs/promises';
import { FlowGifError } from '../../../shared/errors.js';
import type { JobContext } from '../../../shared/job.js';
import { throwIfAborted } from './abort.js';
import type { FfmpegInfo } from './find-encoders.js';
import { readFrame, type FrameSource } from './frame-source.js';
import { createProgressMeter } from './progress-meter.js';
import { runProcess } from './run-process.js';

/** The ffmpeg encoder a format needs (`ffmpeg -encoders`), and what to say when it is absent. */
export interface FfmpegNeeds {
  readonly encoder: string;
  /** Which builds have it, what to export instead. */
  readonly missingHint: string;
}

/** How one ffmpeg-written format takes its frames. */
export interface FfmpegStream {
  /** ffmpeg's rawvideo pix_fmt of what `toRaw` returns, and the size of those frames. */
  readonly inputPixFmt: 'rgb24' | 'rgba';
  readonly inputSize: { readonly width: number; readonly height: number };
  /** One frame as ffmpeg reads it. */
  readonly toRaw: (rgba: Uint8ClampedArray) => Buffer;
  /** Everything after the input: codec, options, muxer (`-f`, as temporary names have no extension). */
  readonly outputArgs: readonly string[];
}

/** True when some pixel of the frame is not fully opaque. */
export function hasAlpha(rgba: Uint8ClampedArray): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return true;
  return false;
}

export function ffmpegStreamArgs(frames: FrameSource, stream: FfmpegStream, output: string): string[] {
  return [
    '-hide_banner', '-nostats', '-loglevel', 'error',
    '-f', 'rawvideo', '-pix_fmt', stream.inputPixFmt, '-s', `${stream.inputSize.width}x${stream.inputSize.height}`, '-r', String(frames.fps),
    '-i', 'pipe:0',
    '-an', ...stream.outputArgs, '-y', output,
  ];
}

/**
 * Frames streamed raw into ffmpeg's stdin, which writes `output`; progress is frames handed
 * over, and the last event carries the file's size. `choose` sees the first frame before
 * ffmpeg starts (whether it has alpha decides a pixel format) and returns the stream.
 */
export async function encodeThroughFfmpeg(
  frames: FrameSource,
  output: string,
  ffmpeg: FfmpegInfo,
  needs: FfmpegNeeds,
  choose: (first: Uint8ClampedArray) => FfmpegStream,
  ctx: JobContext,
): Promise<void> {
  if (!ffmpeg.encoders.has(needs.encoder)) {
    throw new FlowGifError('ENCODER_MISSING', `The ffmpeg at ${ffmpeg.path} has no ${needs.encoder} encoder.`, {
      file: ffmpeg.path,
      hint: needs.missingHint,
    });
  }
  const meter = createProgressMeter(ctx, frames.count);
  meter.report(0);
  const first = await readFrame(frames, 0, ctx.signal);
  const stream = choose(first);
  async function* rawFrames(): AsyncGenerator<Buffer> {
    for (let i = 0; i < frames.count; i++) {
      throwIfAborted(ctx.signal);
      const rgba = i === 0 ? first : await readFrame(frames, i, ctx.signal);
      yield stream.toRaw(rgba);
      meter.report(i + 1);
    }
  }
  await runProcess(ffmpeg, ffmpegStreamArgs(frames, stream, output), ctx.signal, { stdin: rawFrames(), file: output });
  meter.report(frames.count, (await fs.stat(output)).size);
}
