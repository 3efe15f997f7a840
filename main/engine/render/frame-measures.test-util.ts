import { colourDistance, type Rgba } from '../../../shared/render/colour.js';
import type { RasterOptions } from '../../../shared/render/raster-options.js';
import { pixelToModel, viewTransform } from '../../../shared/render/view.js';
import { workingPixelIndexAt } from '../image/colour-lookup.js';
import type { ImageDensity } from '../image/density.js';
import { modelBounds } from '../image/mapping.js';

/**
 * How many different hues the drawn pixels hold: 1 − the mean resultant length of their hue
 * angles, weighted by chroma. One hue (however light or dark a point blends) is 0; hues spread
 * evenly round the wheel approach 1. Lightness is left out on purpose: sparse points at a
 * cloud's rim blend paler into the background, which is not a colour of the picture.
 */
export function hueVariety(rgba: Uint8ClampedArray): number {
  let x = 0;
  let y = 0;
  let weight = 0;
  for (let i = 0; i < rgba.length; i += 4) {
    const r = rgba[i]!, g = rgba[i + 1]!, b = rgba[i + 2]!;
    const chroma = Math.max(r, g, b) - Math.min(r, g, b);
    if (chroma < 24) continue;
    const angle = Math.atan2(Math.sqrt(3) * (g - b), 2 * r - g - b);
    x += chroma * Math.cos(angle);
    y += chroma * Math.sin(angle);
    weight += chroma;
  }
  return weight === 0 ? 0 : 1 - Math.hypot(x, y) / weight;
}

/**
 * Ink pixels stand this far (colourDistance, 0..255) from the background: about a tenth of the
 * way to the far end of the scale, clearly not paper, and what a particle drawn in the paper's
 * own colour (issue 8's vanishing particles) never reaches.
 */
export const INK_PIXEL_DISTANCE = 24;

/** Which pixels of an opaque frame are ink: clearly different from the background. */
export function inkMask(rgba: Uint8ClampedArray, background: Rgba): Uint8Array {
  const out = new Uint8Array(rgba.length >> 2);
  for (let i = 0; i < out.length; i++) {
    const o = 4 * i;
    out[i] = colourDistance(rgba[o]!, rgba[o + 1]!, rgba[o + 2]!, background[0], background[1], background[2]) > INK_PIXEL_DISTANCE ? 1 : 0;
  }
  return out;
}

export function count(mask: Uint8Array): number {
  let n = 0;
  for (const m of mask) n += m;
  return n;
}

/**
 * Which frame pixels lie over solid ink of the picture (working pixels with at least a fifth of
 * the peak mass), through the frame's own view: whatever margin or canvas frames the picture.
 */
export function pictureMask(raster: Pick<RasterOptions, 'width' | 'height' | 'view'>, density: ImageDensity): Uint8Array {
  const { width, height, view } = raster;
  const transform = viewTransform(view, width, height);
  const bounds = modelBounds(density.mapping);
  let peak = 0;
  for (const p of density.probabilities) peak = Math.max(peak, p);
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [mx, my] = pixelToModel(transform, x + 0.5, y + 0.5);
      if (mx < bounds.xMin || mx > bounds.xMax || my < bounds.yMin || my > bounds.yMax) continue;
      out[y * width + x] = density.probabilities[workingPixelIndexAt(density.mapping, mx, my)]! > 0.2 * peak ? 1 : 0;
    }
  }
  return out;
}

/** Intersection over union of two masks of one grid. */
export function iou(a: Uint8Array, b: Uint8Array): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    inter += a[i]! & b[i]!;
    union += a[i]! | b[i]!;
  }
  return union === 0 ? 0 : inter / union;
}
