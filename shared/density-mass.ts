/**
 * What carries a picture's mass. 'auto': distance from the picture's own background (its
 * border's colour, or transparency), so dark-on-light, light-on-dark and ink on a coloured card
 * all work unasked. 'dark' and 'light' force the luma weights (255 − L, or L).
 */
export type DensityMass = 'auto' | 'dark' | 'light';

export const densityMasses: readonly DensityMass[] = Object.freeze(['auto', 'dark', 'light']);

export function isDensityMass(value: unknown): value is DensityMass {
  return densityMasses.includes(value as DensityMass);
}
