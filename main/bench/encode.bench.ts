import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { noopJobContext } from '../../shared/job.js';
import { encodeAnimation, type OutputFormat } from '../engine/encode/encode.js';
import { findFfmpeg, findGifski } from '../engine/encode/find-encoders.js';
import type { FrameSource } from '../engine/encode/frame-source.js';
import { flowingDots } from '../engine/encode/synthetic-frames.js';

/** Encoder figures for BENCHMARKS.md; the runner prints them. */
export interface EncoderFigure {
  readonly encoder: 'gifski' | 'ffmpeg';
  readonly version: string;
  readonly width: number;
  readonly height: number;
  readonly frames: number;
  readonly quality: number;
  /** Wall time of encodeAnimation per frame, frames already rendered. */
  readonly msPerFrame: number;
  /** GIF only: the part spent writing the intermediate PNGs gifski reads. */
  readonly pngMsPerFrame?: number;
  readonly sizeBytes: number;
}

/** Rendered up front, so the figures time the encoders and not the synthetic renderer. */
async function prerendered(frames: FrameSource): Promise<FrameSource> {
  const all: Uint8ClampedArray[] = [];
  for (let i = 0; i < frames.count; i++) all.push(await frames.frame(i, noopJobContext.signal));
  return { ...frames, frame: async (index) => all[index] as Uint8ClampedArray };
}

/**
 * ms per frame for gifski (GIF) and ffmpeg/libx264 (MP4) at 512×512 on particle frames that
 * look like FlowGIF's output. ffmpeg is skipped (left out of the result) when not installed.
 */
export async function benchEncoders(
  options: { size?: number; frames?: number; quality?: number } = {},
): Promise<EncoderFigure[]> {
  const size = options.size ?? 512;
  const count = options.frames ?? 30;
  const quality = options.quality ?? 90;
  const frames = await prerendered(flowingDots({ width: size, height: size, count, fps: 30 }));
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-bench-'));
  const figures: EncoderFigure[] = [];
  try {
    const encoders: { encoder: EncoderFigure['encoder']; format: OutputFormat; version: () => Promise<string> }[] = [
      { encoder: 'gifski', format: 'gif', version: async () => (await findGifski()).version },
      { encoder: 'ffmpeg', format: 'mp4', version: async () => (await findFfmpeg()).version },
    ];
    for (const { encoder, format, version } of encoders) {
      let found: string;
      try {
        found = await version();
      } catch {
        continue;
      }
      const started = performance.now();
      let pngsDoneAt: number | undefined;
      const result = await encodeAnimation(
        { format, outputPath: path.join(dir, `bench.${format}`), quality, frames },
        {
          signal: noopJobContext.signal,
          progress: (p) => {
            // gifski's progress counts frames written, then frames encoded.
            if (format === 'gif' && pngsDoneAt === undefined && p.done >= count) pngsDoneAt = performance.now();
          },
        },
      );
      const elapsed = performance.now() - started;
      figures.push({
        encoder,
        version: found,
        width: size,
        height: size,
        frames: count,
        quality,
        msPerFrame: elapsed / count,
        ...(pngsDoneAt === undefined ? {} : { pngMsPerFrame: (pngsDoneAt - started) / count }),
        sizeBytes: result.sizeBytes,
      });
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  return figures;
}
