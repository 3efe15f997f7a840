/**
 * The shapes of the source noise a flow starts from at t = 0 (DESIGN §2 "Diagonal Gaussian
 * source"): 'fitted' spreads each axis in proportion to the picture's extent along it, so a
 * wide picture's cloud stays inside its frame; 'round' is the seed's N(0, I).
 */
export const NOISE_SHAPES = ['fitted', 'round'] as const;
export type NoiseShape = (typeof NOISE_SHAPES)[number];
export const DEFAULT_NOISE_SHAPE: NoiseShape = 'fitted';
