import { parse } from '../args.js';
import type { Command } from '../command.js';
import { densityOptionSpecs, densityOptionsUsage } from '../flow-source-args.js';
import { outputUsage } from '../output-args.js';
import { outputOptionSpecs, presetUsage } from '../preset-args.js';
import { renderOptionsUsage } from '../render-settings-args.js';
import { renderSequence, styleOptionSpec, styleUsage } from '../sequence-args.js';
import { UsageError } from '../usage-error.js';

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
    await renderSequence(parsed, io, false);
  },
};
