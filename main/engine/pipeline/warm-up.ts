import type { JobContext } from '../../../shared/job.js';
import { DEFAULT_NOISE_SHAPE } from '../../../shared/noise.js';
import { syntheticDensity } from '../flow/bundled-samples.js';
import { prepareImageFlow } from './flow-source.js';
import { MIN_PARTICLES_PER_THREAD } from '../render/trajectory-workers.js';
import { previewFlow } from './preview-flow.js';

/**
 * A ring beside a bar, square: mass on and off the pixel grid. Square because a 160 × 128 one
 * left the mark's blur about as slow as cold (× 0.84 against × 0.70 of cold, `npm run bench --
 * --only first picture`): V8 compiles for the shapes it has seen, and most logos are square.
 */
const WARM_UP_PICTURE = { width: 128, height: 128 } as const;
/** Two chunks, so both kept solver threads (threads/solver-threads.ts) compile the solver too. */
const WARM_UP_PARTICLES = 2 * MIN_PARTICLES_PER_THREAD;

/**
 * A fresh engine process runs its first picture's exact flow and preview with cold code: V8
 * compiles the blur's and the solver's loops while they run. This runs the same path once on
 * a small picture drawn here, so the user's first picture meets compiled code and solver threads
 * already started: the bundled mark's exact flow and first preview take 0.52 of their cold time
 * after it (BENCHMARKS.md, "The first picture in a fresh engine"). The caller aborts it as soon
 * as real work arrives, so it never delays any.
 */
export async function warmUpEngine(ctx: JobContext): Promise<void> {
  const { width, height } = WARM_UP_PICTURE;
  const density = syntheticDensity(width, height, (i, j) => {
    const ring = Math.abs(Math.hypot(i - 50, j - 64) - 30) < 8 ? 1 : 0;
    const bar = i > 92 && i < 120 && j > 20 && j < 108 ? 0.5 : 0;
    return ring + bar;
  });
  const field = await prepareImageFlow(density, DEFAULT_NOISE_SHAPE, ctx);
  try {
    await previewFlow({ field, density, model: undefined }, { particles: WARM_UP_PARTICLES, seed: 0 }, ctx);
  } finally {
    field.dispose();
  }
}
