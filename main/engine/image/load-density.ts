import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { FlowGifError } from '../../../shared/errors.js';
import { noopJobContext, type JobContext } from '../../../shared/job.js';
import { defaultDensityOptions, type DensityOptions, type ImageDensity } from './density.js';
import { createDensity } from './create-density.js';
import { MAX_IMAGE_FILE_BYTES, readRegularFile } from '../project/read-regular-file.js';

/**
 * 16 384² pixels. libvips streams and shrinks on load, so memory is not what limits us; beyond
 * this a picture is almost certainly a mistake (or a decompression bomb) and decoding it would
 * take minutes for a grid of at most a few hundred pixels.
 */
export const MAX_INPUT_PIXELS = 16384 * 16384;

export const MIN_MAX_SIDE = 8;
/** The grid is held in JS as Float64 probabilities and RGBA; 4096² keeps that under ~200 MB. */
export const MAX_MAX_SIDE = 4096;

const NO_MASS_HINT = 'Dark pixels carry the mass: try --invert for a light shape on a dark background, or a lower --threshold.';

/** Reads a picture file and turns it into the density the flow learns. */
export async function loadDensity(
  path: string,
  options: Partial<DensityOptions> = {},
  ctx: JobContext = noopJobContext,
): Promise<ImageDensity> {
  // Validate first: a bad option should not wait for a large file to be read.
  const resolved = resolveDensityOptions(options);
  ctx.signal.throwIfAborted();
  ctx.progress({ stage: 'load', done: 0, total: 3, message: 'Reading image' });
  const bytes = await readImageFile(path, ctx);
  return densityFromInput(bytes, path, resolved, ctx);
}

/** Same as loadDensity for bytes already in memory (drag and drop, IPC); `name` is for messages. */
export async function densityFromBytes(
  bytes: Uint8Array,
  name: string,
  options: Partial<DensityOptions> = {},
  ctx: JobContext = noopJobContext,
): Promise<ImageDensity> {
  return densityFromInput(bytes, name, resolveDensityOptions(options), ctx);
}

export function resolveDensityOptions(options: Partial<DensityOptions>): DensityOptions {
  const resolved: DensityOptions = {
    invert: options.invert ?? defaultDensityOptions.invert,
    threshold: options.threshold ?? defaultDensityOptions.threshold,
    maxSide: options.maxSide ?? defaultDensityOptions.maxSide,
  };
  if (typeof resolved.invert !== 'boolean') {
    throw new FlowGifError('INVALID_ARGUMENT', `invert must be true or false, not ${String(resolved.invert)}.`);
  }
  if (!Number.isFinite(resolved.threshold) || resolved.threshold < 0 || resolved.threshold > 254) {
    throw new FlowGifError('INVALID_ARGUMENT', `threshold must be between 0 and 254, not ${String(resolved.threshold)}.`, {
      hint: 'Weights run from 0 (white) to 255 (black); a threshold of 254 keeps only pure black.',
    });
  }
  if (!Number.isInteger(resolved.maxSide) || resolved.maxSide < MIN_MAX_SIDE || resolved.maxSide > MAX_MAX_SIDE) {
    throw new FlowGifError(
      'INVALID_ARGUMENT',
      `maxSide must be a whole number of pixels from ${MIN_MAX_SIDE} to ${MAX_MAX_SIDE}, not ${String(resolved.maxSide)}.`,
    );
  }
  return resolved;
}

async function readImageFile(path: string, ctx: JobContext): Promise<Uint8Array> {
  // Compressed bytes only: even a 10 000 × 10 000 PNG is small; pixels are never decoded here.
  return readRegularFile(path, {
    what: 'an image file',
    maxBytes: MAX_IMAGE_FILE_BYTES,
    codes: { notFound: 'IMAGE_NOT_FOUND', notRegular: 'IMAGE_UNSUPPORTED', tooLarge: 'IMAGE_TOO_LARGE' },
    hint: 'Pass a PNG, JPEG or WebP file.',
    signal: ctx.signal as AbortSignal,
  });
}

async function densityFromInput(
  bytes: Uint8Array,
  name: string,
  options: DensityOptions,
  ctx: JobContext,
): Promise<ImageDensity> {
  if (bytes.length === 0) {
    throw new FlowGifError('IMAGE_EMPTY', `${name} is empty (0 bytes).`, {
      file: name,
      hint: 'The file may not have finished copying or downloading.',
    });
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');

  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw decodeError(error, name);
  }
  const originalWidth = metadata.autoOrient?.width ?? metadata.width;
  const originalHeight = metadata.autoOrient?.height ?? metadata.height;
  if (!(originalWidth > 0 && originalHeight > 0)) {
    throw new FlowGifError('IMAGE_CORRUPT', `${name} has no readable size.`, { file: name });
  }
  if (originalWidth * originalHeight > MAX_INPUT_PIXELS) {
    throw tooLarge(name, originalWidth, originalHeight);
  }
  ctx.signal.throwIfAborted();
  ctx.progress({ stage: 'load', done: 1, total: 3, message: 'Decoding image' });

  const scale = Math.min(1, options.maxSide / Math.max(originalWidth, originalHeight));
  const width = Math.max(1, Math.round(originalWidth * scale));
  const height = Math.max(1, Math.round(originalHeight * scale));

  let rgb: Buffer;
  try {
    // failOn 'warning' (sharp's advice for untrusted input): a scrambled JPEG only warns
    // "bad Huffman code" and would otherwise decode to glitches that become the density.
    let pipeline = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'warning', autoOrient: true });
    if (width !== originalWidth || height !== originalHeight) {
      // Sharp shrinks on load (JPEG, WebP) and streams PNG rows, so full-size RGBA never exists.
      // A triangle filter has no negative lobes: no ringing halos of mass around sharp edges.
      pipeline = pipeline.resize(width, height, { fit: 'fill', kernel: 'linear' });
    }
    const result = await pipeline
      .flatten({ background: { r: 255, g: 255, b: 255 } })
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (result.info.width !== width || result.info.height !== height || result.info.channels !== 3) {
      throw new Error(`unexpected decode ${result.info.width}×${result.info.height}×${result.info.channels}`);
    }
    rgb = result.data;
  } catch (error) {
    throw decodeError(error, name);
  }
  ctx.signal.throwIfAborted();
  ctx.progress({ stage: 'load', done: 2, total: 3, message: 'Building density' });

  const { probabilities, colours, rawMass, keptMass } = weigh(rgb, width * height, options);
  if (keptMass === 0) {
    const why =
      rawMass > 0
        ? `threshold ${options.threshold} removes every pixel of ${name}`
        : options.invert
          ? `${name} has no bright pixels (it is entirely black)`
          : `${name} has no dark pixels (it is entirely white or transparent)`;
    throw new FlowGifError('IMAGE_NO_MASS', `Nothing to draw: ${why}.`, { file: name, hint: NO_MASS_HINT });
  }

  ctx.progress({ stage: 'load', done: 3, total: 3 });
  return createDensity({
    source: { path: name, sha256, format: metadata.format },
    options,
    originalWidth,
    originalHeight,
    width,
    height,
    probabilities,
    colours,
  });
}

/**
 * Weights in thousandths of a grey level, as exact integers: in floating point
 * 0.299·255 + 0.587·255 + 0.114·255 is not exactly 255, and white would keep a sliver of mass.
 */
function weigh(
  rgb: Buffer,
  pixels: number,
  options: DensityOptions,
): { probabilities: Float64Array; colours: Uint8ClampedArray; rawMass: number; keptMass: number } {
  const probabilities = new Float64Array(pixels);
  const colours = new Uint8ClampedArray(4 * pixels);
  const cut = Math.round(options.threshold * 1000);
  let rawMass = 0;
  let keptMass = 0;
  for (let i = 0, j = 0, k = 0; i < pixels; i++, j += 3, k += 4) {
    const r = rgb[j]!;
    const g = rgb[j + 1]!;
    const b = rgb[j + 2]!;
    const luma = 299 * r + 587 * g + 114 * b;
    const weight = options.invert ? luma : 255000 - luma;
    rawMass += weight;
    if (weight > cut) {
      probabilities[i] = weight;
      keptMass += weight;
    }
    colours[k] = r;
    colours[k + 1] = g;
    colours[k + 2] = b;
    // Already composited over white, so opaque; RGBA so the grid drops straight into ImageData.
    colours[k + 3] = 255;
  }
  if (keptMass > 0) {
    for (let i = 0; i < pixels; i++) probabilities[i]! /= keptMass;
  }
  return { probabilities, colours, rawMass, keptMass };
}

function tooLarge(name: string, width: number, height: number): FlowGifError {
  return new FlowGifError(
    'IMAGE_TOO_LARGE',
    `${name} is ${width} × ${height} pixels; the limit is ${MAX_INPUT_PIXELS.toLocaleString('en-US')} pixels (16 384 × 16 384).`,
    { file: name, hint: 'Scale the picture down first; FlowGIF works on at most a few hundred pixels per side anyway.' },
  );
}

/** Sharp's messages are libvips internals; users need to know which of three things went wrong. */
function decodeError(error: unknown, name: string): FlowGifError {
  const message = error instanceof Error ? error.message : String(error);
  if (/unsupported image format/i.test(message)) {
    return new FlowGifError('IMAGE_UNSUPPORTED', `${name} is not an image FlowGIF can read.`, {
      file: name,
      hint: 'Use a PNG, JPEG, WebP, GIF, AVIF, TIFF or SVG file.',
      cause: error,
    });
  }
  if (/pixel limit/i.test(message)) {
    return new FlowGifError('IMAGE_TOO_LARGE', `${name} exceeds the limit of ${MAX_INPUT_PIXELS.toLocaleString('en-US')} pixels.`, {
      file: name,
      cause: error,
    });
  }
  return new FlowGifError('IMAGE_CORRUPT', `${name} is damaged or incomplete and cannot be decoded.`, {
    file: name,
    hint: 'Open and re-save it in an image editor, or export it again.',
    cause: error,
  });
}
