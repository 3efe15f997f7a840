import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { FlowGifError } from '../../../shared/errors.js';
import { noopJobContext, type JobContext } from '../../../shared/job.js';
import { defaultDensityOptions, type DensityOptions, type ImageDensity } from './density.js';
import { createDensity } from './create-density.js';
import { weighPixels } from './mass.js';
import { densityMasses, isDensityMass } from '../../../shared/density-mass.js';
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

/** What callers may pass: `invert: true` is the older spelling of `mass: 'light'`. */
export type DensityOptionsInput = Partial<DensityOptions> & { readonly invert?: boolean };

/** Reads a picture file and turns it into the density the flow learns. */
export async function loadDensity(
  path: string,
  options: DensityOptionsInput = {},
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
  options: DensityOptionsInput = {},
  ctx: JobContext = noopJobContext,
): Promise<ImageDensity> {
  return densityFromInput(bytes, name, resolveDensityOptions(options), ctx);
}

export function resolveDensityOptions(options: DensityOptionsInput): DensityOptions {
  if (options.invert !== undefined && typeof options.invert !== 'boolean') {
    throw new FlowGifError('INVALID_ARGUMENT', `invert must be true or false, not ${String(options.invert)}.`);
  }
  if (options.mass !== undefined && !isDensityMass(options.mass)) {
    throw new FlowGifError('INVALID_ARGUMENT', `mass must be one of ${densityMasses.join(', ')}, not ${String(options.mass)}.`);
  }
  if (options.invert === true && options.mass !== undefined && options.mass !== 'light') {
    throw new FlowGifError('INVALID_ARGUMENT', `invert means mass 'light'; it cannot go with mass '${options.mass}'.`);
  }
  const resolved: DensityOptions = {
    mass: options.mass ?? (options.invert === true ? 'light' : defaultDensityOptions.mass),
    threshold: options.threshold ?? defaultDensityOptions.threshold,
    maxSide: options.maxSide ?? defaultDensityOptions.maxSide,
  };
  if (!Number.isFinite(resolved.threshold) || resolved.threshold < 0 || resolved.threshold > 254) {
    throw new FlowGifError('INVALID_ARGUMENT', `threshold must be between 0 and 254, not ${String(resolved.threshold)}.`, {
      hint: 'Weights run from 0 (the background) to 255 (as far from it as a colour gets); a threshold of 254 keeps only the farthest.',
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

  let rgba: Buffer;
  try {
    // failOn 'warning' (sharp's advice for untrusted input): a scrambled JPEG only warns
    // "bad Huffman code" and would otherwise decode to glitches that become the density.
    let pipeline = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'warning', autoOrient: true });
    if (width !== originalWidth || height !== originalHeight) {
      // Sharp shrinks on load (JPEG, WebP) and streams PNG rows, so full-size RGBA never exists.
      // A triangle filter has no negative lobes: no ringing halos of mass around sharp edges.
      pipeline = pipeline.resize(width, height, { fit: 'fill', kernel: 'linear' });
    }
    // Alpha kept, not flattened over white: transparency is the background of a logo, and the
    // RGB before compositing is its ink.
    const result = await pipeline.toColourspace('srgb').ensureAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (result.info.width !== width || result.info.height !== height || result.info.channels !== 4) {
      throw new Error(`unexpected decode ${result.info.width}×${result.info.height}×${result.info.channels}`);
    }
    rgba = result.data;
  } catch (error) {
    throw decodeError(error, name);
  }
  ctx.signal.throwIfAborted();
  ctx.progress({ stage: 'load', done: 2, total: 3, message: 'Building density' });

  const { probabilities, colours, rawMass, keptMass, detected, background } = weighPixels(rgba, width, height, options);
  if (keptMass === 0) {
    const why =
      rawMass > 0
        ? `threshold ${options.threshold} removes every pixel of ${name}`
        : options.mass === 'light'
          ? `${name} has no bright pixels (it is entirely black or transparent)`
          : options.mass === 'dark' || (detected.kind === 'opaque' && !detected.clear)
            ? `${name} has no dark pixels (it is entirely white or transparent)`
            : detected.kind === 'transparent'
              ? `${name} is entirely transparent`
              : `${name} is all one colour, its background`;
    // No hint: what to change is a flag on the command line and a control in the app, so each interface words it.
    throw new FlowGifError('IMAGE_NO_MASS', `Nothing to draw: ${why}.`, { file: name });
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
    background,
  });
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
