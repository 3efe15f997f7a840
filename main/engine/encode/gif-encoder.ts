import fs from 'node:fs/promises';
import path from 'node:path';
import { FlowGifError } from '../../../shared/errors.js';
import type { JobContext } from '../../../shared/job.js';
import { makeOwnedTempDir } from '../project/owned-temp.js';
import type { GifskiInfo } from './find-encoders.js';
import type { FrameSource } from './frame-source.js';
import { writePngFrames } from './png-frames.js';
import { createProgressMeter } from './progress-meter.js';
import { runProcess } from './run-process.js';

export interface GifOptions {
  /** gifski's quality, 1–100. */
  readonly quality: number;
  /** Total plays: 0 = forever, 1 = once, n = n times (what sharp reports as `loop`). */
  readonly loop: number;
  readonly gifski: GifskiInfo;
}

/** gifski refuses more; GIF delays are whole centiseconds anyway. */
export const maxGifFps = 100;

/**
 * gifski's --repeat counts repetitions after the first play (-1 none, 0 forever); our loop
 * counts plays, like the NETSCAPE block as decoders report it.
 */
export function gifskiRepeat(loop: number): number {
  return loop === 0 ? 0 : loop === 1 ? -1 : loop - 1;
}

export function gifskiArgs(frames: FrameSource, options: GifOptions, output: string, files: readonly string[]): string[] {
  const { flags } = options.gifski;
  const args = ['--fps', String(frames.fps), '--quality', String(options.quality)];
  // Without --width gifski shrinks anything above about 800×600; the caller chose the size.
  args.push('--width', String(frames.width));
  if (flags.has('--height')) args.push('--height', String(frames.height));
  if (options.loop !== 0) {
    if (!flags.has('--repeat')) {
      throw new FlowGifError(
        'ENCODER_FAILED',
        `gifski ${options.gifski.version} at ${options.gifski.path} cannot set a loop count.`,
        { hint: 'Use gifski 1.6 or newer, or loop forever.' },
      );
    }
    args.push('--repeat', String(gifskiRepeat(options.loop)));
  }
  if (flags.has('--no-sort')) args.push('--no-sort');
  args.push('--output', output);
  // gifski wants two files at least; a repeated file is merged into one frame.
  args.push(...(files.length === 1 ? [files[0] as string, files[0] as string] : files));
  return args;
}

/**
 * GIF through gifski, which reads PNG files only: frames go to a hidden folder beside the
 * output (same disk, so no /tmp quota surprises for big exports), gifski writes `output`, and
 * the folder is removed whatever happens (after a SIGKILL, by the next run's sweep: its name
 * carries this process's id). Progress: one unit per frame written, one per frame
 * gifski reports encoded.
 */
export async function encodeGif(frames: FrameSource, output: string, options: GifOptions, ctx: JobContext): Promise<void> {
  const meter = createProgressMeter(ctx, frames.count * 2);
  meter.report(0);
  const folder = await makeOwnedTempDir(path.dirname(output), 'frames', { hidden: true });
  try {
    const files = await writePngFrames(
      frames,
      folder,
      { compressionLevel: 1, reuseRepeats: true, onWritten: (written) => meter.report(written) },
      ctx.signal,
    );
    // Relative names keep the command line short (Windows caps it near 32 000 characters).
    await runProcess(options.gifski, gifskiArgs(frames, options, path.resolve(output), files), ctx.signal, {
      cwd: folder,
      file: output,
      onLine: (line) => {
        const match = /Frame\s+(\d+)\s*\/\s*(\d+)/.exec(line);
        if (match !== null) meter.report(frames.count + Number(match[1]));
      },
    });
    meter.report(frames.count * 2, (await fs.stat(output)).size);
  } finally {
    await fs.rm(folder, { recursive: true, force: true });
  }
}
