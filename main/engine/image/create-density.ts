import type { DensityOptions, ImageDensity, ImageSource } from './density.js';
import { createMapping } from './mapping.js';
import { meanInk } from './mass.js';
import type { PictureBackground } from '../../../shared/render/picture-background.js';

/** Files and shapes that predate background detection were all measured on white. */
const WHITE_PAPER: PictureBackground = Object.freeze({ rgba: Object.freeze([255, 255, 255, 255]), transparent: false }) as PictureBackground;

export interface DensityFields {
  readonly source: ImageSource;
  readonly options: DensityOptions;
  readonly originalWidth: number;
  readonly originalHeight: number;
  /** Working grid size; probabilities and colours are laid out on it. */
  readonly width: number;
  readonly height: number;
  readonly probabilities: Float64Array;
  readonly colours: Uint8ClampedArray;
  /** Default: opaque white. */
  readonly background?: PictureBackground;
}

/**
 * The one place an ImageDensity is assembled, so the mapping and the mixture's component std
 * (half a working pixel, FFJORD's convention) are derived the same way for decoded images,
 * stored models and synthetic test shapes.
 */
export function createDensity(fields: DensityFields): ImageDensity {
  const mapping = createMapping(fields.originalWidth, fields.originalHeight, fields.width, fields.height);
  return {
    source: fields.source,
    options: fields.options,
    mapping,
    width: fields.width,
    height: fields.height,
    probabilities: fields.probabilities,
    colours: fields.colours,
    background: fields.background ?? WHITE_PAPER,
    inkColour: [...meanInk(fields.colours, fields.probabilities).map(Math.round), 255] as unknown as ImageDensity['inkColour'],
    jitterStd: mapping.modelPerPixel / 2,
  };
}
