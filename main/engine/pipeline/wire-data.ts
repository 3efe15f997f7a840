import type { ImageInfo, TrajectoryData } from '../../../shared/ipc/contract.js';
import type { ImageDensity } from '../image/density.js';
import { coloursAt } from '../image/colour-lookup.js';
import { modelBounds } from '../image/mapping.js';
import type { Trajectory } from '../render/trajectory.js';

/**
 * The engine's objects packed as the contract's plain data: flat typed arrays that cross a
 * process or a socket as raw bytes.
 */

/**
 * The target density as a picture, mass dark on white. A square root lifts faint strokes so
 * a threshold's effect is visible before it removes them.
 */
export function densityPreview(density: ImageDensity): ImageInfo['densityPreview'] {
  const { width, height, probabilities } = density;
  let max = 0;
  for (const p of probabilities) if (p > max) max = p;
  const rgba = new Uint8Array(4 * width * height);
  for (let i = 0; i < probabilities.length; i++) {
    const grey = max > 0 ? Math.round(255 * (1 - Math.sqrt(probabilities[i]! / max))) : 255;
    rgba[4 * i] = grey;
    rgba[4 * i + 1] = grey;
    rgba[4 * i + 2] = grey;
    rgba[4 * i + 3] = 255;
  }
  return { width, height, rgba };
}

export function imageInfo(imageId: string, density: ImageDensity, path: string | undefined, name: string): ImageInfo {
  return {
    imageId,
    name,
    path,
    originalWidth: density.mapping.originalWidth,
    originalHeight: density.mapping.originalHeight,
    bounds: modelBounds(density.mapping),
    density: { mass: density.options.mass, threshold: density.options.threshold },
    background: density.background,
    densityPreview: densityPreview(density),
  };
}

/**
 * The trajectory's own level buffers (already the wire layout, K × particles × 2: no copy), each
 * particle's ink where it lands, and the picture's mean ink and background.
 */
export function trajectoryData(trajectory: Trajectory, density: ImageDensity): TrajectoryData {
  const colours = coloursAt(density, Float64Array.from(trajectory.end));
  return {
    particles: trajectory.particles,
    times: trajectory.times,
    positions: trajectory.positions,
    velocities: trajectory.velocities,
    imageColours: new Uint8Array(colours.buffer, colours.byteOffset, colours.byteLength),
    inkColour: density.inkColour,
    background: density.background,
    bounds: modelBounds(density.mapping),
  };
}
