import { resolveRenderSettings, densityLooks, renderLimits, styleRanges, type RenderSettings, type RenderSettingsInput } from '../../shared/render/render-settings.js';
import { parseBackground } from '../../shared/render/picture-background.js';
import { definedFields } from '../../shared/defined-fields.js';
import { particleColourModes } from '../../shared/render/particle-colours.js';
import { blendModes, rasterModes } from '../../shared/render/raster-options.js';
import { colourMapNames } from '../../shared/render/colour-maps.js';
import { parseHexColour } from '../../shared/render/colour.js';
import { easings } from '../../shared/easing.js';
import { oncePass, timelineLimits } from '../../shared/timeline.js';
import { parseCanvas } from '../../shared/render/canvas.js';
import { choiceOption, flag, numberOption, stringOption, type Parsed } from './args.js';
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
  'solid-colour': { type: 'string' },
  'solid-color': { type: 'string' },
  mode: { type: 'string' },
  'density-look': { type: 'string' },
  'colour-map': { type: 'string' },
  'color-map': { type: 'string' },
  'density-smoothing': { type: 'string' },
  background: { type: 'string' },
  'point-size': { type: 'string' },
  blend: { type: 'string' },
  opacity: { type: 'string' },
  'hold-start': { type: 'string' },
  'hold-end': { type: 'string' },
  bounce: { type: 'boolean' },
  once: { type: 'boolean' },
  reverse: { type: 'boolean' },
  easing: { type: 'string' },
  loops: { type: 'string' },
  quality: { type: 'string' },
  swirl: { type: 'string' },
} as const;

const choices = (values: readonly string[]): string => values.join('|');

export const renderOptionsUsage =
  `[--fps F] [--seconds S] [--size PX] [--canvas picture|square|WxH] [--particles N] [--seed K]\n` +
  `              [--colour ${choices(particleColourModes)}] [--solid-colour #RRGGBB[AA]] [--mode ${choices(rasterModes)}]\n` +
  `              [--density-look ${choices(densityLooks)}] [--colour-map ${choices(colourMapNames)}] [--density-smoothing PX]\n` +
  `              [--background auto|white|black|transparent|#RRGGBB[AA]] [--point-size PX] [--blend ${choices(blendModes)}] [--opacity A]\n` +
  `              [--easing ${choices(easings)}] [--hold-start S] [--hold-end S] [--once|--bounce] [--reverse] [--loops N] [--quality Q]\n` +
  `              [--swirl TURNS]`;

/** The spelling the user typed, colour or color: the message names their flag. */
function spelt(parsed: Parsed, british: string): string {
  const american = british.replace('colour', 'color');
  return stringOption(parsed, british) === undefined && stringOption(parsed, american) !== undefined ? american : british;
}

function solidColourFrom(parsed: Parsed, colour: string | undefined): RenderSettings['solidColour'] | undefined {
  const name = spelt(parsed, 'solid-colour');
  const text = stringOption(parsed, name);
  if (text === undefined) return undefined;
  const rgba = parseHexColour(text);
  if (rgba === undefined) throw new UsageError(`--${name} must be a colour like #ff0000 or #ff000080, not '${text}'.`);
  // The solid colour is what 'solid' draws in; with another colouring it would be silently unused.
  if (colour !== undefined && colour !== 'solid') throw new UsageError(`--${name} is the colour of --colour solid; it cannot go with --colour ${colour}.`);
  return rgba;
}

/**
 * Typed flags over a preset's values (preset-args.ts). A typed --size or --canvas is a new shape,
 * so it replaces both of the preset's: a preset's exact canvas would otherwise contradict --size.
 */
function typedOver(preset: RenderSettingsInput | undefined, typed: RenderSettingsInput): RenderSettingsInput {
  if (preset === undefined) return typed;
  const { size: _size, canvas: _canvas, ...unshaped } = preset;
  const shapeTyped = typed.size !== undefined || typed.canvas !== undefined;
  return { ...(shapeTyped ? unshaped : preset), ...definedFields(typed), timeline: { ...preset.timeline, ...definedFields(typed.timeline ?? {}) } };
}

/** The settings the flags ask for, over `preset`'s values when a preset is named. */
export function renderSettingsFrom(parsed: Parsed, preset?: RenderSettingsInput): RenderSettings {
  const colour = choiceOption(parsed, spelt(parsed, 'colour'), particleColourModes);
  const solidColour = solidColourFrom(parsed, colour);
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
  const easing = choiceOption(parsed, 'easing', easings);
  const L = timelineLimits;
  return resolveRenderSettings(typedOver(preset, {
    size: numberOption(parsed, 'size', { integer: true, min: renderLimits.minSize, max: renderLimits.maxSize }),
    canvas,
    particles: numberOption(parsed, 'particles', { integer: true, min: 1, max: renderLimits.maxParticles }),
    seed: numberOption(parsed, 'seed', { integer: true, min: 0, max: renderLimits.maxSeed }),
    // --solid-colour alone means solid particles of that colour.
    colour: colour ?? (solidColour === undefined ? undefined : 'solid'),
    solidColour,
    mode: choiceOption(parsed, 'mode', rasterModes),
    densityLook: choiceOption(parsed, 'density-look', densityLooks),
    colourMap: choiceOption(parsed, spelt(parsed, 'colour-map'), colourMapNames),
    densitySmoothing: numberOption(parsed, 'density-smoothing', styleRanges.densitySmoothing),
    background,
    pointSize: numberOption(parsed, 'point-size', styleRanges.pointSize),
    blend: choiceOption(parsed, 'blend', blendModes),
    opacity: numberOption(parsed, 'opacity', styleRanges.opacity),
    quality: numberOption(parsed, 'quality', { integer: true, ...styleRanges.quality }),
    swirl: numberOption(parsed, 'swirl', styleRanges.swirl),
    timeline: {
      fps: numberOption(parsed, 'fps', { min: 1, max: L.maxFps }),
      durationSeconds: numberOption(parsed, 'seconds', { min: 0.1, max: L.maxDurationSeconds }),
      // --once: one pass held on the picture, played once unless --loops says otherwise.
      loops: numberOption(parsed, 'loops', { integer: true, min: 0, max: L.maxLoops }) ?? (once ? oncePass.loops : undefined),
      holdStartSeconds: numberOption(parsed, 'hold-start', { min: 0, max: L.maxHoldSeconds }),
      holdEndSeconds: numberOption(parsed, 'hold-end', { min: 0, max: L.maxHoldSeconds }),
      ...(flag(parsed, 'bounce') ? { bounce: true } : once ? { bounce: oncePass.bounce } : {}),
      ...(flag(parsed, 'reverse') ? { reverse: true } : {}),
      ...(easing === undefined ? {} : { easing }),
    },
  }));
}
