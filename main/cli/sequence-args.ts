import { DEFAULT_MORPH_STYLE, morphStyles, type MorphStyle } from '../../shared/morph-style.js';
import type { FlowSource, OpenedFlow } from '../engine/pipeline/flow-source.js';
import { checkRenderDestination, renderToFile, type FlowSequence } from '../engine/pipeline/render-flow.js';
import { choiceOption, requiredString, type Parsed } from './args.js';
import { outputWhat } from './output-args.js';
import { outputRequestFrom } from './preset-args.js';
import { describe, noteEstimate, resultJson } from './commands/render.js';
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

/**
 * `morph A B` (fromNoise false) and `make A B C …` (true): the pictures named by the
 * positionals, each becoming the next, rendered to -o; the destination is checked before any
 * picture is opened.
 */
export async function renderSequence(parsed: Parsed, io: CommandIo, fromNoise: boolean): Promise<void> {
  const outputPath = requiredString(parsed, 'output', outputWhat);
  const { format, settings, maxBytes } = outputRequestFrom(parsed, outputPath);
  const style = morphStyleFrom(parsed);
  const sources = pictureSources(parsed.positionals, parsed, settings.size);
  await checkRenderDestination(outputPath, format, { signal: io.ctx.signal, background: settings.background });
  const sequence = await openSequence(sources, style, fromNoise, io);
  try {
    const result = await renderToFile(sequence, { outputPath, settings, format, onEstimate: noteEstimate(io), destinationChecked: true, ...(maxBytes === undefined ? {} : { maxBytes }) }, io.ctx);
    io.result(describe(result), { ...resultJson(result), pictures: sources.length, style });
  } finally {
    disposeSequence(sequence);
  }
}
