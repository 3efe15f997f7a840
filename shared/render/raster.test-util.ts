import type { Rgba } from './colour.js';
import { defaultRasterStyle, type RasterOptions } from './raster-options.js';

/**
 * 64 × 64 output over model [-4, 4]²: 8 px per model unit, so model (x, y) lands on pixel
 * coordinates (32 + 8x, 32 − 8y), and pixel (i, j) has its centre at (i + 0.5, j + 0.5).
 */
export function testOptions(overrides: Partial<RasterOptions> = {}): RasterOptions {
  return {
    ...defaultRasterStyle,
    width: 64,
    height: 64,
    view: { centreX: 0, centreY: 0, halfExtent: 4 },
    background: [0, 0, 0, 255],
    opacity: 1,
    colour: [255, 255, 255, 255],
    ...overrides,
  };
}

/** Model coordinates of output pixel coordinates (px, py) under testOptions' default view. */
export function at(px: number, py: number): [number, number] {
  return [(px - 32) / 8, (32 - py) / 8];
}

/** Σ of one channel / 255 and its intensity-weighted centroid in pixel coordinates. */
export function channelMoments(image: Uint8ClampedArray, width: number, channel = 0): { sum: number; cx: number; cy: number; vx: number; vy: number } {
  let sum = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  for (let p = 0; p < image.length / 4; p++) {
    const v = image[4 * p + channel]! / 255;
    if (v === 0) continue;
    const x = (p % width) + 0.5;
    const y = Math.floor(p / width) + 0.5;
    sum += v;
    sx += v * x;
    sy += v * y;
    sxx += v * x * x;
    syy += v * y * y;
  }
  const cx = sx / sum;
  const cy = sy / sum;
  return { sum, cx, cy, vx: sxx / sum - cx * cx, vy: syy / sum - cy * cy };
}

export function pixel(image: Uint8ClampedArray, width: number, x: number, y: number): Rgba {
  const o = 4 * (y * width + x);
  return [image[o]!, image[o + 1]!, image[o + 2]!, image[o + 3]!];
}
