import sharp from 'sharp';
import { FlowGifError } from '../../../shared/errors.js';
import { isTextWeight, MAX_TEXT_CHARACTERS, textWeights } from '../../../shared/text-picture.js';
import { resolveFont, type FontChoice } from './fonts.js';
import { MAX_WORKING_SIDE } from './working-side.js';

export interface TextPictureOptions extends FontChoice {
  /**
   * The picture's long side in pixels, margin included. Default the largest working side, so
   * every output size reads crisp letters from it (load-density only ever shrinks a picture).
   */
  readonly longSide?: number;
}

export interface TextPicture {
  /** A PNG: black letters on white, which the density reads as dark ink on its background. */
  readonly bytes: Uint8Array;
  /** For messages and the app's title: "text:Hello". */
  readonly name: string;
  readonly width: number;
  readonly height: number;
}

/** Space around the letters on every side, as a share of the letters' long side: the flow's noise needs room to settle. */
export const TEXT_MARGIN = 0.1;

const NAME_CHARACTERS = 40;

/**
 * Draws text as a picture for the flow: Pango (sharp's text input) with a bundled font, so the
 * same words give the same picture on every OS. Lines break only at the text's own newlines.
 */
export async function textPicture(text: string, options: TextPictureOptions = {}): Promise<TextPicture> {
  const clean = normaliseText(text);
  if (options.weight !== undefined && !isTextWeight(options.weight)) {
    throw new FlowGifError('INVALID_ARGUMENT', `The weight must be ${textWeights.join(' or ')}, not ${String(options.weight)}.`);
  }
  const face = await resolveFont(options);
  const longSide = options.longSide ?? MAX_WORKING_SIDE;
  const inner = Math.round(longSide / (1 + 2 * TEXT_MARGIN));

  let mask: { data: Buffer; info: { width: number; height: number } };
  try {
    // A width and a height make sharp pick the dpi that fits the letters into the box.
    mask = await sharp({
      text: { text: pangoEscape(clean), font: `${face.family} ${face.style}`, fontfile: face.file, width: inner, height: inner, align: 'centre', wrap: 'none' },
    })
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new FlowGifError('INVALID_ARGUMENT', `The text could not be drawn with ${face.file}: ${error instanceof Error ? error.message : String(error)}.`, {
      file: face.file,
      cause: error,
    });
  }
  // Autofit stops at its dpi search's precision; never hand on more pixels than asked for.
  const fit = Math.min(1, inner / Math.max(mask.info.width, mask.info.height));
  const width = Math.max(1, Math.round(mask.info.width * fit));
  const height = Math.max(1, Math.round(mask.info.height * fit));
  const margin = Math.floor(Math.max(width, height) * TEXT_MARGIN);
  // Pango draws white letters on black: turn them into ink on paper (here, not in the pipeline,
  // whose fixed order would negate the margin too).
  for (let i = 0; i < mask.data.length; i++) mask.data[i] = 255 - mask.data[i]!;
  let letters = sharp(mask.data, { raw: { width: mask.info.width, height: mask.info.height, channels: 1 } });
  if (fit < 1) letters = letters.resize(width, height, { fit: 'fill' });
  const { data, info: out } = await letters
    .extend({ top: margin, bottom: margin, left: margin, right: margin, background: { r: 255, g: 255, b: 255 } })
    .png()
    .toBuffer({ resolveWithObject: true });
  return { bytes: data, name: textPictureName(clean), width: out.width, height: out.height };
}

/** Newlines unified, tabs as spaces; empty, blank or over-long text is refused in words the user can act on. */
export function normaliseText(text: string): string {
  if (typeof text !== 'string') throw new FlowGifError('INVALID_ARGUMENT', 'The text must be a string.');
  const clean = text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ');
  if (clean.trim() === '') throw new FlowGifError('INVALID_ARGUMENT', 'The text is empty: there is nothing to draw.', { hint: 'Type at least one letter.' });
  const characters = [...clean].length;
  if (characters > MAX_TEXT_CHARACTERS) {
    throw new FlowGifError('INVALID_ARGUMENT', `The text is ${characters} characters long; the limit is ${MAX_TEXT_CHARACTERS}.`, {
      hint: 'Shorten it: a picture of a few hundred pixels holds a few lines of words.',
    });
  }
  // Other control characters draw as boxes or nothing; say so rather than draw a puzzle.
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(clean)) throw new FlowGifError('INVALID_ARGUMENT', 'The text contains control characters; only letters, spaces and line breaks can be drawn.');
  return clean;
}

export function textPictureName(text: string): string {
  const oneLine = text.trim().replace(/\s+/g, ' ');
  const characters = [...oneLine];
  return `text:${characters.length > NAME_CHARACTERS ? `${characters.slice(0, NAME_CHARACTERS - 1).join('')}…` : oneLine}`;
}

/** sharp reads its text as Pango markup; the user's text is only ever text. */
function pangoEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
