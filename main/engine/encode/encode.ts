import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FlowGifError } from '../../../shared/errors.js';
import { formatExtensions, formatLabels, formatsWithLoopCount, type ExportFormat } from '../../../shared/export-formats.js';
import { withProgress, type CancelSignal, type JobContext } from '../../../shared/job.js';
import { makeOwnedTempDir } from '../project/owned-temp.js';
import { assertWritableFolder, withAtomicTarget, type ReplaceRule } from '../project/write-atomic.js';
import { throwIfAborted } from './abort.js';
import { findFfmpeg, findGifski, type EncoderPaths } from './find-encoders.js';
import { assertValidFrameSource, evenlySpaced, selectFrames, type FrameSource } from './frame-source.js';
import { encodeGif, maxGifFps } from './gif-encoder.js';
import { encodeAlphaFormat, type AlphaFormat } from './ffmpeg-formats.js';
import { encodeMp4 } from './mp4-encoder.js';
import { checkSequenceFolder, encodePngSequence, folderBytes } from './png-sequence.js';

export type OutputFormat = ExportFormat;

export interface EncodeRequest {
  readonly format: OutputFormat;
  /** A file, except for png: a folder (frame-0001.png …). */
  readonly outputPath: string;
  /** 1–100: gifski's quality for GIF, WebP's, mapped to a CRF for MP4 and WebM; PNG and APNG are lossless, ProRes fixed. */
  readonly quality: number;
  /** GIF, WebP and APNG: total plays, 0 = forever (default), 1 = once, n = n times. */
  readonly loop?: number;
  readonly frames: FrameSource;
  readonly encoders?: EncoderPaths;
  /** The caller ran checkEncodeDestination on this path already (before its slow work): not checked twice. */
  readonly destinationChecked?: boolean;
}

export interface EncodeResult {
  readonly outputPath: string;
  /** The file's size, or the sum of the frame files for a PNG sequence. */
  readonly sizeBytes: number;
  readonly frames: number;
  /** The animation's length (frames / fps), not the time spent encoding. */
  readonly durationMs: number;
}

/** Writes `output` (a temporary name chosen by encodeAnimation) from the frames. */
type Encoder = (frames: FrameSource, output: string, ctx: JobContext) => Promise<void>;

interface FormatSpec {
  readonly label: string;
  /** The label with its article, for sentences: "a GIF". */
  readonly noun: string;
  readonly writes: 'file' | 'folder';
  /** Extensions that belong to this format; a path ending in another format's is refused. */
  readonly extensions: readonly string[];
  readonly loops: boolean;
  readonly maxFps: number;
  /** Finds and probes the encoder (cheap, cached) before any frame is rendered. */
  readonly prepare: (request: EstimateRequest, signal: CancelSignal) => Promise<Encoder>;
}

/** A format ffmpeg writes from RGBA, keeping transparency (ffmpeg-formats.ts). */
function alphaFormat(format: AlphaFormat, noun: string): FormatSpec {
  return {
    label: formatLabels[format],
    noun,
    writes: 'file',
    extensions: formatExtensions[format],
    loops: formatsWithLoopCount.includes(format),
    maxFps: 240,
    prepare: async (request, signal) => {
      const ffmpeg = await findFfmpeg(request.encoders, signal);
      const options = { quality: request.quality, loop: request.loop ?? 0, ffmpeg };
      return (frames, output, ctx) => encodeAlphaFormat(format, frames, output, options, ctx);
    },
  };
}

/** The formats and what each supports; anything else fails loudly before work starts. */
const formats: Readonly<Record<OutputFormat, FormatSpec>> = {
  gif: {
    label: formatLabels.gif,
    noun: 'a GIF',
    writes: 'file',
    extensions: formatExtensions.gif,
    loops: formatsWithLoopCount.includes('gif'),
    maxFps: maxGifFps,
    prepare: async (request, signal) => {
      const gifski = await findGifski(request.encoders, signal);
      const options = { quality: request.quality, loop: request.loop ?? 0, gifski };
      return (frames, output, ctx) => encodeGif(frames, output, options, ctx);
    },
  },
  mp4: {
    label: formatLabels.mp4,
    noun: 'an MP4',
    writes: 'file',
    extensions: formatExtensions.mp4,
    loops: formatsWithLoopCount.includes('mp4'),
    maxFps: 240,
    prepare: async (request, signal) => {
      const ffmpeg = await findFfmpeg(request.encoders, signal);
      const options = { quality: request.quality, ffmpeg };
      return (frames, output, ctx) => encodeMp4(frames, output, options, ctx);
    },
  },
  webm: alphaFormat('webm', 'a WebM'),
  mov: alphaFormat('mov', 'a QuickTime movie'),
  webp: alphaFormat('webp', 'an animated WebP'),
  apng: alphaFormat('apng', 'an APNG'),
  png: {
    label: 'PNG sequence',
    noun: 'a PNG sequence',
    writes: 'folder',
    extensions: formatExtensions.png,
    loops: formatsWithLoopCount.includes('png'),
    maxFps: Number.POSITIVE_INFINITY,
    prepare: async () => (frames, output, ctx) => encodePngSequence(frames, output, ctx),
  },
};

export const outputFormats = Object.keys(formats) as OutputFormat[];

function invalid(message: string, hint?: string): FlowGifError {
  return new FlowGifError('INVALID_ARGUMENT', message, hint === undefined ? {} : { hint });
}

function specFor(request: EstimateRequest): FormatSpec {
  const spec = Object.hasOwn(formats, request.format) ? formats[request.format] : undefined;
  if (spec === undefined) {
    throw invalid(`Unknown output format "${String(request.format)}".`, `Choose one of: ${outputFormats.join(', ')}.`);
  }
  const { quality, frames } = request;
  const loop = request.loop ?? 0;
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw invalid(`Quality must be a whole number from 1 to 100 (got ${quality}).`);
  }
  if (!Number.isInteger(loop) || loop < 0) {
    throw invalid(`Loop must be 0 (forever) or a whole number of plays (got ${loop}).`);
  }
  if (loop !== 0 && !spec.loops) {
    throw invalid(`A ${spec.label} has no loop count (got loop ${loop}).`, 'Players decide whether it loops; export a GIF, WebP or APNG to set one.');
  }
  assertValidFrameSource(frames);
  if (frames.fps > spec.maxFps) {
    throw invalid(`A ${spec.label} plays at most ${spec.maxFps} frames per second (got ${frames.fps}).`);
  }
  if (request.outputPath !== undefined) assertExtensionFits(spec, request.outputPath);
  return spec;
}

/** Names that say what a file is; a request whose format contradicts its name is a mistake. */
const extensionMeaning: Readonly<Record<string, string>> = {
  '.gif': 'a GIF',
  '.mp4': 'an MP4',
  '.m4v': 'an MP4',
  '.mov': 'a QuickTime movie',
  '.png': 'a single PNG file',
  '.webm': 'a WebM video',
  '.apng': 'an animated PNG',
  '.webp': 'a WebP image',
};

function assertExtensionFits(spec: FormatSpec, outputPath: string): void {
  const ext = path.extname(path.resolve(outputPath)).toLowerCase();
  const meaning = extensionMeaning[ext];
  if (meaning === undefined || spec.extensions.includes(ext)) return;
  const fix = spec.writes === 'folder' ? 'Name a folder for the frames, e.g. out-frames/.' : `End the name in ${spec.extensions[0]}.`;
  throw invalid(`${outputPath} names ${meaning}, but the format is ${spec.label}.`, fix);
}

/**
 * Whether `outputPath` can take this format, checked before any frame is rendered: its name
 * fits the format, its folder takes new files (swept of stale temps on the way), and what it
 * would replace is a file of this format, or, for PNG frames, an empty folder or an earlier
 * FlowGIF export.
 */
export async function checkEncodeDestination(format: OutputFormat, outputPath: string): Promise<void> {
  const spec = Object.hasOwn(formats, format) ? formats[format] : undefined;
  if (spec === undefined) throw invalid(`Unknown output format "${String(format)}".`, `Choose one of: ${outputFormats.join(', ')}.`);
  assertExtensionFits(spec, outputPath);
  const target = path.resolve(outputPath);
  if (spec.writes === 'folder') await checkSequenceFolder(target);
  else await assertWritableFolder(target, replaceRule(spec));
}

function replaceRule(spec: FormatSpec): ReplaceRule {
  return { what: spec.noun, extensions: spec.extensions };
}

/** What a file of this format may replace: another file of the format, never anything else. */
export function encodeReplaceRule(format: OutputFormat): ReplaceRule {
  return replaceRule(formats[format]);
}

/**
 * The one way to write an animation: validates the request, checks the destination and finds
 * the encoder before rendering a single frame, then encodes to a temporary name beside the
 * target and renames it into place, so a failure or cancel never leaves a half file behind.
 */
export async function encodeAnimation(request: EncodeRequest, ctx: JobContext): Promise<EncodeResult> {
  const spec = specFor(request);
  const { frames } = request;
  const outputPath = path.resolve(request.outputPath);
  if (request.destinationChecked !== true) await checkEncodeDestination(request.format, outputPath);
  const encode = await spec.prepare(request, ctx.signal);
  throwIfAborted(ctx.signal);

  let sizeBytes: number;
  if (spec.writes === 'folder') {
    await encode(frames, outputPath, ctx);
    sizeBytes = await folderBytes(outputPath);
  } else {
    await withAtomicTarget(outputPath, (temporary) => encode(frames, temporary, ctx), replaceRule(spec), { checked: true });
    sizeBytes = (await fs.stat(outputPath)).size;
  }
  return { outputPath, sizeBytes, frames: frames.count, durationMs: Math.round((frames.count / frames.fps) * 1000) };
}

/** An estimate needs no destination yet: the export dialog shows it before a path is chosen. */
export type EstimateRequest = Omit<EncodeRequest, 'outputPath'> & { readonly outputPath?: string };

export interface SizeEstimate {
  readonly bytes: number;
  readonly lowBytes: number;
  readonly highBytes: number;
  /** How many frames were actually encoded; equal to the frame count means the figure is exact. */
  readonly sampledFrames: number;
  /** The animation's frames: a sequence's count is known only once its scene is laid out. */
  readonly frames: number;
}

/**
 * Measured spread of real size / estimate (flowingDots from 16 to 400 frames, 64² to
 * 256², see the commit): the pair method lands within 0.8–1.1 of the real size there; the band
 * leaves room for content that changes unevenly over time. WebM, WebP and APNG (0.97–1.08 on
 * 60 frames of 96 × 64) are inter-frame coders like those and get their band; ProRes codes
 * every frame alone (1.06 there), so its band is PNG's.
 */
const spread: Readonly<Record<OutputFormat, { low: number; high: number }>> = {
  gif: { low: 0.6, high: 1.5 },
  mp4: { low: 0.6, high: 1.5 },
  webm: { low: 0.6, high: 1.5 },
  mov: { low: 0.85, high: 1.15 },
  webp: { low: 0.6, high: 1.5 },
  apng: { low: 0.6, high: 1.5 },
  png: { low: 0.85, high: 1.15 },
};

/**
 * Size of the export without rendering all of it. Inter-frame coders (gifski's transparent
 * deltas, H.264's P-frames) pay per frame for what changed since the last one, so scaling up a
 * handful of evenly spaced frames, which differ far more than neighbours do, overestimates
 * long animations by 2× and more. Instead, take k evenly spaced pairs of neighbouring frames
 * (k = sampleFrames / 2, default 6) and encode them twice: the first frames alone (size S1,
 * each a "far" frame) and the pairs (size S2, each far frame plus one neighbour delta). Then
 * a neighbour delta costs (S2 - S1) / k, the opening frame S1 / k, and the whole
 *   bytes = S1 / k + (count - 1) · (S2 - S1) / k.
 * Container overhead cancels in the difference. PNG frames are independent: mean × count.
 * Exact when the animation is no longer than the sample.
 */
export async function estimateSize(
  request: EstimateRequest,
  ctx: JobContext,
  options: { sampleFrames?: number } = {},
): Promise<SizeEstimate> {
  specFor(request);
  const { frames } = request;
  // Six pairs: with three, eased timelines (slow ends, fast middle) were underestimated by up to 1.8×
  // on FlowGIF's own renders; six brought every sample within 1.2× (twelve frames cost about a second).
  const pairs = Math.max(1, Math.floor((options.sampleFrames ?? 12) / 2));
  const folder = await makeOwnedTempDir(os.tmpdir(), 'estimate');
  try {
    const cached = memoizeFrames(frames);
    let runsDone = 0;
    const runs = frames.count <= pairs * 2 || request.format === 'png' ? 1 : 2;
    const sizeOf = async (indices: readonly number[], name: string): Promise<number> => {
      const outputPath = path.join(folder, request.format === 'png' ? name : `${name}.${request.format}`);
      // One monotonic bar over both sample encodes; their byte counts would mislead, so none.
      const runCtx = withProgress(ctx, (p) =>
        ctx.progress({ stage: 'encode', done: runsDone * 100 + Math.round((100 * p.done) / Math.max(1, p.total)), total: runs * 100 }),
      );
      const result = await encodeAnimation({ ...request, outputPath, frames: selectFrames(cached, indices) }, runCtx);
      runsDone++;
      return result.sizeBytes;
    };
    if (frames.count <= pairs * 2) {
      const exact = await sizeOf(evenlySpaced(frames.count, frames.count), 'all');
      return { bytes: exact, lowBytes: exact, highBytes: exact, sampledFrames: frames.count, frames: frames.count };
    }
    const firsts = evenlySpaced(frames.count - 1, pairs);
    const withNeighbours = firsts.flatMap((i) => [i, i + 1]);
    // Every sampled frame asked for at once where they are drawn side by side; drawn on this
    // thread they come one at a time, so a cancel or a newer estimate gets through between them.
    if (frames.parallel === true) for (const i of withNeighbours) cached.frame(i, ctx.signal).catch(() => {});
    let bytes: number;
    if (request.format === 'png') {
      bytes = ((await sizeOf(withNeighbours, 'pairs')) / withNeighbours.length) * frames.count;
    } else {
      const far = await sizeOf(firsts, 'firsts');
      const both = await sizeOf(withNeighbours, 'pairs');
      // Identical neighbours cost next to nothing, never less.
      const delta = Math.max(0, both - far) / pairs;
      bytes = far / pairs + (frames.count - 1) * delta;
    }
    const band = spread[request.format];
    return {
      bytes: Math.round(bytes),
      lowBytes: Math.round(bytes * band.low),
      highBytes: Math.round(bytes * band.high),
      sampledFrames: withNeighbours.length,
      frames: frames.count,
    };
  } finally {
    await fs.rm(folder, { recursive: true, force: true });
  }
}

/** The sample is encoded twice; each of its frames is rendered once. */
function memoizeFrames(frames: FrameSource): FrameSource {
  const seen = new Map<number, Promise<Uint8ClampedArray>>();
  return {
    count: frames.count,
    width: frames.width,
    height: frames.height,
    fps: frames.fps,
    frame: (index, signal) => {
      let frame = seen.get(index);
      if (frame === undefined) {
        frame = frames.frame(index, signal);
        seen.set(index, frame);
        frame.catch(() => seen.delete(index));
      }
      return frame;
    },
  };
}
