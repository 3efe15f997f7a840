import { NOISE_SHAPES, type NoiseShape } from '../../shared/noise.js';
import { openFlow, type FlowSource, type OpenedFlow } from '../engine/pipeline/flow-source.js';
import type { CommandIo } from './command.js';
import { noteReduction } from './reduction-note.js';
import { flag, numberOption, stringOption, type Parsed } from './args.js';
import { UsageError } from './usage-error.js';
import { densityMasses, isDensityMass, type DensityMass } from '../../shared/density-mass.js';
import { isTextWeight, textWeights, type TextWeight } from '../../shared/text-picture.js';

/** Options shared by every command that reads an image. */
export const densityOptionSpecs = {
  mass: { type: 'string' },
  invert: { type: 'boolean' },
  threshold: { type: 'string' },
  noise: { type: 'string' },
} as const;

/** `--noise fitted|round`: the source noise of a flow made from an image (default fitted). */
export function noiseShapeFrom(parsed: Parsed): NoiseShape | undefined {
  const noise = stringOption(parsed, 'noise');
  if (noise === undefined) return undefined;
  if (!(NOISE_SHAPES as readonly string[]).includes(noise)) {
    throw new UsageError(`--noise must be ${NOISE_SHAPES.join(' or ')}, not '${noise}'.`);
  }
  return noise as NoiseShape;
}

export const densityOptionsUsage = '[--mass auto|dark|light] [--invert] [--threshold T]';

/** Text drawn as the picture, in place of an image. */
export const textOptionSpecs = {
  text: { type: 'string' },
  font: { type: 'string' },
  weight: { type: 'string' },
} as const;

export const textUsage = '--text TEXT [--font NAME|FILE] [--weight regular|bold]';

/**
 * `--text TEXT [--font NAME|FILE] [--weight regular|bold]`, or undefined without --text. A shell
 * passes a typed `\n` as two characters; it means a line break, as it does in most tools.
 */
export function textPictureFrom(parsed: Parsed): { text: string; picture: { font?: string; weight?: TextWeight } } | undefined {
  const text = stringOption(parsed, 'text');
  const font = stringOption(parsed, 'font');
  const weight = stringOption(parsed, 'weight');
  if (text === undefined) {
    if (font !== undefined || weight !== undefined) throw new UsageError('--font and --weight choose how --text TEXT is drawn; give --text too.');
    return undefined;
  }
  if (weight !== undefined && !isTextWeight(weight)) throw new UsageError(`--weight must be ${textWeights.join(' or ')}, not '${weight}'.`);
  return {
    text: text.replace(/\\n/g, '\n'),
    picture: { ...(font === undefined ? {} : { font }), ...(weight === undefined ? {} : { weight }) },
  };
}

export function densityOptionsFrom(parsed: Parsed): { mass?: DensityMass; threshold?: number } {
  const threshold = numberOption(parsed, 'threshold', { min: 0, max: 254 });
  const massText = stringOption(parsed, 'mass');
  if (massText !== undefined && !isDensityMass(massText)) throw new UsageError(`--mass must be one of ${densityMasses.join(', ')}, not '${massText}'.`);
  const invert = flag(parsed, 'invert');
  // --invert is the older spelling of --mass light.
  if (invert && massText !== undefined && massText !== 'light') throw new UsageError(`--invert means --mass light; it cannot go with --mass ${massText}.`);
  const mass = invert ? 'light' : massText;
  return { ...(mass === undefined ? {} : { mass }), ...(threshold === undefined ? {} : { threshold }) };
}

/** `MODEL.flow`, `--exact IMAGE` or `--text TEXT`, only one; an image drawn at `outputSize` px is read at a working size that follows it. */
export function flowSourceFrom(parsed: Parsed, outputSize?: number): FlowSource {
  const exact = stringOption(parsed, 'exact');
  const text = textPictureFrom(parsed);
  if (text !== undefined) {
    if (exact !== undefined) throw new UsageError('Give either --exact IMAGE or --text TEXT, not both.');
    if (parsed.positionals.length > 0) throw new UsageError(`Give either MODEL.flow or --text TEXT, not both (got ${parsed.positionals.join(' ')}).`);
    const noise = noiseShapeFrom(parsed);
    return {
      kind: 'text',
      ...text,
      densityOptions: densityOptionsFrom(parsed),
      ...(outputSize === undefined ? {} : { outputSize }),
      ...(noise === undefined ? {} : { noise }),
    };
  }
  if (exact !== undefined) {
    if (parsed.positionals.length > 0) {
      throw new UsageError(`Give either MODEL.flow or --exact IMAGE, not both (got ${parsed.positionals.join(' ')}).`);
    }
    const noise = noiseShapeFrom(parsed);
    return {
      kind: 'exact',
      imagePath: exact,
      densityOptions: densityOptionsFrom(parsed),
      ...(outputSize === undefined ? {} : { outputSize }),
      ...(noise === undefined ? {} : { noise }),
    };
  }
  if (parsed.positionals.length === 0) throw new UsageError('Missing MODEL.flow (or --exact IMAGE, or --text TEXT).');
  if (parsed.positionals.length > 1) throw new UsageError(`Expected one MODEL.flow, got: ${parsed.positionals.join(' ')}.`);
  if (flag(parsed, 'invert') || stringOption(parsed, 'mass') !== undefined || stringOption(parsed, 'threshold') !== undefined) {
    throw new UsageError('--mass, --invert and --threshold apply to images; a model keeps the settings it was trained with.');
  }
  if (stringOption(parsed, 'noise') !== undefined) {
    throw new UsageError('--noise applies to images; a model starts from the noise it was trained with.');
  }
  return { kind: 'model', path: parsed.positionals[0]! };
}

/** openFlow, and a note when the picture it read was reduced a lot (a model's was noted when it was trained). */
export async function openFlowNoted(source: FlowSource, io: CommandIo): Promise<OpenedFlow> {
  const flow = await openFlow(source, io.ctx);
  if (source.kind === 'exact') noteReduction(io, flow.density);
  return flow;
}
