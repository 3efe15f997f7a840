import path from 'node:path';
import { DEFAULT_NOISE_SHAPE } from '../../../shared/noise.js';
import { checkRenderDestination, destinationPath, renderToFile } from '../../engine/pipeline/render-flow.js';
import { trainToFile } from '../../engine/pipeline/train-flow.js';
import { numberOption, onePositional, parse, requiredString, stringOption } from '../args.js';
import type { Command } from '../command.js';
import { outputUsage, outputWhat } from '../output-args.js';
import { outputOptionSpecs, outputRequestFrom, presetUsage } from '../preset-args.js';
import { densityOptionSpecs, densityOptionsFrom, densityOptionsUsage, noiseShapeFrom, openFlowNoted, textOptionSpecs, textPictureFrom, textUsage } from '../flow-source-args.js';
import { methodFrom, methodOptionSpec, methodUsage } from '../method-args.js';
import { noteReduction } from '../reduction-note.js';
import { renderOptionsUsage } from '../render-settings-args.js';
import { UsageError } from '../usage-error.js';
import { renderSequence, styleOptionSpec, styleUsage } from '../sequence-args.js';
import type { Parsed } from '../args.js';
import type { CommandIo } from '../command.js';
import { describe, noteEstimate, resultJson } from './render.js';

export const makeCommand: Command = {
  name: 'make',
  summary: 'the one-shot job: an image in, an animation out (exact flow, or --train SECONDS); several images, a sequence noise → A → B → …',
  usage: `make (IMAGE | ${textUsage} | A B C … ${styleUsage}) -o ${outputUsage} [--train SECONDS ${methodUsage}] ${densityOptionsUsage} [--noise fitted|round]\n              ${renderOptionsUsage}\n              ${presetUsage} [--json]`,
  options: {
    output: { type: 'string', short: 'o' },
    train: { type: 'string' },
    ...methodOptionSpec,
    ...styleOptionSpec,
    json: { type: 'boolean' },
    ...densityOptionSpecs,
    ...textOptionSpecs,
    ...outputOptionSpecs,
  },
  async run(args, io) {
    const parsed = parse(args, this.options);
    const text = textPictureFrom(parsed);
    if (text !== undefined && parsed.positionals.length > 0) throw new UsageError(`Give either IMAGE or --text TEXT, not both (got ${parsed.positionals.join(' ')}).`);
    if (text === undefined && parsed.positionals.length > 1) return makeSequence(parsed, io);
    if (stringOption(parsed, 'style') !== undefined) throw new UsageError('--style says how one picture becomes the next; give several images (make A B C …).');
    const imagePath = text === undefined ? onePositional(parsed, 'IMAGE') : undefined;
    const outputPath = requiredString(parsed, 'output', outputWhat);
    const trainSeconds = numberOption(parsed, 'train', { min: 1 });
    const { method, ffjordPreset } = methodFrom(parsed);
    if (trainSeconds !== undefined && text !== undefined) throw new UsageError('--train works from an image file; --text TEXT is drawn with the exact flow (leave out --train).');
    // A method with nothing to train would be silently ignored: the exact flow has none.
    if (trainSeconds === undefined && stringOption(parsed, 'method') !== undefined) throw new UsageError('--method chooses how --train SECONDS trains; give --train too.');
    const { format, settings, maxBytes } = outputRequestFrom(parsed, outputPath);
    const densityOptions = densityOptionsFrom(parsed);
    const noise = noiseShapeFrom(parsed) ?? DEFAULT_NOISE_SHAPE;
    // Before training or opening anything: a bad destination fails now, not after the work.
    await checkRenderDestination(outputPath, format, { signal: io.ctx.signal, background: settings.background });

    let modelPath: string | undefined;
    if (trainSeconds !== undefined && imagePath !== undefined) {
      // The model is kept beside the animation: it can be rendered again without retraining.
      modelPath = `${destinationPath(outputPath, format).replace(/\.[^./\\]+$/, '')}.flow`;
      const trained = await trainToFile({ imagePath, outputPath: modelPath, method, ffjordPreset, seconds: trainSeconds, seed: settings.seed, densityOptions, noise }, io.ctx);
      noteReduction(io, trained.density);
    }
    const flow = await openFlowNoted(
      modelPath !== undefined
        ? { kind: 'model', path: modelPath }
        : imagePath !== undefined
          ? { kind: 'exact', imagePath, densityOptions, noise, outputSize: settings.size }
          : { kind: 'text', ...text!, densityOptions, noise, outputSize: settings.size },
      io);
    try {
      const result = await renderToFile(flow, { outputPath, settings, format, onEstimate: noteEstimate(io), destinationChecked: true, ...(maxBytes === undefined ? {} : { maxBytes }) }, io.ctx);
      io.result(
        describe(result) + (modelPath === undefined ? '' : `\nModel: ${path.resolve(modelPath)}`),
        { ...resultJson(result), flow: modelPath === undefined ? 'exact' : method, ...(modelPath === undefined ? {} : { model: path.resolve(modelPath) }) },
      );
    } finally {
      flow.field.dispose();
    }
  },
};

/** `make A B C …`: noise flows into A, A into B, B into C, held on each, and back to the noise. */
async function makeSequence(parsed: Parsed, io: CommandIo): Promise<void> {
  if (stringOption(parsed, 'train') !== undefined || stringOption(parsed, 'method') !== undefined) {
    throw new UsageError('--train works from one image; a sequence of several is drawn with their exact flows (or give .flow models trained first).');
  }
  await renderSequence(parsed, io, true);
}
