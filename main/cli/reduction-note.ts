import path from 'node:path';
import type { ImageDensity } from '../engine/image/density.js';
import { reductionFactor } from '../engine/image/mapping.js';
import type { CommandIo } from './command.js';

/** At 4× and beyond, detail the user can see in the picture is gone from the flow's target. */
export const NOTABLE_REDUCTION = 4;

/** One line on stderr (a JSON note with --json) when the picture was reduced a lot; nothing otherwise. */
export function noteReduction(io: CommandIo, density: ImageDensity): void {
  const factor = reductionFactor(density.mapping);
  if (factor < NOTABLE_REDUCTION) return;
  const { originalWidth, originalHeight, workingWidth, workingHeight } = density.mapping;
  const name = path.basename(density.source.path);
  io.note(
    `Note: ${name} is ${originalWidth} × ${originalHeight} pixels; FlowGIF works on it reduced to ${workingWidth} × ${workingHeight} (${Math.round(factor)}× smaller), so finer detail is lost.`,
    { note: 'image-reduced', file: density.source.path, originalWidth, originalHeight, workingWidth, workingHeight, factor },
  );
}
