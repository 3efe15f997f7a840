/**
 * Text as the picture (issue 11): what every host may ask for. The engine renders it with a
 * bundled font (main/engine/image/text-picture.ts), so the same words give the same picture on
 * every OS.
 */
export type TextWeight = 'regular' | 'bold';

export const textWeights: readonly TextWeight[] = Object.freeze(['regular', 'bold']);

/** Bold by default: text here is mostly a logo or a word, and thick strokes hold more ink. */
export const DEFAULT_TEXT_WEIGHT: TextWeight = 'bold';

/** The font families FlowGIF ships (resources/fonts); the first is the default. */
export const bundledFontFamilies: readonly string[] = Object.freeze(['Inter']);

/**
 * Characters, counted as code points. A picture of a few hundred pixels holds a few lines of
 * words; beyond this each letter would be a blur of a few pixels.
 */
export const MAX_TEXT_CHARACTERS = 200;

export function isTextWeight(value: unknown): value is TextWeight {
  return textWeights.includes(value as TextWeight);
}
