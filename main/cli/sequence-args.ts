import { DEFAULT_MORPH_STYLE, morphStyles, type MorphStyle } from '../../shared/morph-style.js';
import type { FlowSource, OpenedFlow } from '../engine/pipeline/flow-source.js';
import type { FlowSequence } from '../engine/pipeline/render-flow.js';
import { choiceOption, type Parsed } from './args.js';
import type { CommandIo } from './command.js';
import { densityOptionsFrom, noiseShapeFrom, openFlowNoted } from './flow-source-args.js';

/** `--style direct|dissolve`: how each picture becomes the next in a morph or a sequence. */
export const styleOptionSpec = { style: { type: 'string' } } as const;
export const styleUsage = `[--style ${morphStyles.join('|')}]`;

export function morphStyleFrom(parsed: Parsed): MorphStyle {
  return choiceOption(parsed, 'style', morphStyles) ?? DEFAULT_MORPH_STYLE;
}

/**
 * Each picture of a morph or a sequence, by its path: a .flow model, or an image's exact flow
 * (with the density options and noise given, drawn at `outputSize` px).
 */
export function pictureSources(paths: readonly string[], parsed: Parsed, outputSize: number): FlowSource[] {
  const densityOptions = densityOptionsFrom(parsed);
  const noise = noiseShapeFrom(parsed);
  return paths.map((p) =>
    p.endsWith('.flow')
      ? { kind: 'model', path: p }
      : { kind: 'exact', imagePath: p, densityOptions, outputSize, ...(noise === undefined ? {} : { noise }) },
  );
}

/** Opens every picture's flow in turn; if one fails, those already open are freed. */
export async function openSequence(sources: readonly FlowSource[], style: MorphStyle, fromNoise: boolean, io: CommandIo): Promise<FlowSequence> {
  const flows: OpenedFlow[] = [];
  try {
    for (const source of sources) flows.push(await openFlowNoted(source, io));
  } catch (error) {
    for (const flow of flows) flow.field.dispose();
    throw error;
  }
  return { flows, style, fromNoise };
}

export function disposeSequence(sequence: FlowSequence): void {
  for (const flow of sequence.flows) flow.field.dispose();
}
