import type { JobContext } from '../../../shared/job.js';
import { encodeThroughFfmpeg, hasAlpha, type FfmpegNeeds, type FfmpegStream } from './ffmpeg-stream.js';
import type { FfmpegInfo } from './find-encoders.js';
import type { FrameSource } from './frame-source.js';

/**
 * The formats ffmpeg writes from RGBA frames, keeping their alpha: WebM (VP9), MOV (ProRes 4444),
 * animated WebP and APNG. Whether a file gets an alpha plane is read off the first frame: FlowGIF draws every frame
 * on the same background, so it is transparent in all frames or in none.
 */
export type AlphaFormat = 'webm' | 'mov' | 'webp' | 'apng';

export interface AlphaFormatOptions {
  /** 1–100; APNG (lossless) and ProRes (an editing codec at its own fixed quality) ignore it. */
  readonly quality: number;
  /** Total plays, 0 = forever (WebP and APNG; a video's player decides). */
  readonly loop: number;
  readonly ffmpeg: FfmpegInfo;
}

/**
 * quality 100 → CRF 15, 75 → 24, 50 → 33, 1 → 50: like crfForQuality for x264, on VP9's
 * 0–63 scale, where about 31 is libvpx's recommended middle for web video.
 */
export function vp9CrfForQuality(quality: number): number {
  return Math.round(15 + (100 - quality) * 0.35);
}

const debianHint = 'Debian/Ubuntu’s ffmpeg and the ffmpeg.org static builds have it';

const needs: Readonly<Record<AlphaFormat, FfmpegNeeds>> = {
  webm: { encoder: 'libvpx-vp9', missingHint: `Use an ffmpeg built with --enable-libvpx (${debianHint}), or export a GIF.` },
  mov: { encoder: 'prores_ks', missingHint: 'Use ffmpeg 2.0 or newer (prores_ks is built in), or export a WebM.' },
  webp: { encoder: 'libwebp_anim', missingHint: `Use an ffmpeg built with --enable-libwebp (${debianHint}), or export a GIF.` },
  apng: { encoder: 'apng', missingHint: 'Use ffmpeg 3.0 or newer, or export a GIF or PNG frames.' },
};

/** The arguments after the raw RGBA input, for a file with or without an alpha plane. */
export function alphaFormatArgs(format: AlphaFormat, options: AlphaFormatOptions, alpha: boolean): string[] {
  switch (format) {
    case 'webm':
      return [
        '-c:v', 'libvpx-vp9', '-crf', String(vp9CrfForQuality(options.quality)), '-b:v', '0',
        // cpu-used 4 with row threads: about 3× faster than the default for a few percent of size.
        '-deadline', 'good', '-cpu-used', '4', '-row-mt', '1',
        // The packaged ffmpeg (2018) loses a frame of an alpha WebM when libvpx looks ahead
        // (10 frames in, 9 out); Debian's 5.1 does not. Without lookahead both write them all.
        ...(alpha ? ['-lag-in-frames', '0'] : []),
        // As for MP4: BT.709, and said so. yuva420p keeps the alpha (stored as a side stream, alpha_mode 1).
        '-vf', `scale=out_color_matrix=bt709:out_range=tv,format=${alpha ? 'yuva420p' : 'yuv420p'}`,
        '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709',
        '-f', 'webm',
      ];
    case 'mov':
      return [
        // 4444 keeps full chroma and, in yuva444p10le, a 16-bit alpha plane; 'apl0' as Apple's
        // own encoder says, which some editors check.
        '-c:v', 'prores_ks', '-profile:v', '4444', '-vendor', 'apl0',
        '-pix_fmt', alpha ? 'yuva444p10le' : 'yuv444p10le',
        '-f', 'mov',
      ];
    case 'webp':
      return [
        '-c:v', 'libwebp_anim', '-lossless', '0', '-quality', String(options.quality),
        '-pix_fmt', alpha ? 'yuva420p' : 'yuv420p',
        '-loop', String(options.loop),
        '-f', 'webp',
      ];
    case 'apng':
      return [
        '-c:v', 'apng', '-pred', 'mixed', '-pix_fmt', alpha ? 'rgba' : 'rgb24',
        '-plays', String(options.loop),
        '-f', 'apng',
      ];
  }
}

/** One of the alpha-keeping formats through ffmpeg; progress is frames handed over. */
export async function encodeAlphaFormat(
  format: AlphaFormat,
  frames: FrameSource,
  output: string,
  options: AlphaFormatOptions,
  ctx: JobContext,
): Promise<void> {
  await encodeThroughFfmpeg(frames, output, options.ffmpeg, needs[format], (first): FfmpegStream => ({
    inputPixFmt: 'rgba',
    inputSize: { width: frames.width, height: frames.height },
    toRaw: (rgba) => Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength),
    outputArgs: alphaFormatArgs(format, options, hasAlpha(first)),
  }), ctx);
}
