import { FlowGifError } from '../errors.js';
import { isColourMapName, type ColourMapName } from './colour-maps.js';
import { isRgba, type Rgba } from './colour.js';
import { MAX_POINT_SIZE } from './splat-kernel.js';
import type { View } from './view.js';

/** additive: light adds up (a glow); alpha: each particle painted over the ones before. */
export const blendModes = Object.freeze(['alpha', 'additive'] as const);
export type BlendMode = (typeof blendModes)[number];
export const rasterModes = Object.freeze(['points', 'density'] as const);
export type RasterMode = (typeof rasterModes)[number];

/** Plain data (it may cross IPC): how one frame of particles becomes pixels. */
export interface RasterOptions {
  readonly width: number;
  readonly height: number;
  readonly view: View;
  /** Straight RGBA 0..255; may be transparent. */
  readonly background: Rgba;
  /** Disc diameter in output pixels; fractional sizes are exact (coverage-weighted). */
  readonly pointSize: number;
  /** additive: light adds up (glow); alpha: each particle painted over the ones before. */
  readonly blend: BlendMode;
  /** Per-particle opacity 0..1, multiplied by each colour's own alpha. */
  readonly opacity: number;
  readonly mode: RasterMode;
  readonly colourMap: ColourMapName;
  /** Density mode: std of the Gaussian smoothing the histogram, in output pixels (0 = none). */
  readonly densitySmoothing: number;
  /**
   * Without per-particle colours: points mode's colour (default white on dark backgrounds, black
   * on light); density mode's tint (without it, density mode draws the colour map alone).
   */
  readonly colour?: Rgba;
  /** Density mode: exponent applied to the normalised density; < 1 lifts faint regions (default 0.5). */
  readonly densityGamma?: number;
  /** Density mode: the quantile of non-empty pixels that maps to the top of the colour map (default 0.99). */
  readonly densityPercentile?: number;
  /**
   * Density mode: a fixed density (particles per pixel after smoothing) for the top of the map,
   * instead of a per-frame percentile. An exporter sets it from one frame (see
   * RasterWorkspace.lastDensityReference) so brightness does not pump between frames.
   */
  readonly densityReference?: number;
}

/** Everything but size and view: a sensible look for previews. */
export const defaultRasterStyle = Object.freeze({
  background: Object.freeze([0, 0, 0, 255]) as Rgba,
  pointSize: 1.5,
  blend: 'additive',
  opacity: 0.6,
  mode: 'points',
  colourMap: 'magma',
  densitySmoothing: 1.5,
} satisfies Omit<RasterOptions, 'width' | 'height' | 'view'>);

export const MAX_RASTER_SIDE = 16384;

export function validateRasterOptions(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return ['Raster options must be an object.'];
  const o = value as Record<string, unknown>;
  const problems: string[] = [];
  const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  for (const side of ['width', 'height'] as const) {
    const x = o[side];
    if (!finite(x) || !Number.isInteger(x) || x < 1 || x > MAX_RASTER_SIDE) problems.push(`${side} must be a whole number of pixels from 1 to ${MAX_RASTER_SIDE}.`);
  }
  const view = o['view'] as Record<string, unknown> | undefined;
  if (typeof view !== 'object' || view === null || !finite(view['centreX']) || !finite(view['centreY']) || !finite(view['halfExtent']) || view['halfExtent'] <= 0) {
    problems.push('view needs finite centreX, centreY and a positive halfExtent.');
  }
  if (!isRgba(o['background'])) problems.push('background must be [r, g, b, a] with channels 0..255.');
  if (o['colour'] !== undefined && !isRgba(o['colour'])) problems.push('colour must be [r, g, b, a] with channels 0..255.');
  if (!finite(o['pointSize']) || o['pointSize'] <= 0 || o['pointSize'] > MAX_POINT_SIZE) problems.push(`pointSize must be above 0 and at most ${MAX_POINT_SIZE} px.`);
  if (o['blend'] !== 'additive' && o['blend'] !== 'alpha') problems.push("blend must be 'additive' or 'alpha'.");
  if (!finite(o['opacity']) || o['opacity'] < 0 || o['opacity'] > 1) problems.push('opacity must be from 0 to 1.');
  if (o['mode'] !== 'points' && o['mode'] !== 'density') problems.push("mode must be 'points' or 'density'.");
  if (!isColourMapName(o['colourMap'])) problems.push(`colourMap ${String(o['colourMap'])} is not a known colour map.`);
  if (!finite(o['densitySmoothing']) || o['densitySmoothing'] < 0 || o['densitySmoothing'] > 64) problems.push('densitySmoothing must be from 0 to 64 px.');
  if (o['densityGamma'] !== undefined && (!finite(o['densityGamma']) || o['densityGamma'] <= 0 || o['densityGamma'] > 10)) problems.push('densityGamma must be above 0 and at most 10.');
  if (o['densityPercentile'] !== undefined && (!finite(o['densityPercentile']) || o['densityPercentile'] <= 0 || o['densityPercentile'] > 1)) problems.push('densityPercentile must be above 0 and at most 1.');
  if (o['densityReference'] !== undefined && (!finite(o['densityReference']) || o['densityReference'] <= 0)) problems.push('densityReference must be a positive number.');
  return problems;
}

export function assertRasterOptions(value: unknown): asserts value is RasterOptions {
  const problems = validateRasterOptions(value);
  if (problems.length > 0) throw new FlowGifError('INVALID_ARGUMENT', `Invalid render options: ${problems.join(' ')}`);
}
