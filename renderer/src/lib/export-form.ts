import { exportFormats, formatExtensions, formatLabels, formatsWithAlpha, newFileExtension, type ExportFormat } from '../../../shared/export-formats.js';
import { outputDensityFor } from '../../../shared/render/output-density.js';
import type { ParticleColourMode } from '../../../shared/render/particle-colours.js';
import { namedBackgrounds, type BackgroundSetting } from '../../../shared/render/picture-background.js';
import { defaultRenderSettings, renderLimits, resolveRenderSettings, type RenderSettings } from '../../../shared/render/render-settings.js';
import { timelineLimits } from '../../../shared/timeline.js';
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
  /** Particles and dot size follow the size (outputDensityFor) until the user types their own. */
  particlesAuto: boolean;
  pointSize: number;
  pointSizeAuto: boolean;
  colour: ParticleColourMode;
  background: BackgroundName;
  quality: number;
  loop: boolean;
  bounce: boolean;
}

export function formFromSettings(format: ExportFormat, s: RenderSettings): ExportForm {
  const automatic = outputDensityFor(s.size);
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
    loop: s.timeline.loops === 0,
    bounce: s.timeline.bounce,
  };
}

/** What the particle and dot-size fields show: the automatic choice for the size, or the user's. */
export function densityShown(form: ExportForm): { particles: number; pointSize: number } {
  const automatic = outputDensityFor(form.size);
  return { particles: form.particlesAuto ? automatic.particles : form.particles, pointSize: form.pointSizeAuto ? automatic.pointSize : form.pointSize };
}

export type FieldProblems = Partial<Record<keyof ExportForm | 'form', string>>;

const whole = (x: number, min: number, max: number): boolean => Number.isInteger(x) && x >= min && x <= max;

/** Settings for the form, or the problems to show beside each field. */
export function settingsFromForm(form: ExportForm, base: RenderSettings): { settings: RenderSettings } | { problems: FieldProblems } {
  const problems: FieldProblems = {};
  if (!whole(form.size, renderLimits.minSize, renderLimits.maxSize)) problems.size = `${renderLimits.minSize} to ${renderLimits.maxSize} px.`;
  if (form.canvas === 'custom' && !(whole(form.canvasWidth, renderLimits.minSize, renderLimits.maxSize) && whole(form.canvasHeight, renderLimits.minSize, renderLimits.maxSize))) {
    problems.canvas = `Width and height from ${renderLimits.minSize} to ${renderLimits.maxSize} px.`;
  }
  if (!(form.fps > 0 && form.fps <= timelineLimits.maxFps)) problems.fps = `Up to ${timelineLimits.maxFps} fps.`;
  if (!(form.seconds > 0 && form.seconds <= timelineLimits.maxDurationSeconds)) problems.seconds = `Up to ${timelineLimits.maxDurationSeconds} s.`;
  if (!form.particlesAuto && !whole(form.particles, 1000, renderLimits.maxParticles)) problems.particles = `1 000 to ${renderLimits.maxParticles.toLocaleString('en')}.`;
  if (!form.pointSizeAuto && !(form.pointSize >= 0.5 && form.pointSize <= 16)) problems.pointSize = '0.5 to 16 px.';
  if (!whole(form.quality, 1, 100)) problems.quality = '1 to 100.';
  if (!formatsWithAlpha.includes(form.format) && form.background === 'transparent') {
    problems.background = `${formatLabels[form.format]} has no transparency; pick the picture's own, white or black.`;
  }
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
      timeline: { ...base.timeline, fps: form.fps, durationSeconds: form.seconds, loops: form.loop ? 0 : 1, bounce: form.bounce },
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

/** An ending that only says the format: the frames folder's suffix or any format's extension. */
const formatEnding = new RegExp(`(-frames|${exportFormats.flatMap((format) => formatExtensions[format].map((extension) => `\\${extension}`)).join('|')})$`, 'i');

/** Keep the user's folder and name, change only what the format implies. */
export function withFormat(path: string, format: ExportFormat): string {
  const stem = path.replace(formatEnding, '');
  return format === 'png' ? `${stem}-frames` : `${stem}${newFileExtension(format)}`;
}
