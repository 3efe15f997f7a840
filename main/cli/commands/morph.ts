import { checkRenderDestination, renderToFile } from '../../engine/pipeline/render-flow.js';
import { parse, requiredString } from '../args.js';
import type { Command } from '../command.js';
import { densityOptionSpecs, densityOptionsUsage } from '../flow-source-args.js';
import { outputUsage, outputWhat } from '../output-args.js';
import { outputOptionSpecs, outputRequestFrom, presetUsage } from '../preset-args.js';
import { renderOptionsUsage } from '../render-settings-args.js';
import { disposeSequence, morphStyleFrom, openSequence, pictureSources, styleOptionSpec, styleUsage } from '../sequence-args.js';
import { UsageError } from '../usage-error.js';
import { describe, noteEstimate, resultJson } from './render.js';

export const morphCommand: Command = {
  name: 'morph',
  summary: 'picture A becomes picture B (images or .flow models): straight across, or dissolving through the noise',
  usage: `morph A B -o ${outputUsage} ${styleUsage} ${densityOptionsUsage} [--noise fitted|round]\n              ${renderOptionsUsage}\n              ${presetUsage} [--json]`,
  options: {
    output: { type: 'string', short: 'o' },
    json: { type: 'boolean' },
    ...styleOptionSpec,
    ...densityOptionSpecs,
    ...outputOptionSpecs,
  },
  async run(args, io) {
    const parsed = parse(args, this.options);
    if (parsed.positionals.length !== 2) {
      throw new UsageError(`morph takes two pictures, A and B (got ${parsed.positionals.length === 0 ? 'none' : parsed.positionals.join(' ')}).`);
    }
    const outputPath = requiredString(parsed, 'output', outputWhat);
    const { format, settings, maxBytes } = outputRequestFrom(parsed, outputPath);
    const style = morphStyleFrom(parsed);
    const sources = pictureSources(parsed.positionals, parsed, settings.size);
    await checkRenderDestination(outputPath, format, { signal: io.ctx.signal, background: settings.background });
    const sequence = await openSequence(sources, style, false, io);
    try {
      const result = await renderToFile(sequence, { outputPath, settings, format, onEstimate: noteEstimate(io), destinationChecked: true, ...(maxBytes === undefined ? {} : { maxBytes }) }, io.ctx);
      io.result(describe(result), { ...resultJson(result), style });
    } finally {
      disposeSequence(sequence);
    }
  },
};
