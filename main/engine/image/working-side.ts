import type { ImageMapping } from './density.js';
import { defaultDensityOptions } from './density.js';

/**
 * The longest working side any output asks for. The exact flow's blur levels and the density
 * grids grow with the working pixels. Measured on the 2-core build machine (/usr/bin/time -v),
 * `make --size 2048` of a 2048 × 2048 picture (so a 2048² working grid, 200 000 particles):
 * 1.07 GB peak RSS, of which the exact flow is ≈ 615 MB (214 MB at 1080², 95 MB at 512²); it
 * took 112 s, 23 s of them building the flow.
 */
export const MAX_WORKING_SIDE = 2048;

/**
 * The working grid's long side for an output of `outputLongSide` px: at least the default (the
 * preview's and training's), else the output's own, so a large output keeps the picture's edges
 * as crisp as its pixels allow. The picture is never enlarged (load-density scales by at most 1).
 */
export function workingSideFor(outputLongSide: number): number {
  return Math.min(MAX_WORKING_SIDE, Math.max(defaultDensityOptions.maxSide, Math.round(outputLongSide)));
}

/**
 * The working side to reopen a picture at for this output, or undefined when its grid is already
 * as fine as the output can use (or the picture has no finer pixels to give).
 */
export function finerWorkingSide(mapping: ImageMapping, outputLongSide: number): number | undefined {
  const wanted = Math.min(workingSideFor(outputLongSide), Math.max(mapping.originalWidth, mapping.originalHeight));
  return wanted > Math.max(mapping.workingWidth, mapping.workingHeight) ? wanted : undefined;
}
