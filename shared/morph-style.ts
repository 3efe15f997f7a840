/**
 * How one picture becomes the next in a morph or a sequence (main/engine/render/sequence-scene.ts):
 * 'direct', each particle along a straight line from where it sits in one picture to where the
 * transport map sends it in the next; 'dissolve', back through the noise, one picture's flow in
 * reverse and then the next one's.
 */
export const morphStyles = ['direct', 'dissolve'] as const;
export type MorphStyle = (typeof morphStyles)[number];

export const DEFAULT_MORPH_STYLE: MorphStyle = 'direct';

export function isMorphStyle(value: unknown): value is MorphStyle {
  return typeof value === 'string' && (morphStyles as readonly string[]).includes(value);
}

/** The most pictures one morph or sequence takes: each is a solve and a share of the memory. */
export const MAX_SEQUENCE_PICTURES = 12;
