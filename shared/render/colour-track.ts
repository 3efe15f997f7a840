import { inkFormWeight } from './particle-colours.js';

/**
 * Particle colours along a sequence's track (τ ∈ [0, 1], main/engine/render/sequence-scene.ts):
 * a few palettes (RGBA per particle: the noise's, each picture's own) and spans of τ that
 * blend one into another. Plain data, so frame workers draw the colours the main thread would.
 */
export interface ColourTrack {
  readonly palettes: readonly Uint8ClampedArray[];
  /** Increasing, together covering [0, 1]; a τ between two spans takes the earlier's end. */
  readonly spans: readonly ColourSpan[];
}

/**
 * 'form': as a single flow's ink arrives (inkFormWeight over the span), so a picture's colours
 * come with its shape; 'unform': the same played backwards, as a picture dissolves.
 */
export type ColourCurve = 'linear' | 'form' | 'unform';

export interface ColourSpan {
  readonly start: number;
  readonly end: number;
  /** Indices into palettes. */
  readonly from: number;
  readonly to: number;
  readonly curve: ColourCurve;
}

function weightOf(curve: ColourCurve, u: number): number {
  if (curve === 'form') return inkFormWeight(u);
  if (curve === 'unform') return 1 - inkFormWeight(1 - u);
  return u;
}

/** Each frame's particle colours at τ; reuses one buffer, so copy before keeping. */
export function coloursOfTrack(track: ColourTrack): (tau: number) => Uint8ClampedArray {
  const { palettes, spans } = track;
  if (spans.length === 0) throw new RangeError('A colour track needs at least one span.');
  const out = new Uint8ClampedArray(palettes[0]?.length ?? 0);
  return (tau) => {
    let i = 0;
    while (i + 1 < spans.length && spans[i + 1]!.start <= tau) i++;
    const span = spans[i]!;
    const u = span.end > span.start ? Math.min(1, Math.max(0, (tau - span.start) / (span.end - span.start))) : 1;
    const w = weightOf(span.curve, u);
    const from = palettes[span.from]!;
    const to = palettes[span.to]!;
    if (span.from === span.to || w <= 0) return from;
    if (w >= 1) return to;
    for (let k = 0; k < out.length; k++) out[k] = from[k]! + w * (to[k]! - from[k]!);
    return out;
  };
}

/** A palette of n particles all of one colour: the noise's cloud in the 'ink' colour mode. */
export function uniformPalette(n: number, colour: readonly [number, number, number, number]): Uint8ClampedArray {
  const out = new Uint8ClampedArray(4 * n);
  for (let i = 0; i < out.length; i += 4) out.set(colour, i);
  return out;
}
