import { resolveRenderSettings, densityLooks, type DensityLook, type RenderSettings } from '../../shared/render/render-settings.js';
import { parseBackground } from '../../shared/render/picture-background.js';
import { particleColourModes, type ParticleColourMode } from '../../shared/render/particle-colours.js';
import { easings, isEasing } from '../../shared/easing.js';
import { flag, numberOption, stringOption, type Parsed } from './args.js';
import { UsageError } from './usage-error.js';

/** The look-and-timing flags shared by render, frame and make. */
export const renderOptionSpecs = {
  fps: { type: 'string' },
  seconds: { type: 'string' },
  size: { type: 'string' },
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
  reverse: { type: 'boolean' },
  easing: { type: 'string' },
  loops: { type: 'string' },
  quality: { type: 'string' },
} as const;

export const renderOptionsUsage =
  '[--fps F] [--seconds S] [--size PX] [--particles N] [--seed K] [--colour ink|image|solid|angle] [--mode points|density]\n' +
  '              [--density-look colour|map] [--background auto|white|black|transparent|#RRGGBB[AA]] [--point-size PX]\n' +
  '              [--easing E] [--hold-start S] [--hold-end S] [--bounce] [--reverse] [--loops N] [--quality Q]';

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
  const easing = stringOption(parsed, 'easing');
  if (easing !== undefined && !isEasing(easing)) throw new UsageError(`--easing must be one of ${easings.join(', ')}, not '${easing}'.`);
  return resolveRenderSettings({
    size: numberOption(parsed, 'size', { integer: true, min: 16, max: 4096 }),
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
      loops: numberOption(parsed, 'loops', { integer: true, min: 0, max: 65535 }),
      holdStartSeconds: numberOption(parsed, 'hold-start', { min: 0, max: 60 }),
      holdEndSeconds: numberOption(parsed, 'hold-end', { min: 0, max: 60 }),
      ...(flag(parsed, 'bounce') ? { bounce: true } : {}),
      ...(flag(parsed, 'reverse') ? { reverse: true } : {}),
      ...(easing === undefined ? {} : { easing }),
    },
  });
}
