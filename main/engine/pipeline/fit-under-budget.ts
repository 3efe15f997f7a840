import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { formatByteBudget, formatDecimalBytes } from '../../../shared/byte-size.js';
import { FlowGifError } from '../../../shared/errors.js';
import { formatLabels, newFileExtension } from '../../../shared/export-formats.js';
import { describeBudgetChanges, type BudgetChange, type BudgetFit, type BudgetSetting } from '../../../shared/size-budget.js';
import type { JobContext } from '../../../shared/job.js';
import { resolveRenderSettings, renderLimits, type RenderSettings } from '../../../shared/render/render-settings.js';
import { encodeReplaceRule, type EncodeResult, type OutputFormat } from '../encode/encode.js';
import { makeOwnedTempDir } from '../project/owned-temp.js';
import { withAtomicTarget } from '../project/write-atomic.js';

/**
 * How low a budget may take each setting: below gifski's quality 60 dithering turns to visible
 * grain, below 12 fps the flow stutters, below 160 px a logo's detail is gone. The quality
 * lever is each format's own (gifski's, WebP's, a CRF for H.264 and VP9); APNG is lossless and
 * ProRes fixed, so they only lose frames and pixels.
 */
export const budgetFloors = Object.freeze({ fps: 12, size: 160 });

/**
 * Each lossy format's quality floor and what 20 points less quality keeps of the bytes,
 * measured on a colour logo at 200 px (58 frames): gifski 90 → 70 → 50 kept 0.66 then 0.78,
 * WebP 0.61 then 0.81, H.264 0.57 then 0.49. Fewer frames and pixels save in proportion (20 →
 * 12 fps kept 0.62 of the bytes for 0.59 of the frames; 512 → 360 px 0.44 for 0.49 of the
 * pixels). The model only picks the next try; every try is measured.
 */
const qualityLevers: Readonly<Partial<Record<OutputFormat, { floor: number; stepFactor: number }>>> = {
  gif: { floor: 60, stepFactor: 0.7 },
  webp: { floor: 50, stepFactor: 0.7 },
  mp4: { floor: 40, stepFactor: 0.55 },
  webm: { floor: 40, stepFactor: 0.55 },
};
const QUALITY_STEP = 20;

/** Aim this far under the budget: the estimate's own spread is about 0.8–1.1 of the real size. */
const ESTIMATE_MARGIN = 0.85;
const ENCODE_MARGIN = 0.92;
const MAX_ESTIMATES_PER_TRY = 4;
const MAX_ENCODES = 4;

/** The long side of the output: a custom canvas's own, else the size. */
function longSide(settings: RenderSettings): number {
  return typeof settings.canvas === 'object' ? Math.max(settings.canvas.width, settings.canvas.height) : settings.size;
}

function withLongSide(settings: RenderSettings, side: number): Partial<RenderSettings> {
  if (typeof settings.canvas !== 'object') return { size: side };
  const scale = side / longSide(settings);
  const fit = (x: number): number => Math.max(renderLimits.minSize, Math.round(x * scale));
  return { canvas: { width: fit(settings.canvas.width), height: fit(settings.canvas.height) } };
}

/**
 * Settings expected to make `ratio` (< 1) of the bytes `settings` make: quality first (it
 * keeps every frame and pixel), then frames, then pixels, each no lower than its floor.
 * Particles, dot size and seed stay, so every try draws the same particles. Undefined when
 * every lever is at its floor already.
 */
export function shrinkSettings(format: OutputFormat, settings: RenderSettings, ratio: number): RenderSettings | undefined {
  let left = ratio;
  let quality = settings.quality;
  const lever = qualityLevers[format];
  if (lever !== undefined && quality > lever.floor && left < 1) {
    quality = Math.max(lever.floor, quality - QUALITY_STEP);
    left /= lever.stepFactor ** ((settings.quality - quality) / QUALITY_STEP);
  }
  let fps = settings.timeline.fps;
  if (left < 1 && fps > budgetFloors.fps) {
    fps = Math.max(budgetFloors.fps, Math.floor(fps * Math.max(left, 0.5)));
    left /= fps / settings.timeline.fps;
  }
  const side = longSide(settings);
  let newSide = side;
  if (left < 1 && side > budgetFloors.size) {
    newSide = Math.max(budgetFloors.size, Math.floor(side * Math.sqrt(left)));
  }
  if (quality === settings.quality && fps === settings.timeline.fps && newSide === side) return undefined;
  return resolveRenderSettings({
    ...settings,
    ...withLongSide(settings, newSide),
    quality,
    timeline: { ...settings.timeline, fps },
  });
}

/** What differs between the asked settings and the ones that fit, in the budget's own order. */
export function budgetChanges(asked: RenderSettings, fitted: RenderSettings): BudgetChange[] {
  const pairs: Array<[BudgetSetting, number, number]> = [
    ['quality', asked.quality, fitted.quality],
    ['fps', asked.timeline.fps, fitted.timeline.fps],
    ['size', longSide(asked), longSide(fitted)],
  ];
  return pairs.filter(([, from, to]) => from !== to).map(([setting, from, to]) => ({ setting, from, to }));
}

/** Draws and encodes one try of the export with these settings, at `outputPath`. */
export type EncodeTry<R extends EncodeResult> = (settings: RenderSettings, outputPath: string, ctx: JobContext) => Promise<R>;
/** The size a try would have, from a few of its frames. */
export type EstimateTry = (settings: RenderSettings, ctx: JobContext) => Promise<number>;

export interface BudgetRequest {
  readonly format: OutputFormat;
  /** The file that takes the accepted try; checked by the caller. */
  readonly outputPath: string;
  readonly settings: RenderSettings;
  readonly maxBytes: number;
}

/**
 * An export that lands under maxBytes: starts from the size estimate, lowers quality, frame
 * rate and size until the estimate fits, encodes, and tries again smaller if the file is
 * still over, correcting the estimate by how far off it was. Tries are written in a temporary
 * folder; only the accepted one is moved to the destination, so a cancel, a failure or an
 * impossible budget leaves nothing there.
 */
export async function fitUnderBudget<R extends EncodeResult>(
  request: BudgetRequest,
  tries: { encode: EncodeTry<R>; estimate: EstimateTry },
  ctx: JobContext,
): Promise<{ result: R; fit: BudgetFit }> {
  const { format, maxBytes } = request;
  if (format === 'png') {
    throw new FlowGifError('INVALID_ARGUMENT', 'A size limit applies to one file, but PNG frames are a folder of files.', {
      hint: 'Choose GIF, MP4, WebM, MOV, WebP or APNG to fit a size, or leave the size unlimited.',
    });
  }
  const budget = formatByteBudget(maxBytes);
  const noted = (message: string): JobContext => ({ signal: ctx.signal, progress: (p) => ctx.progress({ ...p, message }) });
  const folder = await makeOwnedTempDir(os.tmpdir(), 'estimate');
  try {
    let settings = request.settings;
    // Real size over estimated size, once an encode has shown how far the estimate is off here.
    let bias = 1;
    for (let encodes = 1; ; encodes++) {
      // Estimates (a few frames each) until one fits, before paying for a whole encode.
      let estimated: number | undefined;
      for (let estimates = 0; estimates < MAX_ESTIMATES_PER_TRY; estimates++) {
        estimated = await tries.estimate(settings, noted(`measuring the size to fit under ${budget}`));
        const smaller = estimated * bias > maxBytes * ESTIMATE_MARGIN ? shrinkSettings(format, settings, (maxBytes * ESTIMATE_MARGIN) / (estimated * bias)) : undefined;
        if (smaller === undefined) break;
        settings = smaller;
        estimated = undefined;
      }
      const tryPath = path.join(folder, `try-${encodes}${newFileExtension(format)}`);
      const result = await tries.encode(settings, tryPath, noted(`try ${encodes} to fit under ${budget}`));
      if (result.sizeBytes <= maxBytes) {
        await withAtomicTarget(request.outputPath, (temporary) => fs.copyFile(tryPath, temporary), encodeReplaceRule(format), { checked: true });
        return { result: { ...result, outputPath: request.outputPath }, fit: { maxBytes, changes: budgetChanges(request.settings, settings), encodes } };
      }
      if (estimated !== undefined) bias = Math.max(bias, result.sizeBytes / estimated);
      const smaller = encodes < MAX_ENCODES ? shrinkSettings(format, settings, (maxBytes * ENCODE_MARGIN) / result.sizeBytes) : undefined;
      if (smaller === undefined) {
        const tried = describeBudgetChanges(budgetChanges(request.settings, settings));
        throw new FlowGifError('INVALID_ARGUMENT', `The ${formatLabels[format]} does not fit under ${budget}: the smallest try (${tried}) came to ${formatDecimalBytes(result.sizeBytes)}.`, {
          file: request.outputPath,
          hint: `Allow more than ${budget}, make the animation shorter or use fewer particles${format === 'mp4' || format === 'webm' ? '' : ', or choose MP4 or WebM, which make much smaller files'}.`,
        });
      }
      await fs.rm(tryPath, { force: true });
      settings = smaller;
    }
  } finally {
    await fs.rm(folder, { recursive: true, force: true });
  }
}
