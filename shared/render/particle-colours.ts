import { FlowGifError } from '../errors.js';
import { hslToRgbInto, type Rgba } from './colour.js';
import { standOut, standOutColour } from './picture-background.js';

/**
 * 'ink' (the default): a cloud of one colour, the picture's mean, each particle taking its own
 * colour as the picture forms. 'image': every particle in its own colour from the first frame.
 */
export type ParticleColourMode = 'ink' | 'image' | 'solid' | 'angle';

export const particleColourModes: readonly ParticleColourMode[] = Object.freeze(['ink', 'image', 'solid', 'angle']);

export interface ParticleColourSources {
  /** Interleaved model-space positions at t = 0; needed by 'angle'. */
  readonly start?: Float32Array | Float64Array;
  /** RGBA per particle of the picture where it lands (the engine looks them up); needed by 'ink' and 'image'. */
  readonly imageColours?: Uint8Array | Uint8ClampedArray;
  /** For 'solid'; default white. */
  readonly solid?: Rgba;
  /** For 'angle', 0..1; default 0.8. */
  readonly saturation?: number;
  /** For 'angle', 0..1; default 0.6. */
  readonly lightness?: number;
  /**
   * What the particles are drawn on (picture-background.ts backdropOf). When given, the
   * picture's and the solid colours are moved just far enough from it to be seen (standOut).
   */
  readonly backdrop?: Rgba;
}

/**
 * RGBA per particle, each particle's own colour: for 'ink' the colour it takes once the
 * picture has formed (particleColoursAt gives any frame's). 'angle' colours each particle by the direction it starts in (atan2(y0, x0)) around a
 * full hue circle: the noise is a colour wheel and the picture shows where each hue went.
 */
export function particleColours(mode: ParticleColourMode, n: number, sources: ParticleColourSources = {}): Uint8ClampedArray {
  if (!Number.isInteger(n) || n < 0) throw invalid(`The particle count must be a whole number ≥ 0 (got ${n}).`);
  const out = new Uint8ClampedArray(4 * n);
  switch (mode) {
    case 'ink':
    case 'image': {
      const image = sources.imageColours;
      if (image === undefined) throw invalid(`Colour mode '${mode}' needs the picture's colour for each particle.`);
      if (image.length < 4 * n) throw invalid(`Got ${Math.floor(image.length / 4)} image colours for ${n} particles.`);
      out.set(image.subarray(0, 4 * n));
      return sources.backdrop === undefined ? out : standOut(out, sources.backdrop);
    }
    case 'solid': {
      const solid = sources.solid ?? [255, 255, 255, 255];
      const [r, g, b, a] = sources.backdrop === undefined ? solid : standOutColour(solid, sources.backdrop);
      for (let i = 0; i < 4 * n; i += 4) {
        out[i] = r;
        out[i + 1] = g;
        out[i + 2] = b;
        out[i + 3] = a;
      }
      return out;
    }
    case 'angle': {
      const start = sources.start;
      if (start === undefined) throw invalid("Colour mode 'angle' needs the particles' starting positions.");
      if (start.length < 2 * n) throw invalid(`Got ${start.length >> 1} starting positions for ${n} particles.`);
      const s = unit(sources.saturation ?? 0.8, 'saturation');
      const l = unit(sources.lightness ?? 0.6, 'lightness');
      for (let i = 0; i < n; i++) {
        // atan2 of (0, 0) is 0: a particle starting at the origin simply gets red.
        const turns = Math.atan2(start[2 * i + 1]!, start[2 * i]!) / (2 * Math.PI);
        hslToRgbInto(turns, s, l, out, 4 * i);
        out[4 * i + 3] = 255;
      }
      return out;
    }
    default:
      throw invalid(`Unknown colour mode ${String(mode)}; use one of ${particleColourModes.join(', ')}.`);
  }
}

/**
 * Where along the flow a particle's own colour takes over from the cloud's, 0 → 1. Measured on
 * the bundled samples (frames at t = 0.5, 0.7, 0.9): the shapes are readable from about t = 0.6
 * and sharp by 0.9, so the colours arrive with the shapes, not before them.
 */
export const INK_FORM_START = 0.55;
export const INK_FORM_END = 0.95;

export function inkFormWeight(t: number): number {
  const x = Math.min(1, Math.max(0, (t - INK_FORM_START) / (INK_FORM_END - INK_FORM_START)));
  return x * x * (3 - 2 * x);
}

/**
 * The colours to draw at flow time t, given each particle's own (particleColours). Only 'ink'
 * changes with t: from one colour, `cloud` (the picture's mean ink; the mean of the particles'
 * own when not given), so the noise holds no picture, to each particle's own. The export and
 * the preview both draw through this.
 */
export function particleColoursAt(mode: ParticleColourMode, cloud?: Rgba): (own: Uint8ClampedArray, t: number) => Uint8ClampedArray {
  if (mode !== 'ink') return (own) => own;
  let source: Uint8ClampedArray | undefined;
  let mean: [number, number, number, number] = [0, 0, 0, 0];
  let out = new Uint8ClampedArray(0);
  return (own, t) => {
    if (source !== own) {
      source = own;
      mean = cloud === undefined ? meanColour(own) : [cloud[0], cloud[1], cloud[2], cloud[3]];
      out = new Uint8ClampedArray(own.length);
    }
    const w = inkFormWeight(t);
    if (w >= 1) return own;
    if (w <= 0 && out.byteOffset % 4 === 0) {
      // All the cloud's colour (the first half of the flow): one word, copied natively, holding
      // exactly the bytes the blend below would store for w = 0.
      const cloudBytes = Uint8ClampedArray.of(mean[0], mean[1], mean[2], mean[3]);
      new Uint32Array(out.buffer, out.byteOffset, out.length >> 2).fill(new Uint32Array(cloudBytes.buffer)[0]!);
      return out;
    }
    for (let i = 0; i < own.length; i += 4) {
      out[i] = mean[0] + w * (own[i]! - mean[0]);
      out[i + 1] = mean[1] + w * (own[i + 1]! - mean[1]);
      out[i + 2] = mean[2] + w * (own[i + 2]! - mean[2]);
      out[i + 3] = mean[3] + w * (own[i + 3]! - mean[3]);
    }
    return out;
  };
}

function meanColour(colours: Uint8ClampedArray): [number, number, number, number] {
  const n = colours.length >> 2;
  if (n === 0) return [0, 0, 0, 255];
  const sum = [0, 0, 0, 0];
  for (let i = 0; i < colours.length; i += 4) for (let k = 0; k < 4; k++) sum[k]! += colours[i + k]!;
  return [sum[0]! / n, sum[1]! / n, sum[2]! / n, sum[3]! / n];
}

function unit(value: number, name: string): number {
  if (!(value >= 0 && value <= 1)) throw invalid(`${name} must be from 0 to 1 (got ${value}).`);
  return value;
}

function invalid(message: string): FlowGifError {
  return new FlowGifError('INVALID_ARGUMENT', message);
}
