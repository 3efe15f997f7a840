import path from 'node:path';
import { trainToFile } from '../../engine/pipeline/train-flow.js';
import { numberOption, parse, onePositional, requiredString } from '../args.js';
import type { Command } from '../command.js';
import { densityOptionSpecs, densityOptionsFrom, densityOptionsUsage, noiseShapeFrom } from '../flow-source-args.js';
import { methodFrom, methodOptionSpec, methodUsage } from '../method-args.js';
import { noteReduction } from '../reduction-note.js';
import { UsageError } from '../usage-error.js';

export const trainCommand: Command = {
  name: 'train',
  summary: 'train a flow on an image and save it as a .flow model',
  usage: `train IMAGE -o MODEL.flow ${methodUsage} [--seconds S | --steps N] [--seed K]
                 ${densityOptionsUsage} [--noise fitted|round] [--json]`,
  options: {
    output: { type: 'string', short: 'o' },
    ...methodOptionSpec,
    seconds: { type: 'string' },
    steps: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' },
    ...densityOptionSpecs,
  },
  async run(args, io) {
    const parsed = parse(args, this.options);
    const imagePath = onePositional(parsed, 'IMAGE');
    const outputPath = requiredString(parsed, 'output', 'MODEL.flow');
    if (!outputPath.endsWith('.flow')) throw new UsageError(`The model file must end in .flow, not ${path.basename(outputPath)}.`);
    const { method, ffjordPreset } = methodFrom(parsed);
    const seconds = numberOption(parsed, 'seconds', { min: 0.1 });
    const steps = numberOption(parsed, 'steps', { integer: true, min: 1 });
    if (seconds !== undefined && steps !== undefined) throw new UsageError('Give --seconds or --steps, not both.');
    const seed = numberOption(parsed, 'seed', { integer: true, min: 0 }) ?? 0;
    const noise = noiseShapeFrom(parsed);

    const result = await trainToFile(
      {
        imagePath,
        outputPath,
        method,
        ffjordPreset,
        seed,
        densityOptions: densityOptionsFrom(parsed),
        ...(noise === undefined ? {} : { noise }),
        ...(seconds === undefined ? {} : { seconds }),
        ...(steps === undefined ? {} : { steps }),
      },
      io.ctx,
    );
    noteReduction(io, result.density);
    const t = result.model.training;
    // FFJORD's held-out NLL, the figure its presets are compared by: only one of the final weights.
    const last = t.history.at(-1) as { readonly step: number; readonly nll?: unknown } | undefined;
    const nll = last !== undefined && last.step === t.steps && typeof last.nll === 'number' ? last.nll : undefined;
    io.result(
      `Trained ${method} (${t.preset} preset) on ${path.basename(imagePath)}: ${t.steps} steps in ${t.seconds.toFixed(1)} s on ${t.backend}, final loss ${t.finalLoss.toFixed(4)}${nll === undefined ? '' : `, held-out NLL ${nll.toFixed(3)} nats`}.\nSaved ${path.resolve(outputPath)}`,
      { output: path.resolve(outputPath), method, preset: t.preset, steps: t.steps, seconds: t.seconds, backend: t.backend, loss: t.finalLoss, ...(nll === undefined ? {} : { nll }), seed },
    );
  },
};
