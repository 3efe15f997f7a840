import path from 'node:path';
import { formatByteBudget } from '../../../shared/byte-size.js';
import { formatBytes } from '../../../shared/format-bytes.js';
import { describeBudgetChanges } from '../../../shared/size-budget.js';
import { checkRenderDestination, renderToFile, type RenderResult } from '../../engine/pipeline/render-flow.js';
import { parse, requiredString } from '../args.js';
import type { Command, CommandIo } from '../command.js';
import { outputUsage, outputWhat } from '../output-args.js';
import { outputOptionSpecs, outputRequestFrom, presetUsage } from '../preset-args.js';
import type { SizeEstimate } from '../../engine/encode/encode.js';
import { densityOptionSpecs, densityOptionsUsage, flowSourceFrom, openFlowNoted, textOptionSpecs, textUsage } from '../flow-source-args.js';
import { renderOptionsUsage } from '../render-settings-args.js';

export const renderCommand: Command = {
  name: 'render',
  summary: 'render a flow as an animation (GIF, MP4, WebM, MOV, WebP, APNG) or a folder of PNG frames',
  usage: `render (MODEL.flow | (--exact IMAGE | ${textUsage}) ${densityOptionsUsage} [--noise fitted|round]) -o ${outputUsage}\n              ${renderOptionsUsage}\n              ${presetUsage} [--json]`,
  options: {
    exact: { type: 'string' },
    output: { type: 'string', short: 'o' },
    json: { type: 'boolean' },
    ...densityOptionSpecs,
    ...textOptionSpecs,
    ...outputOptionSpecs,
  },
  async run(args, io) {
    const parsed = parse(args, this.options);
    const outputPath = requiredString(parsed, 'output', outputWhat);
    const { format, settings, maxBytes } = outputRequestFrom(parsed, outputPath);
    const source = flowSourceFrom(parsed, settings.size);
    await checkRenderDestination(outputPath, format, { signal: io.ctx.signal, background: settings.background });
    const flow = await openFlowNoted(source, io);
    try {
      const result = await renderToFile(flow, { outputPath, settings, format, onEstimate: noteEstimate(io), destinationChecked: true, ...(maxBytes === undefined ? {} : { maxBytes }) }, io.ctx);
      io.result(describe(result), resultJson(result));
    } finally {
      flow.field.dispose();
    }
  },
};

/** The size a user is about to get, said before the long encode starts. */
export function noteEstimate(io: CommandIo): (estimate: SizeEstimate) => void {
  return (estimate) =>
    io.note(`Estimated size ${formatBytes(estimate.bytes)} (${formatBytes(estimate.lowBytes)}–${formatBytes(estimate.highBytes)}); encoding…`, {
      estimate_bytes: estimate.bytes,
      estimate_low_bytes: estimate.lowBytes,
      estimate_high_bytes: estimate.highBytes,
    });
}

export function describe(result: RenderResult): string {
  const what = result.format === 'png' ? 'PNG frames' : result.format.toUpperCase();
  return (
    `Wrote ${what}: ${result.frames} frames, ${result.width}×${result.height}, ${(result.durationMs / 1000).toFixed(2)} s, ` +
    `${result.particles.toLocaleString('en')} particles, ${formatBytes(result.sizeBytes)}.\n` +
    (result.budget === undefined ? '' : `Fitted under ${formatByteBudget(result.budget.maxBytes)}: ${describeBudgetChanges(result.budget.changes)}.\n`) +
    path.resolve(result.outputPath)
  );
}

export function resultJson(result: RenderResult): Record<string, unknown> {
  return {
    output: path.resolve(result.outputPath),
    format: result.format,
    frames: result.frames,
    width: result.width,
    height: result.height,
    duration_ms: result.durationMs,
    particles: result.particles,
    size_bytes: result.sizeBytes,
    ...(result.budget === undefined
      ? {}
      : { max_bytes: result.budget.maxBytes, budget_changes: result.budget.changes, budget_encodes: result.budget.encodes }),
  };
}
