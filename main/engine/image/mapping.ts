import type { ImageMapping } from './density.js';

/** Model-space half extent of the longer side. */
export const MODEL_HALF_EXTENT = 4;

export function createMapping(
  originalWidth: number,
  originalHeight: number,
  workingWidth: number,
  workingHeight: number,
): ImageMapping {
  return {
    originalWidth,
    originalHeight,
    workingWidth,
    workingHeight,
    modelPerPixel: (2 * MODEL_HALF_EXTENT) / Math.max(workingWidth, workingHeight),
  };
}

/** Model-space centre of working pixel (col, row). */
export function pixelCentreToModel(mapping: ImageMapping, col: number, row: number): [number, number] {
  const p = mapping.modelPerPixel;
  return [(col + 0.5 - mapping.workingWidth / 2) * p, (mapping.workingHeight / 2 - row - 0.5) * p];
}

/**
 * Interleaved model-space points to image space: pixels of the original image, x right,
 * y down, origin at the top-left corner.
 */
export function modelToImage(mapping: ImageMapping, modelXY: Float64Array): Float64Array {
  const p = mapping.modelPerPixel;
  const sx = mapping.originalWidth / mapping.workingWidth;
  const sy = mapping.originalHeight / mapping.workingHeight;
  const out = new Float64Array(modelXY.length);
  for (let i = 0; i < modelXY.length; i += 2) {
    out[i] = (modelXY[i]! / p + mapping.workingWidth / 2) * sx;
    out[i + 1] = (mapping.workingHeight / 2 - modelXY[i + 1]! / p) * sy;
  }
  return out;
}

export function imageToModel(mapping: ImageMapping, imageXY: Float64Array): Float64Array {
  const p = mapping.modelPerPixel;
  const sx = mapping.originalWidth / mapping.workingWidth;
  const sy = mapping.originalHeight / mapping.workingHeight;
  const out = new Float64Array(imageXY.length);
  for (let i = 0; i < imageXY.length; i += 2) {
    out[i] = (imageXY[i]! / sx - mapping.workingWidth / 2) * p;
    out[i + 1] = (mapping.workingHeight / 2 - imageXY[i + 1]! / sy) * p;
  }
  return out;
}

/** Model-space bounding box of the working grid. */
export function modelBounds(mapping: ImageMapping): { xMin: number; xMax: number; yMin: number; yMax: number } {
  const halfW = (mapping.workingWidth / 2) * mapping.modelPerPixel;
  const halfH = (mapping.workingHeight / 2) * mapping.modelPerPixel;
  return { xMin: -halfW, xMax: halfW, yMin: -halfH, yMax: halfH };
}

/**
 * How many original pixels one working pixel spans along the longer side (1 = not reduced).
 * Hosts tell the user when this is large: a 65 535 × 1 strip becomes 512 × 1.
 */
export function reductionFactor(mapping: ImageMapping): number {
  return Math.max(mapping.originalWidth, mapping.originalHeight) / Math.max(mapping.workingWidth, mapping.workingHeight);
}
