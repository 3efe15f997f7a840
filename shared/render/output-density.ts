/**
 * How many particles, and how large, make an output of a given size look as solid as the
 * 512 px default. Ink coverage goes with particles × dot area / output area, so keeping that
 * product fixed keeps the look; the split between count and dot size is a matter of cost.
 */

/** The look every other size is matched to: today's defaults at 512 px. */
export const REFERENCE_SIZE = 512;
export const REFERENCE_PARTICLES = 60_000;
export const REFERENCE_POINT_SIZE = 1.6;

/**
 * Particles grow with the output's area up to this many; dots grow beyond it. Solving the paths
 * is linear in particles and dominates an export's cost (DESIGN §3), and the stored paths hold
 * 272 bytes a particle (trajectory.ts): 200 000 is ≈ 3.3× the 512 px solve and 54 MB, reached at
 * ≈ 935 px. Measured on the shared 2-core build machine (/usr/bin/time), `make flowgif-mark.png`:
 * 10.5 s and 224 MB peak at 512 px, 35 s and 356 MB at --size 1080 (the paths ≈ 5 s of it; the
 * rest is drawing and encoding 4.4× the pixels).
 */
export const AUTO_PARTICLES_CAP = 200_000;

export interface OutputDensity {
  readonly particles: number;
  /** Dot diameter in output pixels. */
  readonly pointSize: number;
}

/**
 * The automatic particle count and dot size for an output whose long side is `size` px. With
 * `particles` (the user's own count) the dot is the one for that count: more particles than the
 * automatic count get dots that much smaller, so the ink stays as solid as at 512 px instead of
 * piling up (1 000 000 at 1920 px would be 4× over-inked at the automatic 3.29 px, its wave and
 * bubbles merged into one blob). Fewer keep the automatic dot: a sparse cloud stays a cloud of
 * dots rather than of blots.
 */
export function outputDensityFor(size: number, particles?: number): OutputDensity {
  // At and below the reference size nothing changes: smaller outputs were already at least as
  // solid, and fewer particles would draw fewer of the working picture's pixels.
  const area = Math.max(1, (size / REFERENCE_SIZE) ** 2);
  const wanted = REFERENCE_PARTICLES * area;
  const automatic = Math.round(Math.min(AUTO_PARTICLES_CAP, Math.max(REFERENCE_PARTICLES, wanted)));
  const drawn = particles !== undefined && particles > automatic ? particles : automatic;
  // Coverage ∝ particles · pointSize² / size²: the dot makes up what the count cannot.
  const pointSize = REFERENCE_POINT_SIZE * Math.sqrt(wanted / drawn);
  return { particles: automatic, pointSize: Math.round(pointSize * 100) / 100 };
}

/**
 * The dot size that gives `particles` dots at `size` px the coverage of `reference` drawn at its
 * own size: the preview, drawing fewer particles on a screen-sized canvas, looks like the export.
 */
export function coverageMatchedPointSize(reference: { size: number; particles: number; pointSize: number }, size: number, particles: number): number {
  return reference.pointSize * (size / reference.size) * Math.sqrt(reference.particles / Math.max(1, particles));
}
