import path from 'node:path';
import { checkFrameDestination, renderFrameToFile } from '../../engine/pipeline/render-flow.js';
import { numberOption, parse, requiredString } from '../args.js';
import type { Command } from '../command.js';
import { densityOptionSpecs, densityOptionsUsage, flowSourceFrom, openFlowNoted, textOptionSpecs, textUsage } from '../flow-source-args.js';
import { renderOptionSpecs, renderOptionsUsage, renderSettingsFrom } from '../render-settings-args.js';
import { UsageError } from '../usage-error.js';

export const frameCommand: Command = {
  name: 'frame',
  summary: 'render one frame of a flow at flow time t as a PNG',
  usage: `frame (MODEL.flow | (--exact IMAGE | ${textUsage}) ${densityOptionsUsage} [--noise fitted|round]) --t T -o frame.png\n              ${renderOptionsUsage} [--json]`,
  options: {
    exact: { type: 'string' },
    t: { type: 'string' },
    output: { type: 'string', short: 'o' },
    json: { type: 'boolean' },
    ...densityOptionSpecs,
    ...textOptionSpecs,
    ...renderOptionSpecs,
  },
  async run(args, io) {
    const parsed = parse(args, this.options);
    const t = numberOption(parsed, 't', { min: 0, max: 1 });
    if (t === undefined) throw new UsageError('Missing --t T (flow time from 0 = noise to 1 = picture).');
    const outputPath = requiredString(parsed, 'output', 'frame.png');
    if (path.extname(outputPath).toLowerCase() !== '.png') throw new UsageError(`The frame is a PNG: name it .png, not ${path.basename(outputPath)}.`);
    const settings = renderSettingsFrom(parsed);
    const source = flowSourceFrom(parsed, settings.size);
    await checkFrameDestination(outputPath);
    const flow = await openFlowNoted(source, io);
    try {
      const result = await renderFrameToFile(flow, t, outputPath, settings, io.ctx);
      const output = path.resolve(result.outputPath);
      io.result(`Wrote the frame at t = ${t} (${result.width}×${result.height}) to ${output}`, {
        output,
        t,
        width: result.width,
        height: result.height,
        size_bytes: result.sizeBytes,
      });
    } finally {
      flow.field.dispose();
    }
  },
};
