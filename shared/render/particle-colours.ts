import { FlowGifError } from '../errors.js';
import { hslToRgbInto, type Rgba } from './colour.js';

export type ParticleColourMode = 'image' | 'solid' | 'angle';

export const particleColourModes: readonly ParticleColourMode[] = Object.freeze(['image', 'solid', 'angle']);

export interface ParticleColourSources {
  /** Interleaved model-space positions at t = 0; needed by 'angle'. */
  readonly start?: Float32Array | Float64Array;
  /** RGBA per particle of the picture where it lands (the engine looks them up); needed by 'image'. */
  readonly imageColours?: Uint8Array | Uint8ClampedArray;
  /** For 'solid'; default white. */
  readonly solid?: Rgba;
  /** For 'angle', 0..1; default 0.8. */
  readonly saturation?: number;
  /** For 'angle', 0..1; default 0.6. */
  readonly lightness?: number;
}

/**
 * RGBA per particle, fixed for the whole animation, so a particle keeps its colour as it
 * flows. 'angle' colours each particle by the direction it starts in (atan2(y0, x0)) around a
 * full hue circle: the noise is a colour wheel and the picture shows where each hue went.
 */
export function particleColours(mode: ParticleColourMode, n: number, sources: ParticleColourSources = {}): Uint8ClampedArray {
  if (!Number.isInteger(n) || n < 0) throw invalid(`The particle count must be a whole number ≥ 0 (got ${n}).`);
  const out = new Uint8ClampedArray(4 * n);
  switch (mode) {
    case 'image': {
      const image = sources.imageColours;
      if (image === undefined) throw invalid("Colour mode 'image' needs the picture's colour for each particle.");
      if (image.length < 4 * n) throw invalid(`Got ${Math.floor(image.length / 4)} image colours for ${n} particles.`);
      out.set(image.subarray(0, 4 * n));
      return out;
    }
    case 'solid': {
      const [r, g, b, a] = sources.solid ?? [255, 255, 255, 255];
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

function unit(value: number, name: string): number {
  if (!(value >= 0 && value <= 1)) throw invalid(`${name} must be from 0 to 1 (got ${value}).`);
  return value;
}

function invalid(message: string): FlowGifError {
  return new FlowGifError('INVALID_ARGUMENT', message);
}
