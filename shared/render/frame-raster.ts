import type { Rgba } from './colour.js';
import { particleColours, particleColoursAt, type ParticleColourMode } from './particle-colours.js';
import { coverageMatchedPointSize } from './output-density.js';
import { backdropOf, outputBackground, standOutColour, type PictureBackground } from './picture-background.js';
import type { RasterOptions } from './raster-options.js';
import type { RasterWorkspace } from './raster-workspace.js';
import { rasterise } from './rasterise.js';
import type { RenderSettings } from './render-settings.js';
import { MAX_POINT_SIZE } from './splat-kernel.js';
import type { View } from './view.js';

/**
 * From render settings to the rasteriser's options, for the export's frames and the preview's
 * alike: one rule, so the two draw the same picture.
 */

export interface FrameGeometry {
  readonly width: number;
  readonly height: number;
  readonly view: View;
}

/** Whether frames are drawn with each particle's own colour (else one colour, or the colour map). */
export function drawsParticleColours(settings: RenderSettings): boolean {
  if (settings.colour === 'solid') return false;
  return settings.mode === 'points' || settings.densityLook === 'colour';
}

/**
 * What frames of `settings` are drawn on (an 'auto' background is the picture's own), and the
 * colour their particles must stand out from (picture-background.ts backdropOf).
 */
export function frameBackground(settings: RenderSettings, picture: PictureBackground | undefined): { background: Rgba; backdrop: Rgba } {
  const background = outputBackground(settings.background, picture);
  return { background, backdrop: backdropOf(background, picture) };
}

/**
 * What each frame's particle colours are made from: every particle's own colour and the rule
 * (particleColoursAt) that blends them in over the flow. Plain data, so a frame drawn in a worker
 * thread gets the colours the main thread would.
 */
export interface ParticleColourPlan {
  readonly own: Uint8ClampedArray;
  readonly mode: ParticleColourMode;
  /** The colour 'ink' particles start from, or undefined for the mean of their own. */
  readonly cloud: Rgba | undefined;
}

/**
 * The plan behind frameColours, or undefined when frames draw one colour or the colour map.
 * Every colour stands out from what it is drawn on, so no particle vanishes into the paper;
 * 'ink' starts from the picture's mean ink. `imageColours` (where each particle lands) is asked
 * for only when the mode uses it.
 */
export function particleColourPlan(
  settings: RenderSettings,
  picture: { readonly background: PictureBackground; readonly inkColour: Rgba } | undefined,
  particles: number,
  sources: { readonly start: Float32Array; readonly imageColours: () => Uint8Array | Uint8ClampedArray },
): ParticleColourPlan | undefined {
  if (!drawsParticleColours(settings)) return undefined;
  const { backdrop } = frameBackground(settings, picture?.background);
  const own = particleColours(settings.colour, particles, {
    start: sources.start,
    ...(settings.colour === 'image' || settings.colour === 'ink' ? { imageColours: sources.imageColours() } : {}),
    solid: settings.solidColour,
    backdrop,
  });
  return { own, mode: settings.colour, cloud: picture === undefined ? undefined : standOutColour(picture.inkColour, backdrop) };
}

/** Each frame's particle colours at flow time t, from a plan (see particleColourPlan). */
export function coloursOfPlan(plan: ParticleColourPlan): (t: number) => Uint8ClampedArray {
  const at = particleColoursAt(plan.mode, plan.cloud);
  return (t) => at(plan.own, t);
}

/** Each frame's particle colours at flow time t, or undefined when frames draw one colour or the colour map. */
export function frameColours(
  settings: RenderSettings,
  picture: { readonly background: PictureBackground; readonly inkColour: Rgba } | undefined,
  particles: number,
  sources: { readonly start: Float32Array; readonly imageColours: () => Uint8Array | Uint8ClampedArray },
): ((t: number) => Uint8ClampedArray) | undefined {
  const plan = particleColourPlan(settings, picture, particles, sources);
  return plan === undefined ? undefined : coloursOfPlan(plan);
}

/** The options for frames of `settings` at the export's own size, of a picture on `picture`. */
export function rasterOptionsFor(settings: RenderSettings, geometry: FrameGeometry, picture?: PictureBackground): RasterOptions {
  const mapLook = settings.mode === 'density' && settings.densityLook === 'map';
  const { background, backdrop } = frameBackground(settings, picture);
  return {
    ...geometry,
    background,
    pointSize: settings.pointSize,
    blend: settings.blend,
    opacity: settings.opacity,
    mode: settings.mode,
    colourMap: settings.colourMap,
    densitySmoothing: settings.densitySmoothing,
    ...(settings.colour === 'solid' && !mapLook ? { colour: standOutColour(settings.solidColour, backdrop) } : {}),
  };
}

/**
 * The options for a preview of `settings` drawn `particles` at a long side of `longSide` px:
 * dots sized for the export's coverage (fewer particles on a smaller canvas get larger dots,
 * within the kernel's range), smoothing in proportion to the size.
 */
export function previewRasterOptionsFor(
  settings: RenderSettings,
  geometry: FrameGeometry,
  longSide: number,
  particles: number,
  picture?: PictureBackground,
): RasterOptions {
  const base = rasterOptionsFor(settings, geometry, picture);
  const pointSize = Math.min(MAX_POINT_SIZE, Math.max(0.6, coverageMatchedPointSize(settings, longSide, particles)));
  return { ...base, pointSize, densitySmoothing: (settings.densitySmoothing * longSide) / settings.size };
}

/**
 * Density mode normalises every frame by the picture's own density, the t = 1 frame's, so
 * brightness follows the particles and does not pump from frame to frame as a per-frame
 * percentile would. `positionsAtEnd` are all particles at t = 1; other modes pass through.
 */
export function withEndDensityReference(
  options: RasterOptions,
  positionsAtEnd: Float32Array | Float64Array,
  workspace: RasterWorkspace,
): RasterOptions {
  if (options.mode !== 'density') return options;
  const { densityReference: _, ...perFrame } = options;
  rasterise(positionsAtEnd, undefined, perFrame, undefined, workspace);
  const reference = workspace.lastDensityReference;
  return reference !== undefined && reference > 0 ? { ...perFrame, densityReference: reference } : perFrame;
}

/**
 * The options for drawing `drawn` of the `total` particles (the preview thins them while it
 * plays): the density reference thins with them, so a frame keeps its brightness.
 */
export function forDrawnShare(options: RasterOptions, drawn: number, total: number): RasterOptions {
  if (options.densityReference === undefined || drawn >= total || total <= 0) return options;
  return { ...options, densityReference: (options.densityReference * Math.max(1, drawn)) / total };
}
