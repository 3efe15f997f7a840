/**
 * Playback easings: a map from playback progress u ∈ [0, 1] to flow time t ∈ [0, 1], fixed at
 * both ends and monotonic, so every easing starts at noise and ends at the picture.
 */
export type Easing = 'linear' | 'ease-in-out' | 'ease-in' | 'ease-out' | 'smoothstep';

export const easings: readonly Easing[] = Object.freeze(['linear', 'ease-in-out', 'ease-in', 'ease-out', 'smoothstep']);

export function isEasing(value: unknown): value is Easing {
  return typeof value === 'string' && (easings as readonly string[]).includes(value);
}

// Cubics rather than quadratics: the flow changes little near t = 0 and t = 1 anyway, and the
// stronger curve is what makes the arrival of the picture visibly "settle".
const functions: Readonly<Record<Easing, (u: number) => number>> = {
  linear: (u) => u,
  'ease-in': (u) => u * u * u,
  'ease-out': (u) => 1 - (1 - u) ** 3,
  'ease-in-out': (u) => (u < 0.5 ? 4 * u * u * u : 1 - (2 - 2 * u) ** 3 / 2),
  smoothstep: (u) => u * u * (3 - 2 * u),
};

/** u is clamped, so callers may step a little past the ends without leaving [0, 1]. */
export function ease(easing: Easing, u: number): number {
  const clamped = u <= 0 ? 0 : u >= 1 ? 1 : u;
  return functions[easing](clamped);
}
