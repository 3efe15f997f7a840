import { colourDistance, luma, parseHexColour, white, type Rgba } from './colour.js';

/** What the picture sits on, as the density found it (main/engine/image/background.ts). */
export interface PictureBackground {
  /** Opaque: the border's colour, or for a transparent picture the one that sets its ink off. */
  readonly rgba: Rgba;
  /** The picture had no background of its own: it was transparent around its shape. */
  readonly transparent: boolean;
}

/** An output background: a colour, or 'auto', the picture's own. */
export type BackgroundSetting = Rgba | 'auto';

export function outputBackground(setting: BackgroundSetting, picture: PictureBackground | undefined): Rgba {
  return setting === 'auto' ? (picture?.rgba ?? white) : setting;
}

/**
 * The colour the particles must stand out from: the output's, or where the output is
 * transparent, the one the picture sits on (a transparent GIF is still seen on something).
 */
export function backdropOf(output: Rgba, picture: PictureBackground | undefined): Rgba {
  return output[3] >= 128 ? output : (picture?.rgba ?? white);
}

/**
 * The least colourDistance a particle keeps from its backdrop. Measured on faint-text
 * (#d4d4d4 on #f6f6f6, 34 apart): at 64 the letters read clearly at 0.85 opacity and 1.6 px
 * points, while darker inks are left exactly as they are.
 */
export const MIN_INK_CONTRAST = 64;

/**
 * Colours (RGBA, 4 bytes each) moved just far enough from the backdrop to be seen: first
 * further along their own difference from it (a pale blue becomes a clearer blue), then, where
 * the gamut stops that, toward black on a light backdrop or white on a dark one. Colours
 * already clear of it are unchanged. So no particle is drawn in the background's colour.
 */
export function standOut(colours: Uint8ClampedArray, backdrop: Rgba, min = MIN_INK_CONTRAST): Uint8ClampedArray {
  const out = Uint8ClampedArray.from(colours);
  const [br, bg, bb] = backdrop;
  const far = luma(backdrop) >= 128 ? 0 : 255;
  for (let i = 0; i < out.length; i += 4) {
    const r = out[i]!, g = out[i + 1]!, b = out[i + 2]!;
    const d = colourDistance(r, g, b, br, bg, bb);
    if (d >= min) continue;
    // Along the colour's own difference, clamped to the gamut.
    const k = d > 1 ? min / d : 1;
    let r1 = clamp(br + (r - br) * k), g1 = clamp(bg + (g - bg) * k), b1 = clamp(bb + (b - bb) * k);
    if (colourDistance(r1, g1, b1, br, bg, bb) < min - 0.5) {
      // Then toward the far end of the grey scale: the least mix s that is clear enough.
      let lo = 0;
      let hi = 1;
      for (let step = 0; step < 12; step++) {
        const s = (lo + hi) / 2;
        const d2 = colourDistance(r1 + s * (far - r1), g1 + s * (far - g1), b1 + s * (far - b1), br, bg, bb);
        if (d2 >= min) hi = s;
        else lo = s;
      }
      r1 += hi * (far - r1);
      g1 += hi * (far - g1);
      b1 += hi * (far - b1);
    }
    out[i] = r1;
    out[i + 1] = g1;
    out[i + 2] = b1;
  }
  return out;
}

/** standOut for one colour. */
export function standOutColour(colour: Rgba, backdrop: Rgba, min = MIN_INK_CONTRAST): Rgba {
  const [r, g, b, a] = standOut(Uint8ClampedArray.from(colour), backdrop, min);
  return [r!, g!, b!, a!];
}

function clamp(x: number): number {
  return x < 0 ? 0 : x > 255 ? 255 : x;
}

/** The background names the CLI and the app offer, besides 'auto' and any #RRGGBB[AA]. */
export const namedBackgrounds: Readonly<Record<'white' | 'black' | 'transparent', Rgba>> = Object.freeze({
  white: Object.freeze([255, 255, 255, 255]) as Rgba,
  black: Object.freeze([0, 0, 0, 255]) as Rgba,
  transparent: Object.freeze([0, 0, 0, 0]) as Rgba,
});

/** 'auto', a name of namedBackgrounds, or a hex colour; undefined when it is none of these. */
export function parseBackground(text: string): BackgroundSetting | undefined {
  const word = text.trim().toLowerCase();
  if (word === 'auto') return 'auto';
  if (Object.hasOwn(namedBackgrounds, word)) return namedBackgrounds[word as keyof typeof namedBackgrounds];
  return parseHexColour(word);
}
