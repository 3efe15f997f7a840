import { colourDistance, type Rgba } from '../../../shared/render/colour.js';
import type { PictureBackground } from '../../../shared/render/picture-background.js';
import { detectBackground, type DetectedBackground, type Rgb } from './background.js';
import type { DensityOptions } from './density.js';
import { unmixInk } from './ink.js';

export interface WeighedPixels {
  /** Probability of each pixel (sums to 1 when keptMass > 0). */
  readonly probabilities: Float64Array;
  /** Each pixel's ink: its colour with coverage undone, opaque RGBA. */
  readonly colours: Uint8ClampedArray;
  /** Before the threshold, thousandths of a 0..255 level: 0 means the picture holds nothing. */
  readonly rawMass: number;
  readonly keptMass: number;
  readonly detected: DetectedBackground;
  readonly background: PictureBackground;
}

const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];

/**
 * Mass and ink of straight RGBA pixels. Mass is how far a pixel's colour is from the picture's
 * background, times its alpha: with 'auto' the background the border shows (or transparency),
 * with 'dark'/'light' white/black by luma, FFJORD's 255 − L (or L). Weights are in thousandths
 * of a level and the luma ones exact integers, so white keeps no sliver of mass.
 */
export function weighPixels(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, options: DensityOptions): WeighedPixels {
  const pixels = width * height;
  const detected = detectBackground(rgba, width, height);
  const clear = detected.kind === 'opaque' && detected.clear ? detected : undefined;
  const mass = options.mass === 'auto' && detected.kind === 'opaque' && clear === undefined ? 'dark' : options.mass;
  const lightBackground = clear !== undefined && lumaOf(clear.colour) >= 128;

  const weights = new Float64Array(pixels);
  for (let i = 0, o = 0; i < pixels; i++, o += 4) {
    const r = rgba[o]!, g = rgba[o + 1]!, b = rgba[o + 2]!, a = rgba[o + 3]!;
    let weight: number;
    if (mass === 'dark') weight = 255000 - (299 * r + 587 * g + 114 * b);
    else if (mass === 'light') weight = 299 * r + 587 * g + 114 * b;
    else if (clear === undefined) weight = 255000;
    else weight = 1000 * Math.max(0, colourDistance(r, g, b, clear.colour[0], clear.colour[1], clear.colour[2]) - clear.noise);
    weights[i] = a === 255 ? weight : (weight * a) / 255;
  }

  // Undo anti-aliasing against a background the ink was drawn on; a transparent picture's
  // straight RGB is already the colour before compositing; a photo's colours are its own.
  const unmixAgainst =
    clear === undefined ? undefined : mass === 'auto' ? clear.colour : mass === 'dark' ? (lightBackground ? clear.colour : undefined) : lightBackground ? undefined : clear.colour;
  const colours = unmixAgainst === undefined ? opaqueCopy(rgba, pixels) : unmixInk(rgba, width, height, unmixAgainst);

  const probabilities = new Float64Array(pixels);
  const cut = Math.round(options.threshold * 1000);
  let rawMass = 0;
  let keptMass = 0;
  for (let i = 0; i < pixels; i++) {
    const w = weights[i]!;
    rawMass += w;
    if (w > cut) {
      probabilities[i] = w;
      keptMass += w;
    }
  }
  if (keptMass > 0) for (let i = 0; i < pixels; i++) probabilities[i]! /= keptMass;

  let sits: Rgb;
  if (detected.kind === 'transparent') sits = lumaOf(meanInk(colours, probabilities)) > 127.5 ? BLACK : WHITE;
  else if (mass === 'auto') sits = clear!.colour;
  else if (mass === 'dark') sits = lightBackground ? clear!.colour : WHITE;
  else sits = clear !== undefined && !lightBackground ? clear.colour : BLACK;
  const background: PictureBackground = { rgba: [...sits.map(Math.round), 255] as unknown as Rgba, transparent: detected.kind === 'transparent' };
  return { probabilities, colours, rawMass, keptMass, detected, background };
}

/** Mass-weighted mean of RGBA colours: the picture's one ink colour. */
export function meanInk(colours: Uint8ClampedArray, probabilities: Float64Array): Rgb {
  let r = 0, g = 0, b = 0, total = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    if (p === 0) continue;
    r += p * colours[4 * i]!;
    g += p * colours[4 * i + 1]!;
    b += p * colours[4 * i + 2]!;
    total += p;
  }
  return total > 0 ? [r / total, g / total, b / total] : [0, 0, 0];
}

function opaqueCopy(rgba: Uint8Array | Uint8ClampedArray, pixels: number): Uint8ClampedArray {
  const out = Uint8ClampedArray.from(rgba.subarray(0, 4 * pixels));
  for (let i = 3; i < out.length; i += 4) out[i] = 255;
  return out;
}

function lumaOf(c: Rgb): number {
  return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
}
