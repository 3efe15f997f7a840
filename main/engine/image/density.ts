import type { DensityMass } from '../../../shared/density-mass.js';
import type { Rgba } from '../../../shared/render/colour.js';
import type { PictureBackground } from '../../../shared/render/picture-background.js';

/**
 * The picture as a probability density in model space. Produced by load-density.ts; consumed
 * by samplers, the exact flow, trainers and the quality metric.
 *
 * Model space: the longer side of the picture spans [-4, 4], y up, aspect kept.
 * The density is a mixture of isotropic Gaussians, one per working pixel with mass, centred
 * on the pixel centre with std `jitterStd` (half a working pixel, FFJORD's convention), so
 * the data sampler and the exact flow describe the very same distribution.
 */
export interface DensityOptions {
  /** What carries mass: 'auto' measures it from the picture's own background. */
  readonly mass: DensityMass;
  /** Weights (0..255 scale) at or below this become 0; removes paper noise. */
  readonly threshold: number;
  /** Longest side of the working grid in pixels; larger images are downscaled. */
  readonly maxSide: number;
}

export const defaultDensityOptions: DensityOptions = { mass: 'auto', threshold: 0, maxSide: 512 };

/** Everything needed to go between model space and the original image's pixels. */
export interface ImageMapping {
  readonly originalWidth: number;
  readonly originalHeight: number;
  readonly workingWidth: number;
  readonly workingHeight: number;
  /** Model units per working pixel: 8 / max(workingWidth, workingHeight). */
  readonly modelPerPixel: number;
}

export interface ImageSource {
  readonly path: string;
  /** sha256 of the file's bytes, hex. */
  readonly sha256: string;
  readonly format: string;
}

export interface ImageDensity {
  readonly source: ImageSource;
  readonly options: DensityOptions;
  readonly mapping: ImageMapping;
  /** Working grid, row-major from the top-left, workingWidth × workingHeight. */
  readonly width: number;
  readonly height: number;
  /** Probability of each working pixel (sums to 1). */
  readonly probabilities: Float64Array;
  /**
   * Opaque RGBA ink of each working pixel: its colour with coverage undone (the RGB before
   * alpha compositing, or an anti-aliased edge pushed away from the background). Meaningful
   * where the pixel has mass; particles take it through colour-lookup.ts.
   */
  readonly colours: Uint8ClampedArray;
  /** What the picture sits on: the output's background when it is 'auto'. */
  readonly background: PictureBackground;
  /** The mass-weighted mean ink: the one colour of the cloud before the picture forms. */
  readonly inkColour: Rgba;
  /** Std of each mixture component in model units (half a working pixel). */
  readonly jitterStd: number;
}
