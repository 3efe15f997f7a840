import { exportFormats, formatExtensions, formatLabels, formatsWithAlpha, newFileExtension, type ExportFormat } from '../../../shared/export-formats.js';
import { outputDensityFor } from '../../../shared/render/output-density.js';
import type { ParticleColourMode } from '../../../shared/render/particle-colours.js';
import { namedBackgrounds, type BackgroundSetting } from '../../../shared/render/picture-background.js';
import { defaultRenderSettings, renderLimits, resolveRenderSettings, styleRanges, type DensityLook, type RenderSettings } from '../../../shared/render/render-settings.js';
import { timelineRanges } from '../../../shared/timeline.js';
import type { Easing } from '../../../shared/easing.js';
import type { ColourMapName } from '../../../shared/render/colour-maps.js';
import type { BlendMode, RasterMode } from '../../../shared/render/raster-options.js';
import { parseHexColour, type Rgba } from '../../../shared/render/colour.js';
import type { Canvas } from '../../../shared/render/view.js';
import { joinPath, stripExtension } from './format.js';

/** 'auto': the picture's own background. */
export type BackgroundName = 'auto' | keyof typeof namedBackgrounds;

export const backgrounds: Readonly<Record<BackgroundName, BackgroundSetting>> = { auto: 'auto', ...namedBackgrounds };

export function backgroundName(rgba: BackgroundSetting): BackgroundName {
  if (rgba === 'auto') return 'auto';
  if (rgba[3] < 128) return 'transparent';
  return 0.299 * rgba[0] + 0.587 * rgba[1] + 0.114 * rgba[2] >= 128 ? 'white' : 'black';
}

export type CanvasChoice = 'picture' | 'square' | 'custom';

/** The dialog's fields, as the user typed them (numbers may be NaN while a field is empty). */
export interface ExportForm {
  format: ExportFormat;
  size: number;
  canvas: CanvasChoice;
  /** The custom canvas's pixels, kept while another choice is shown. */
  canvasWidth: number;
  canvasHeight: number;
  fps: number;
  seconds: number;
  particles: number;
  /** Particles and dot size follow the size (outputDensityFor), the dot also the particles typed, until the user types their own. */
  particlesAuto: boolean;
  pointSize: number;
  pointSizeAuto: boolean;
  colour: ParticleColourMode;
  background: BackgroundName;
  quality: number;
  bounce: boolean;
  // Style and timing beyond the basics: the "More style" section (ExportStyleFields.svelte).
  mode: RasterMode;
  densityLook: DensityLook;
  colourMap: ColourMapName;
  densitySmoothing: number;
  blend: BlendMode;
  opacity: number;
  /** '#rrggbb', as the colour picker gives it; shown while colour is 'solid'. */
  solidColour: string;
  easing: Easing;
  seed: number;
  holdStart: number;
  holdEnd: number;
  reverse: boolean;
  /** Turns the noise spins as it condenses (RenderSettings.swirl); 0 is off. */
  swirl: number;
  /** How often a GIF, WebP or APNG plays: forever (loops 0), once (1), or playTimes times. */
  plays: PlayCount;
  playTimes: number;
}

export type PlayCount = 'forever' | 'once' | 'times';

function playsOf(loops: number): PlayCount {
  return loops === 0 ? 'forever' : loops === 1 ? 'once' : 'times';
}

function loopsOf(form: ExportForm): number {
  return form.plays === 'forever' ? 0 : form.plays === 'once' ? 1 : form.playTimes;
}

/** '#rrggbb' of a colour; its alpha is kept apart (a colour picker has none). */
export function rgbHex(rgba: Rgba): string {
  return `#${rgba.slice(0, 3).map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

export function formFromSettings(format: ExportFormat, s: RenderSettings): ExportForm {
  const automatic = outputDensityFor(s.size, s.particles);
  return {
    format,
    // A custom canvas's size is its own; the size list keeps a size of its own to go back to.
    size: typeof s.canvas === 'object' ? defaultRenderSettings.size : s.size,
    canvas: typeof s.canvas === 'object' ? 'custom' : s.canvas,
    canvasWidth: typeof s.canvas === 'object' ? s.canvas.width : 1200,
    canvasHeight: typeof s.canvas === 'object' ? s.canvas.height : 630,
    fps: s.timeline.fps,
    seconds: s.timeline.durationSeconds,
    particles: s.particles,
    particlesAuto: s.particles === automatic.particles,
    pointSize: s.pointSize,
    pointSizeAuto: s.pointSize === automatic.pointSize,
    colour: s.colour,
    background: backgroundName(s.background),
    quality: s.quality,
    bounce: s.timeline.bounce,
    mode: s.mode,
    densityLook: s.densityLook,
    colourMap: s.colourMap,
    densitySmoothing: s.densitySmoothing,
    blend: s.blend,
    opacity: s.opacity,
    solidColour: rgbHex(s.solidColour),
    easing: s.timeline.easing,
    seed: s.seed,
    holdStart: s.timeline.holdStartSeconds,
    holdEnd: s.timeline.holdEndSeconds,
    reverse: s.timeline.reverse,
    swirl: s.swirl,
    plays: playsOf(s.timeline.loops),
    // Once or forever, the count field offers the next choice up.
    playTimes: s.timeline.loops > 1 ? s.timeline.loops : 2,
  };
}

/** What the particle and dot-size fields show: the automatic choice for the size, or the user's. */
export function densityShown(form: ExportForm): { particles: number; pointSize: number } {
  const automatic = outputDensityFor(form.size, form.particlesAuto ? undefined : form.particles);
  return { particles: form.particlesAuto ? automatic.particles : form.particles, pointSize: form.pointSizeAuto ? automatic.pointSize : form.pointSize };
}

export type FieldProblems = Partial<Record<keyof ExportForm | 'form', string>>;

const whole = (x: number, min: number, max: number): boolean => Number.isInteger(x) && x >= min && x <= max;
const within = (x: number, range: { readonly min: number; readonly max: number }): boolean => x >= range.min && x <= range.max;
const figure = (x: number): string => x.toLocaleString('en').replace(/,/g, '\u2009');

/**
 * Every range the form checks, from the shared limits the CLI takes too (styleRanges,
 * renderLimits, timelineRanges): one source, so a value one accepts the other does.
 */
export const formRanges = Object.freeze({
  size: { min: renderLimits.minSize, max: renderLimits.maxSize },
  particles: { min: 1, max: renderLimits.maxParticles },
  seed: { min: 0, max: renderLimits.maxSeed },
  pointSize: styleRanges.pointSize,
  opacity: styleRanges.opacity,
  densitySmoothing: styleRanges.densitySmoothing,
  quality: styleRanges.quality,
  swirl: styleRanges.swirl,
  fps: timelineRanges.fps,
  seconds: timelineRanges.durationSeconds,
  hold: timelineRanges.holdSeconds,
  // "n times" means more than once: once and forever have their own choices.
  playTimes: { min: 2, max: timelineRanges.loops.max },
});

/** Settings for the form, or the problems to show beside each field. */
export function settingsFromForm(form: ExportForm, base: RenderSettings): { settings: RenderSettings } | { problems: FieldProblems } {
  const problems: FieldProblems = {};
  const R = formRanges;
  if (!whole(form.size, R.size.min, R.size.max)) problems.size = `${R.size.min} to ${R.size.max} px.`;
  if (form.canvas === 'custom' && !(whole(form.canvasWidth, R.size.min, R.size.max) && whole(form.canvasHeight, R.size.min, R.size.max))) {
    problems.canvas = `Width and height from ${R.size.min} to ${R.size.max} px.`;
  }
  if (!within(form.fps, R.fps)) problems.fps = `${R.fps.min} to ${R.fps.max} fps.`;
  if (!within(form.seconds, R.seconds)) problems.seconds = `${R.seconds.min} to ${R.seconds.max} s.`;
  if (!form.particlesAuto && !whole(form.particles, R.particles.min, R.particles.max)) problems.particles = `A whole number from ${R.particles.min} to ${figure(R.particles.max)}.`;
  if (!form.pointSizeAuto && !within(form.pointSize, R.pointSize)) problems.pointSize = `${R.pointSize.min} to ${R.pointSize.max} px.`;
  if (!whole(form.quality, R.quality.min, R.quality.max)) problems.quality = `${R.quality.min} to ${R.quality.max}.`;
  if (!formatsWithAlpha.includes(form.format) && form.background === 'transparent') {
    problems.background = `${formatLabels[form.format]} has no transparency; pick the picture's own, white or black.`;
  }
  if (!within(form.opacity, R.opacity)) problems.opacity = `${R.opacity.min} to ${R.opacity.max}.`;
  if (!within(form.densitySmoothing, R.densitySmoothing)) problems.densitySmoothing = `${R.densitySmoothing.min} to ${R.densitySmoothing.max} px.`;
  const solid = parseHexColour(form.solidColour);
  if (form.colour === 'solid' && solid === undefined) problems.solidColour = 'Pick a colour.';
  if (!whole(form.seed, R.seed.min, R.seed.max)) problems.seed = `A whole number from ${R.seed.min} to ${figure(R.seed.max)}.`;
  if (!within(form.swirl, R.swirl)) problems.swirl = `${R.swirl.min} to ${R.swirl.max} turns.`;
  if (!within(form.holdStart, R.hold)) problems.holdStart = `${R.hold.min} to ${R.hold.max} s.`;
  if (!within(form.holdEnd, R.hold)) problems.holdEnd = `${R.hold.min} to ${R.hold.max} s.`;
  if (form.plays === 'times' && !whole(form.playTimes, R.playTimes.min, R.playTimes.max)) problems.playTimes = `A whole number from ${R.playTimes.min} to ${figure(R.playTimes.max)}.`;
  if (Object.keys(problems).length > 0) return { problems };
  try {
    const settings = resolveRenderSettings({
      ...base,
      colour: form.colour,
      size: form.size,
      canvas: canvasOf(form),
      // Left out, they follow the size.
      particles: form.particlesAuto ? undefined : form.particles,
      pointSize: form.pointSizeAuto ? undefined : form.pointSize,
      // A colour the user saved in a project keeps its exact shade while the name is unchanged.
      background: backgroundName(base.background) === form.background ? base.background : backgrounds[form.background],
      quality: form.quality,
      mode: form.mode,
      densityLook: form.densityLook,
      colourMap: form.colourMap,
      densitySmoothing: form.densitySmoothing,
      blend: form.blend,
      opacity: form.opacity,
      // The picker has no alpha: a saved colour keeps its own while its shade is unchanged.
      solidColour: solid === undefined || rgbHex(base.solidColour) === form.solidColour ? base.solidColour : solid,
      seed: form.seed,
      swirl: form.swirl,
      timeline: {
        ...base.timeline,
        fps: form.fps,
        durationSeconds: form.seconds,
        loops: loopsOf(form),
        bounce: form.bounce,
        easing: form.easing,
        holdStartSeconds: form.holdStart,
        holdEndSeconds: form.holdEnd,
        reverse: form.reverse,
      },
    });
    return { settings };
  } catch (error) {
    return { problems: { form: error instanceof Error ? error.message : String(error) } };
  }
}

function canvasOf(form: ExportForm): Canvas {
  return form.canvas === 'custom' ? { width: form.canvasWidth, height: form.canvasHeight } : form.canvas;
}

export function defaultOutputPath(folder: string, imageName: string, format: ExportFormat): string {
  const stem = stripExtension(imageName) || 'flowgif';
  return joinPath(folder, format === 'png' ? `${stem}-frames` : `${stem}${newFileExtension(format)}`);
}

/**
 * What is wrong with the typed output path, in the dialog's words, or undefined. The engine
 * writes only where it is told exactly: a path from the top of a drive, never one relative to
 * somewhere the user cannot see.
 */
export function outputPathProblem(path: string, folder: boolean): string | undefined {
  const typed = path.trim();
  if (typed === '') return folder ? 'Name the folder to write the frames into.' : 'Name the file to write.';
  const whole = typed.startsWith('/') || /^[A-Za-z]:[\\/]/.test(typed) || typed.startsWith('\\\\');
  if (!whole) return `Give the whole path, from / (or a drive letter such as C:\\ on Windows), not ${typed}.`;
  return undefined;
}

/** An ending that only says the format: the frames folder's suffix or any format's extension. */
const formatEnding = new RegExp(`(-frames|${exportFormats.flatMap((format) => formatExtensions[format].map((extension) => `\\${extension}`)).join('|')})$`, 'i');

/** Keep the user's folder and name, change only what the format implies. */
export function withFormat(path: string, format: ExportFormat): string {
  const stem = path.replace(formatEnding, '');
  return format === 'png' ? `${stem}-frames` : `${stem}${newFileExtension(format)}`;
}
