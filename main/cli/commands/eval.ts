import { styleRanges } from '../../../shared/render/render-settings.js';
import { evaluateFlow } from '../../engine/pipeline/evaluate-flow.js';
import { numberOption, parse } from '../args.js';
import type { Command } from '../command.js';
import { densityOptionSpecs, densityOptionsUsage, flowSourceFrom, openFlowNoted } from '../flow-source-args.js';

export const evalCommand: Command = {
  name: 'eval',
  summary: 'measure how well a flow draws its image (TV score, held-out NLL)',
  usage: `eval (MODEL.flow | --exact IMAGE ${densityOptionsUsage} [--noise fitted|round]) [--n N] [--seed K] [--swirl TURNS] [--json]`,
  options: {
    exact: { type: 'string' },
    n: { type: 'string' },
    seed: { type: 'string' },
    swirl: { type: 'string' },
    json: { type: 'boolean' },
    ...densityOptionSpecs,
  },
  async run(args, io) {
    const parsed = parse(args, this.options);
    const source = flowSourceFrom(parsed);
    const n = numberOption(parsed, 'n', { integer: true, min: 100, max: 10_000_000 }) ?? 20_000;
    const seed = numberOption(parsed, 'seed', { integer: true, min: 0 }) ?? 0;
    const swirl = numberOption(parsed, 'swirl', styleRanges.swirl) ?? 0;
    const flow = await openFlowNoted(source, io);
    try {
      const e = await evaluateFlow(flow, { n, seed, swirl }, io.ctx);
      const nllText = e.nll === undefined ? 'no likelihood (flow matching)' : `${e.nll.toFixed(4)} nats`;
      io.result(
        [
          `score   ${e.score.toFixed(4)}   (0 = perfect, 1 = a Gaussian blob)`,
          `tv      ${e.tv.toFixed(4)}   floors: true samples ${e.tvTrue.toFixed(4)}, blob ${e.tvBlob.toFixed(4)}  (n = ${e.n}, ${e.bins}×${e.bins} bins)`,
          `nll     ${nllText}   (image mixture: ${e.nllFloor.toFixed(4)} nats)`,
        ].join('\n'),
        {
          score: e.score,
          tv: e.tv,
          tv_true: e.tvTrue,
          tv_blob: e.tvBlob,
          n: e.n,
          bins: e.bins,
          seed,
          swirl,
          nll: e.nll ?? null,
          nll_floor: e.nllFloor,
          method: flow.model?.method ?? 'exact',
        },
      );
    } finally {
      flow.field.dispose();
    }
  },
};
