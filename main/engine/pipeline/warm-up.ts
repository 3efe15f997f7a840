import type { JobContext } from '../../../shared/job.js';
import { DEFAULT_NOISE_SHAPE } from '../../../shared/noise.js';
import { syntheticDensity } from '../flow/bundled-samples.js';
import { prepareImageFlow } from './flow-source.js';
import { previewFlow } from './preview-flow.js';

/** A ring beside a bar on a 160 × 128 grid: mass on and off the pixel grid, a fitted source that is not round. */
const WARM_UP_PICTURE = { width: 160, height: 128 } as const;
const WARM_UP_PARTICLES = 2_000;

/**
 * A fresh engine process runs its first picture's exact flow and preview with cold code: V8
 * compiles the blur's and the solver's loops while they run. This runs the same path once on
 * a small picture drawn here, so the user's first picture meets compiled code. Scratch runs,
 * flowgif-mark.png in a fresh process, five each: exact flow 0.84 s and first preview 0.27 s
 * (means) cold, 0.58 s and 0.21 s after this (which itself took 0.37–0.58 s). The caller aborts
 * it as soon as real work arrives, so it never delays any.
 */
export async function warmUpEngine(ctx: JobContext): Promise<void> {
  const { width, height } = WARM_UP_PICTURE;
  const density = syntheticDensity(width, height, (i, j) => {
    const ring = Math.abs(Math.hypot(i - 50, j - 64) - 30) < 8 ? 1 : 0;
    const bar = i > 100 && i < 140 && j > 20 && j < 108 ? 0.5 : 0;
    return ring + bar;
  });
  const field = await prepareImageFlow(density, DEFAULT_NOISE_SHAPE, ctx);
  try {
    await previewFlow({ field, density, model: undefined }, { particles: WARM_UP_PARTICLES, seed: 0 }, ctx);
  } finally {
    field.dispose();
  }
}
