import { resolveRenderSettings, densityLooks, type DensityLook, type RenderSettings } from '../../shared/render/render-settings.js';
import { parseBackground } from '../../shared/render/picture-background.js';
import { particleColourModes, type ParticleColourMode } from '../../shared/render/particle-colours.js';
import { easings, isEasing } from '../../shared/easing.js';
import { oncePass } from '../../shared/timeline.js';
import { parseCanvas } from '../../shared/render/canvas.js';
import { flag, numberOption, stringOption, type Parsed } from './args.js';
import { UsageError } from './usage-error.js';

/** The look-and-timing flags shared by render, frame and make. */
export const renderOptionSpecs = {
  fps: { type: 'string' },
  seconds: { type: 'string' },
  size: { type: 'string' },
  canvas: { type: 'string' },
  particles: { type: 'string' },
  seed: { type: 'string' },
  colour: { type: 'string' },
  color: { type: 'string' },
  mode: { type: 'string' },
  'density-look': { type: 'string' },
  background: { type: 'string' },
  'point-size': { type: 'string' },
  'hold-start': { type: 'string' },
  'hold-end': { type: 'string' },
  bounce: { type: 'boolean' },
  once: { type: 'boolean' },
  reverse: { type: 'boolean' },
  easing: { type: 'string' },
  loops: { type: 'string' },
  quality: { type: 'string' },
} as const;

export const renderOptionsUsage =
  '[--fps F] [--seconds S] [--size PX] [--canvas picture|square|WxH] [--particles N] [--seed K] [--colour ink|image|solid|angle] [--mode points|density]\n' +
  '              [--density-look colour|map] [--background auto|white|black|transparent|#RRGGBB[AA]] [--point-size PX]\n' +
  '              [--easing E] [--hold-start S] [--hold-end S] [--once|--bounce] [--reverse] [--loops N] [--quality Q]';

export function renderSettingsFrom(parsed: Parsed): RenderSettings {
  const colour = stringOption(parsed, 'colour') ?? stringOption(parsed, 'color');
  if (colour !== undefined && !particleColourModes.includes(colour as ParticleColourMode)) {
    throw new UsageError(`--colour must be one of ${particleColourModes.join(', ')}, not '${colour}'.`);
  }
  const mode = stringOption(parsed, 'mode');
  if (mode !== undefined && mode !== 'points' && mode !== 'density') throw new UsageError(`--mode must be points or density, not '${mode}'.`);
  const densityLook = stringOption(parsed, 'density-look');
  if (densityLook !== undefined && !densityLooks.includes(densityLook as DensityLook)) {
    throw new UsageError(`--density-look must be one of ${densityLooks.join(', ')}, not '${densityLook}'.`);
  }
  const backgroundText = stringOption(parsed, 'background');
  const background = backgroundText === undefined ? undefined : parseBackground(backgroundText);
  if (backgroundText !== undefined && background === undefined) {
    throw new UsageError(`--background must be auto, white, black, transparent or a colour like #ffffff or #00000000, not '${backgroundText}'.`);
  }
  const canvasText = stringOption(parsed, 'canvas');
  const canvas = canvasText === undefined ? undefined : parseCanvas(canvasText);
  if (canvasText !== undefined && canvas === undefined) {
    throw new UsageError(`--canvas must be picture, square or WxH in pixels (e.g. 1200x630), not '${canvasText}'.`);
  }
  // An exact canvas is the output's size in pixels; a second size would contradict it.
  if (typeof canvas === 'object' && stringOption(parsed, 'size') !== undefined) {
    throw new UsageError(`--canvas ${canvasText} sets the size in pixels; leave out --size, or use --canvas square.`);
  }
  const once = flag(parsed, 'once');
  if (once && flag(parsed, 'bounce')) throw new UsageError('--once plays one way only; it cannot be combined with --bounce.');
  const easing = stringOption(parsed, 'easing');
  if (easing !== undefined && !isEasing(easing)) throw new UsageError(`--easing must be one of ${easings.join(', ')}, not '${easing}'.`);
  return resolveRenderSettings({
    size: numberOption(parsed, 'size', { integer: true, min: 16, max: 4096 }),
    canvas,
    particles: numberOption(parsed, 'particles', { integer: true, min: 1, max: 2_000_000 }),
    seed: numberOption(parsed, 'seed', { integer: true, min: 0 }),
    colour: colour as ParticleColourMode | undefined,
    mode: mode as RenderSettings['mode'] | undefined,
    densityLook: densityLook as DensityLook | undefined,
    background,
    pointSize: numberOption(parsed, 'point-size', { min: 0.1, max: 64 }),
    quality: numberOption(parsed, 'quality', { integer: true, min: 1, max: 100 }),
    timeline: {
      fps: numberOption(parsed, 'fps', { min: 1, max: 100 }),
      durationSeconds: numberOption(parsed, 'seconds', { min: 0.1, max: 600 }),
      // --once: one pass held on the picture, played once unless --loops says otherwise.
      loops: numberOption(parsed, 'loops', { integer: true, min: 0, max: 65535 }) ?? (once ? oncePass.loops : undefined),
      holdStartSeconds: numberOption(parsed, 'hold-start', { min: 0, max: 60 }),
      holdEndSeconds: numberOption(parsed, 'hold-end', { min: 0, max: 60 }),
      ...(flag(parsed, 'bounce') ? { bounce: true } : once ? { bounce: oncePass.bounce } : {}),
      ...(flag(parsed, 'reverse') ? { reverse: true } : {}),
      ...(easing === undefined ? {} : { easing }),
    },
  });
}
