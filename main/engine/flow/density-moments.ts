import type { ImageDensity } from '../image/density.js';
import { pixelCentreToModel } from '../image/mapping.js';

/** Mean and covariance of the mixture's component centres (model space, jitter excluded). */
export interface CentreMoments {
  readonly meanX: number;
  readonly meanY: number;
  readonly covXX: number;
  readonly covXY: number;
  readonly covYY: number;
}

const cache = new WeakMap<ImageDensity, CentreMoments>();

export function centreMoments(density: ImageDensity): CentreMoments {
  const cached = cache.get(density);
  if (cached !== undefined) return cached;
  const { width, height, probabilities, mapping } = density;
  const [x0, y0] = pixelCentreToModel(mapping, 0, 0);
  const p = mapping.modelPerPixel;
  let sw = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let j = 0; j < height; j++) {
    const y = y0 - j * p;
    for (let i = 0; i < width; i++) {
      const w = probabilities[j * width + i]!;
      if (w === 0) continue;
      const x = x0 + i * p;
      sw += w;
      sx += w * x;
      sy += w * y;
      sxx += w * x * x;
      sxy += w * x * y;
      syy += w * y * y;
    }
  }
  const meanX = sx / sw;
  const meanY = sy / sw;
  const moments: CentreMoments = {
    meanX,
    meanY,
    covXX: sxx / sw - meanX * meanX,
    covXY: sxy / sw - meanX * meanY,
    covYY: syy / sw - meanY * meanY,
  };
  cache.set(density, moments);
  return moments;
}
