import { FlowGifError } from '../errors.js';
import { isColourMapName, type ColourMapName } from './colour-maps.js';
import { isRgba, type Rgba } from './colour.js';
import type { BackgroundSetting } from './picture-background.js';
import { outputDensityFor } from './output-density.js';
import { particleColourModes, type ParticleColourMode } from './particle-colours.js';
import { blendModes, rasterModes, type BlendMode, type RasterMode } from './raster-options.js';
import { MAX_POINT_SIZE } from './splat-kernel.js';
import { resolveTimeline, type Timeline } from '../timeline.js';
import { canvasProblem, exactCanvasLongSide } from './canvas.js';
import { definedFields } from '../defined-fields.js';
import type { Canvas } from './view.js';

/**
 * Everything an export (or a preview) needs beyond the flow itself: plain data, shared by the
 * CLI flags, the export dialog and the IPC contract, so each host fills the same form.
 */
export interface RenderSettings {
  /** Long side of the output in pixels; an exact canvas sets it to its own long side. */
  readonly size: number;
  /** The output's shape; the picture is fitted inside, the background fills the rest. */
  readonly canvas: Canvas;
  readonly particles: number;
  readonly seed: number;
  readonly colour: ParticleColourMode;
  /** For colour 'solid'. */
  readonly solidColour: Rgba;
  readonly mode: RasterMode;
  /** 'auto': the picture's own background, as its density found it (see picture-background.ts). */
  readonly background: BackgroundSetting;
  readonly pointSize: number;
  readonly blend: BlendMode;
  readonly opacity: number;
  readonly colourMap: ColourMapName;
  readonly densitySmoothing: number;
  /** Density mode: the particles' own colours shaded by density ('colour'), or the colour map alone ('map'). */
  readonly densityLook: DensityLook;
  readonly timeline: Timeline;
  /**
   * Turns the noise spins as it condenses (counter-clockwise for positive), fading out as the
   * picture forms; every frame keeps the density of the flow without it (main/engine/flow/swirl.ts).
   */
  readonly swirl: number;
  /** 1–100, the encoders' quality. */
  readonly quality: number;
}

export const densityLooks = ['colour', 'map'] as const;
export type DensityLook = (typeof densityLooks)[number];

/**
 * Particles in the picture's own ink on the picture's own background: the last frame looks
 * like the picture, the first like a cloud of its ink.
 */
export const defaultRenderSettings: RenderSettings = Object.freeze({
  size: 512,
  canvas: 'picture',
  particles: 60_000,
  seed: 0,
  colour: 'ink',
  solidColour: Object.freeze([20, 20, 30, 255]) as Rgba,
  mode: 'points',
  background: 'auto',
  pointSize: 1.6,
  blend: 'alpha',
  opacity: 0.85,
  colourMap: 'ink',
  densitySmoothing: 1.5,
  densityLook: 'colour',
  timeline: resolveTimeline(),
  swirl: 0,
  quality: 90,
});

export const renderLimits = Object.freeze({ minSize: 16, maxSize: 4096, maxParticles: 2_000_000, maxSeed: 2 ** 32 - 1 });

/**
 * The numeric style fields' inclusive ranges: resolveRenderSettings checks them and the CLI's
 * flags take them, so a value one host accepts the other does too.
 */
export const styleRanges = Object.freeze({
  // Below a tenth of a pixel a dot draws nothing visible; the splat kernel stops at its own maximum.
  pointSize: Object.freeze({ min: 0.1, max: MAX_POINT_SIZE }),
  opacity: Object.freeze({ min: 0, max: 1 }),
  densitySmoothing: Object.freeze({ min: 0, max: 64 }),
  quality: Object.freeze({ min: 1, max: 100 }),
  // Beyond three turns the spin is a blur of streaks and costs many more solver levels.
  swirl: Object.freeze({ min: -3, max: 3 }),
});

export type RenderSettingsInput = Partial<Omit<RenderSettings, 'timeline'>> & { readonly timeline?: Partial<Timeline> };

/**
 * Defaults overlaid with the given fields, validated with messages naming the field. Particles
 * and point size left out follow the size (outputDensityFor), so a large output looks as solid
 * as 512 px, and a point size left out also follows the particles given; given ones win.
 */
export function resolveRenderSettings(input: RenderSettingsInput = {}): RenderSettings {
  const defined = definedFields(input);
  // An exact canvas is the output's own size: its long side is the size everything else follows.
  const exact = exactCanvasLongSide(defined.canvas);
  const size = exact ?? defined.size ?? defaultRenderSettings.size;
  const automatic = Number.isFinite(size) ? outputDensityFor(size, defined.particles) : {};
  const settings: RenderSettings = { ...defaultRenderSettings, ...automatic, ...defined, ...(exact === undefined ? {} : { size }), timeline: resolveTimeline(input.timeline) };
  const problems: string[] = [];
  const whole = (x: number, min: number, max: number): boolean => Number.isInteger(x) && x >= min && x <= max;
  if (!whole(settings.size, renderLimits.minSize, renderLimits.maxSize)) {
    problems.push(`size must be a whole number of pixels from ${renderLimits.minSize} to ${renderLimits.maxSize} (got ${settings.size}).`);
  }
  const canvas = canvasProblem(settings.canvas, renderLimits.minSize, renderLimits.maxSize);
  if (canvas !== undefined) problems.push(canvas);
  if (!whole(settings.particles, 1, renderLimits.maxParticles)) {
    problems.push(`particles must be a whole number from 1 to ${renderLimits.maxParticles} (got ${settings.particles}).`);
  }
  if (!whole(settings.seed, 0, renderLimits.maxSeed)) problems.push(`seed must be a whole number from 0 to ${renderLimits.maxSeed} (got ${settings.seed}).`);
  if (!particleColourModes.includes(settings.colour)) problems.push(`colour must be one of ${particleColourModes.join(', ')} (got ${String(settings.colour)}).`);
  if (!isRgba(settings.solidColour)) problems.push('solidColour must be [r, g, b, a] with channels 0..255.');
  if (settings.background !== 'auto' && !isRgba(settings.background)) problems.push("background must be 'auto' or [r, g, b, a] with channels 0..255.");
  if (!rasterModes.includes(settings.mode)) problems.push(`mode must be one of ${rasterModes.join(', ')} (got ${String(settings.mode)}).`);
  if (!densityLooks.includes(settings.densityLook)) problems.push(`densityLook must be one of ${densityLooks.join(', ')} (got ${String(settings.densityLook)}).`);
  if (!isColourMapName(settings.colourMap)) problems.push(`colourMap ${String(settings.colourMap)} is not a known colour map.`);
  if (!blendModes.includes(settings.blend)) problems.push(`blend must be one of ${blendModes.join(', ')} (got ${String(settings.blend)}).`);
  for (const field of ['pointSize', 'opacity', 'densitySmoothing', 'quality', 'swirl'] as const) {
    const { min, max } = styleRanges[field];
    if (!(settings[field] >= min && settings[field] <= max)) problems.push(`${field} must be from ${min} to ${max} (got ${settings[field]}).`);
  }
  if (problems.length > 0) throw new FlowGifError('INVALID_ARGUMENT', `Invalid render settings: ${problems.join(' ')}`);
  return settings;
}
