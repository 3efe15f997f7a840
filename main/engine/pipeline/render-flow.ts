import path from 'node:path';
import sharp from 'sharp';
import { FlowGifError } from '../../../shared/errors.js';
import { exportFormats, formatExtensions, formatLabels, formatOfExtension, formatsWithAlpha, formatsWithLoopCount } from '../../../shared/export-formats.js';
import type { CancelSignal, JobContext } from '../../../shared/job.js';
import type { BackgroundSetting } from '../../../shared/render/picture-background.js';
import type { RenderSettings } from '../../../shared/render/render-settings.js';
import { checkEncodeDestination, encodeAnimation, estimateSize, type EncodeResult, type OutputFormat, type SizeEstimate } from '../encode/encode.js';
import { findFfmpeg, findGifski, type EncoderPaths } from '../encode/find-encoders.js';
import type { FrameSource } from '../encode/frame-source.js';
import { writeFileAtomic, assertWritableFolder, type ReplaceRule } from '../project/write-atomic.js';
import { prepareScene, type Scene, type SceneOptions } from '../render/scene.js';
import { prepareSequenceScene, type PictureSequence } from '../render/sequence-scene.js';
import type { Trajectory } from '../render/trajectory.js';
import { openFramePool, type FramePool } from '../render/frame-workers.js';
import { defaultThreads } from '../render/threads.js';
import type { OpenedFlow } from './flow-source.js';
import { fitUnderBudget } from './fit-under-budget.js';
import type { BudgetFit } from '../../../shared/size-budget.js';

/** By extension (shared/export-formats.ts); a trailing slash or no extension means a folder of PNG frames. */
export function formatForPath(outputPath: string): OutputFormat {
  if (outputPath.endsWith('/') || outputPath.endsWith(path.sep)) return 'png';
  const extension = path.extname(outputPath);
  if (extension === '') return 'png';
  const format = formatOfExtension(extension);
  if (format !== undefined) return format;
  throw new FlowGifError('INVALID_ARGUMENT', `Cannot tell the format of ${outputPath} from its extension.`, {
    file: outputPath,
    hint: `Use ${exportFormats.flatMap((f) => formatExtensions[f]).join(', ')}, or a folder path ending in / for PNG frames.`,
  });
}

/**
 * Several pictures in one animation: a morph (fromNoise false: the first picture becomes the
 * next) or a sequence (noise → the first → the next …), see render/sequence-scene.ts.
 */
export interface FlowSequence extends PictureSequence {
  readonly flows: readonly OpenedFlow[];
}

/** What an export draws: one flow, or a sequence of them. */
export type RenderSubject = OpenedFlow | FlowSequence;

export async function withScene<T>(subject: RenderSubject, settings: RenderSettings, options: SceneOptions, ctx: JobContext, use: (scene: Scene) => Promise<T>): Promise<T> {
  if ('flows' in subject) return use(await prepareSequenceScene(subject, settings, options, ctx));
  return use(await prepareScene(subject.field, subject.density, settings, options, ctx));
}

/**
 * Frames of the scene for the encoders. With a pool, frames are drawn in worker threads, a few
 * ahead of the one asked for (unless `drawAhead` is false: a size estimate asks for scattered
 * frames, all at once), while the encoder takes the last; they arrive in buffers of their own,
 * so none is copied. Without one, the main thread draws each when asked.
 */
function frameSource(scene: Scene, settings: RenderSettings, pool?: FramePool, drawAhead = true): FrameSource {
  const times = scene.frameTimes(settings.timeline);
  // Frames at the same t are the same picture (drawing is deterministic): holds and a
  // bounce's way back repeat frames of the way there, so encoders that can reuse them do.
  const firstAt = new Map<number, number>();
  times.forEach((t, i) => {
    if (!firstAt.has(t)) firstAt.set(t, i);
  });
  const repeatOf = (index: number): number | undefined => {
    const first = firstAt.get(times[index]!);
    return first !== undefined && first < index ? first : undefined;
  };
  const source = { repeatOf, count: times.length, width: scene.raster.width, height: scene.raster.height, fps: settings.timeline.fps };
  if (pool === undefined) {
    return {
      ...source,
      async frame(index: number, signal: CancelSignal) {
        signal.throwIfAborted();
        // A copy: encoders may still hold the previous frame while the next is drawn.
        return scene.drawAt(times[index]!).slice();
      },
    };
  }
  // Two frames a thread in flight keep every worker busy; each is one frame of memory.
  const ahead = 2 * pool.threads;
  const drawing = new Map<number, Promise<Uint8ClampedArray>>();
  const request = (index: number, signal: CancelSignal): Promise<Uint8ClampedArray> => {
    const frame = pool.draw(times[index]!, signal);
    // A frame drawn ahead may never be asked for (a cancel, an estimate's few frames).
    frame.catch(() => {});
    drawing.set(index, frame);
    return frame;
  };
  return {
    ...source,
    parallel: true,
    frame(index: number, signal: CancelSignal) {
      signal.throwIfAborted();
      const frame = drawing.get(index) ?? request(index, signal);
      for (const earlier of drawing.keys()) if (earlier <= index) drawing.delete(earlier);
      // Draw ahead the next frames an in-order encoder will ask for; repeats it reuses.
      for (let next = index + 1; drawAhead && next < times.length && drawing.size < ahead; next++) {
        if (repeatOf(next) === undefined && !drawing.has(next)) request(next, signal);
      }
      return frame;
    },
  };
}

/**
 * Runs `use` with frame workers drawing the scene's frames (none for threads 0, or a single
 * frame), and stops them however `use` ends: a cancel or a failure leaves no thread behind.
 * Each call of `frames` is a new source on the same workers: one for a size estimate's few
 * frames, without draw-ahead, then one for the encode.
 */
async function withFrames<T>(
  scene: Scene,
  settings: RenderSettings,
  threads: number,
  use: (frames: (use: 'estimate' | 'encode') => FrameSource) => Promise<T>,
): Promise<T> {
  if (threads < 1) return use(() => frameSource(scene, settings));
  const pool = openFramePool(scene.recipe, threads);
  try {
    return await use((purpose) => frameSource(scene, settings, pool, purpose === 'encode'));
  } finally {
    await pool.close();
  }
}

export interface RenderRequest {
  readonly outputPath: string;
  readonly settings: RenderSettings;
  readonly format?: OutputFormat;
  readonly encoders?: EncoderPaths;
  /** Called with a size estimate (a few frames encoded for real) before the full encode starts. */
  readonly onEstimate?: (estimate: SizeEstimate) => void;
  /** The host ran checkExportDestination when the export was asked for: the folder is checked once. */
  readonly destinationChecked?: boolean;
  /** Lower quality, frame rate or size as needed so the file is at most this many bytes (fit-under-budget.ts). */
  readonly maxBytes?: number;
  /** Worker threads solving particles and drawing frames; 0 does both on the main thread. Default defaultThreads(). */
  readonly threads?: number;
}

export interface RenderResult extends EncodeResult {
  readonly format: OutputFormat;
  readonly width: number;
  readonly height: number;
  readonly particles: number;
  /** With maxBytes: what was changed to fit. */
  readonly budget?: BudgetFit;
}

/** PNG frames go to a folder: a trailing separator is how a path says so, not part of its name. */
export function destinationPath(outputPath: string, format: OutputFormat): string {
  return format === 'png' ? outputPath.replace(/[\\/]+$/, '') : outputPath;
}

/** Whether the destination takes this format (see checkEncodeDestination), before anything slow. */
export function checkExportDestination(outputPath: string, format: OutputFormat): Promise<void> {
  return checkEncodeDestination(format, destinationPath(outputPath, format));
}

async function findEncoder(format: OutputFormat, options: { encoders?: EncoderPaths | undefined; signal: CancelSignal }): Promise<void> {
  if (format === 'gif') await findGifski(options.encoders, options.signal);
  else if (format !== 'png') await findFfmpeg(options.encoders, options.signal);
}

/**
 * A see-through background ('transparent', #RRGGBBAA) in a format without alpha would be
 * flattened onto white without a word; refuse it, naming the formats that keep it. 'auto' is
 * the picture's own background, which is always opaque (picture-background.ts).
 */
export function assertFormatKeepsBackground(format: OutputFormat, background: BackgroundSetting): void {
  if (background === 'auto' || background[3] === 255 || formatsWithAlpha.includes(format)) return;
  const keepers = formatsWithAlpha.filter((f) => f !== 'png').map((f) => formatLabels[f]);
  throw new FlowGifError('INVALID_ARGUMENT', `${formatLabels[format]} has no transparency, but the background is see-through.`, {
    hint: `Export ${keepers.join(', ')} or PNG frames to keep it, or choose an opaque background.`,
  });
}

/**
 * Everything about an export that can fail in a second, checked before anything slow (opening
 * a flow, training, solving particles): the destination takes this format and the encoder is there.
 */
export async function checkRenderDestination(
  outputPath: string,
  format: OutputFormat,
  options: { encoders?: EncoderPaths; signal: CancelSignal; background?: BackgroundSetting },
): Promise<void> {
  if (options.background !== undefined) assertFormatKeepsBackground(format, options.background);
  await checkExportDestination(outputPath, format);
  await findEncoder(format, options);
}

/** A flow (or a sequence) to an animation file: particles solved once, every frame drawn from them, encoded. */
export async function renderToFile(flow: RenderSubject, request: RenderRequest, ctx: JobContext): Promise<RenderResult> {
  const format = request.format ?? formatForPath(request.outputPath);
  const outputPath = destinationPath(request.outputPath, format);
  assertFormatKeepsBackground(format, request.settings.background);
  // A bad destination or a missing encoder should fail before the particles are solved.
  if (request.destinationChecked !== true) await checkExportDestination(outputPath, format);
  await findEncoder(format, { encoders: request.encoders, signal: ctx.signal });
  const evenSize = format === 'mp4';
  const threads = request.threads ?? defaultThreads();
  const encodeRequest = (frames: FrameSource, settings: RenderSettings) => ({
    format,
    quality: settings.quality,
    ...(formatsWithLoopCount.includes(format) ? { loop: settings.timeline.loops } : {}),
    frames,
    ...(request.encoders ? { encoders: request.encoders } : {}),
  });
  const described = (scene: Scene, result: EncodeResult): RenderResult => ({
    ...result,
    format,
    width: scene.raster.width,
    height: scene.raster.height,
    particles: scene.trajectory.particles,
  });
  if (request.maxBytes !== undefined) {
    // Every try draws the same particles: they are solved once, by the first try.
    let solved: readonly Trajectory[] | undefined;
    const inScene = <T>(settings: RenderSettings, tryCtx: JobContext, use: (scene: Scene) => Promise<T>): Promise<T> =>
      withScene(flow, settings, { evenSize, threads, ...(solved === undefined ? {} : { solved }) }, tryCtx, (scene) => {
        solved = scene.solved;
        return use(scene);
      });
    const { result, fit } = await fitUnderBudget(
      { format, outputPath, settings: request.settings, maxBytes: request.maxBytes },
      {
        // An estimate draws a dozen frames: not worth starting threads for.
        estimate: (settings, tryCtx) => inScene(settings, tryCtx, async (scene) => (await estimateSize(encodeRequest(frameSource(scene, settings), settings), tryCtx)).bytes),
        encode: (settings, tryPath, tryCtx) =>
          inScene(settings, tryCtx, (scene) =>
            withFrames(scene, settings, threads, async (frames) => described(scene, await encodeAnimation({ ...encodeRequest(frames('encode'), settings), outputPath: tryPath }, tryCtx)))),
      },
      ctx,
    );
    return { ...result, budget: fit };
  }
  return withScene(flow, request.settings, { evenSize, threads }, ctx, (scene) =>
    withFrames(scene, request.settings, threads, async (frames) => {
      // The estimate's dozen frames are drawn by the workers too: on the main thread they took
      // 8.6 s of a 1 000 000-particle 1080p export.
      if (request.onEstimate !== undefined) request.onEstimate(await estimateSize(encodeRequest(frames('estimate'), request.settings), ctx));
      // Checked above (or by the host): the encoder need not check the folder again.
      return described(scene, await encodeAnimation({ ...encodeRequest(frames('encode'), request.settings), outputPath, destinationChecked: true }, ctx));
    }),
  );
}

/** The size an export will have, from a few frames encoded for real. */
export async function estimateRenderSize(flow: RenderSubject, format: OutputFormat, settings: RenderSettings, ctx: JobContext): Promise<SizeEstimate> {
  assertFormatKeepsBackground(format, settings.background);
  return withScene(flow, settings, { evenSize: format === 'mp4' }, ctx, (scene) =>
    estimateSize({ format, quality: settings.quality, frames: frameSource(scene, settings) }, ctx),
  );
}

const pngFrame: ReplaceRule = { what: 'a PNG', extensions: ['.png'] };

/** Checked before the frame's flow is opened or its particles solved. */
export async function checkFrameDestination(outputPath: string): Promise<void> {
  await assertWritableFolder(outputPath, pngFrame);
}

/** One frame at flow time t (a sequence's τ), as a PNG. */
export async function renderFrameToFile(
  flow: RenderSubject,
  t: number,
  outputPath: string,
  settings: RenderSettings,
  ctx: JobContext,
): Promise<{ outputPath: string; width: number; height: number; sizeBytes: number }> {
  if (!(t >= 0 && t <= 1)) throw new FlowGifError('INVALID_ARGUMENT', `t must be in [0, 1], not ${t}.`);
  await checkFrameDestination(outputPath);
  return withScene(flow, settings, { evenSize: false }, ctx, async (scene) => {
    const { width, height } = scene.raster;
    const pixels = scene.drawAt(t);
    const png = await sharp(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), { raw: { width, height, channels: 4 } })
      .png()
      .toBuffer();
    ctx.progress({ stage: 'write', done: 0, total: 1 });
    await writeFileAtomic(outputPath, png, pngFrame);
    ctx.progress({ stage: 'write', done: 1, total: 1 });
    return { outputPath, width, height, sizeBytes: png.byteLength };
  });
}
