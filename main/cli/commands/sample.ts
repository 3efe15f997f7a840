import path from 'node:path';
import { styleRanges } from '../../../shared/render/render-settings.js';
import { sampleFlow } from '../../engine/flow/sample-flow.js';
import { modelToImage } from '../../engine/image/mapping.js';
import { writeFileAtomic, assertWritableFolder, type ReplaceRule } from '../../engine/project/write-atomic.js';
import { numberOption, parse, requiredString } from '../args.js';
import type { Command } from '../command.js';
import { densityOptionSpecs, densityOptionsUsage, flowSourceFrom, openFlowNoted, textOptionSpecs, textUsage } from '../flow-source-args.js';

const csvRule: ReplaceRule = { what: 'a CSV file', extensions: ['.csv'] };

export const sampleCommand: Command = {
  name: 'sample',
  summary: 'draw points from a flow at time t and write them as CSV in image space',
  usage: `sample (MODEL.flow | (--exact IMAGE | ${textUsage}) ${densityOptionsUsage} [--noise fitted|round]) --n N [--t T] [--seed K] [--swirl TURNS] -o OUT.csv [--json]`,
  options: {
    exact: { type: 'string' },
    n: { type: 'string' },
    t: { type: 'string' },
    seed: { type: 'string' },
    swirl: { type: 'string' },
    output: { type: 'string', short: 'o' },
    json: { type: 'boolean' },
    ...densityOptionSpecs,
    ...textOptionSpecs,
  },
  async run(args, io) {
    const parsed = parse(args, this.options);
    const source = flowSourceFrom(parsed);
    const n = numberOption(parsed, 'n', { integer: true, min: 1, max: 10_000_000 });
    if (n === undefined) requiredString(parsed, 'n', 'N (how many points)');
    const t = numberOption(parsed, 't', { min: 0, max: 1 }) ?? 1;
    const seed = numberOption(parsed, 'seed', { integer: true, min: 0 }) ?? 0;
    const swirl = numberOption(parsed, 'swirl', styleRanges.swirl) ?? 0;
    const outputPath = requiredString(parsed, 'output', 'OUT.csv');
    await assertWritableFolder(outputPath, csvRule);

    const flow = await openFlowNoted(source, io);
    try {
      const modelXY = await sampleFlow(flow.field, n!, { t, seed, swirl }, io.ctx);
      const imageXY = modelToImage(flow.density.mapping, modelXY);
      await writeFileAtomic(outputPath, toCsv(imageXY), csvRule);
      const { originalWidth, originalHeight } = flow.density.mapping;
      io.result(
        `Wrote ${n} points at t = ${t} to ${path.resolve(outputPath)} (image space: pixels of the ${originalWidth}×${originalHeight} image, x right, y down, origin top-left).`,
        { output: path.resolve(outputPath), n, t, seed, space: 'image', width: originalWidth, height: originalHeight },
      );
    } finally {
      flow.field.dispose();
    }
  },
};

function toCsv(imageXY: Float64Array): string {
  const lines: string[] = ['x,y'];
  for (let i = 0; i < imageXY.length; i += 2) {
    lines.push(`${round(imageXY[i]!)},${round(imageXY[i + 1]!)}`);
  }
  lines.push('');
  return lines.join('\n');
}

/** A thousandth of a pixel is far below anything visible and keeps files small. */
function round(value: number): string {
  return (Math.round(value * 1000) / 1000).toString();
}
