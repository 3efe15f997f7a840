import type { JobContext } from '../../../shared/job.js';
import { createRandom } from '../../../shared/random.js';
import type { BlurLevel } from '../flow/blur-level.js';
import type { ExactFlow, ExactFlowOptions } from '../flow/exact-flow.js';
import { sampleNoise } from '../flow/noise-source.js';
import type { AsyncVelocityField, VelocityField } from '../flow/velocity-field.js';
import type { ImageDensity } from '../image/density.js';
import {
  assertParticleCount,
  computeTrajectory,
  levelArrays,
  solvePlan,
  solveSteps,
  trajectoryOf,
  type SolvePlan,
  type Trajectory,
  type TrajectoryOptions,
} from './trajectory.js';
import { solverThreads } from '../threads/solver-threads.js';

/** What a trajectory worker solves: its chunk's start points, written at particle `first`. */
export interface SolveJob {
  readonly density: ImageDensity;
  readonly flowOptions: ExactFlowOptions;
  /** The flow's built levels, never blurred again: shared memory where prepareExactFlow built them, else a copy. */
  readonly levels: readonly BlurLevel[];
  readonly noise: Float64Array;
  readonly plan: SolvePlan;
  readonly into: { readonly positions: Float32Array; readonly velocities: Float32Array; readonly particles: number; readonly first: number };
}

/**
 * Below this many particles a chunk's share of handing it to a kept thread outweighs it: the
 * preview's 6 000-particle first pass took 30–37 ms on two threads against 62–72 ms on one
 * (BENCHMARKS.md, "The app's preview in the engine").
 */
export const MIN_PARTICLES_PER_THREAD = 3_000;

/**
 * A trajectory solved on `threads` kept solver threads, each a contiguous chunk of particles, into
 * shared levels: the bits of computeTrajectory, since with fixed steps every particle's path is
 * its own. Trained flows (their sessions and tensors stay on this thread), an adaptive dopri5
 * solve (whose steps the whole batch sets) and small batches are solved here instead.
 */
export async function solveTrajectory(
  field: VelocityField | AsyncVelocityField,
  options: TrajectoryOptions,
  threads: number,
  ctx: JobContext,
): Promise<Trajectory> {
  const chunks = Math.min(threads, Math.floor(options.particles / MIN_PARTICLES_PER_THREAD));
  const plan = field.kind === 'exact' && chunks >= 2 ? solvePlan(options) : undefined;
  if (plan === undefined || plan.adaptive) return computeTrajectory(field, options, ctx);
  return solveInWorkers(field as ExactFlow, options, plan, chunks, ctx);
}

async function solveInWorkers(field: ExactFlow, options: TrajectoryOptions, plan: SolvePlan, chunks: number, ctx: JobContext): Promise<Trajectory> {
  const { particles, seed } = options;
  assertParticleCount(particles);
  ctx.signal.throwIfAborted();
  // Drawn here, in one sequence, so the particles are the serial solve's whatever the chunking.
  const noise = sampleNoise(field.source, particles, createRandom(seed));
  const arrays = levelArrays(plan.times.length, particles, true);
  const total = solveSteps(plan);
  const done = new Array<number>(chunks).fill(0);
  ctx.progress({ stage: 'integrate', done: 0, total });
  const nfes = await solverThreads.withThreads(chunks, ctx.signal, (workers, cancel) =>
    Promise.all(
      workers.map((worker, c) => {
        const first = Math.floor((c * particles) / chunks);
        const end = Math.floor(((c + 1) * particles) / chunks);
        const job: SolveJob = {
          density: field.density,
          flowOptions: field.options,
          levels: field.levels,
          noise: noise.slice(2 * first, 2 * end),
          plan,
          into: { ...arrays, particles, first },
        };
        return solverThreads.run(worker, { kind: 'solve', job, cancel }, (reply) => {
          if (reply.kind === 'done') return { value: reply.nfe };
          if (reply.kind === 'step') {
            done[c] = reply.done;
            ctx.progress({ stage: 'integrate', done: Math.min(...done), total });
          }
          return undefined;
        });
      }),
    ),
  );
  ctx.progress({ stage: 'integrate', done: total, total });
  // Every chunk takes the same fixed steps: the batch's evaluations are any chunk's.
  return trajectoryOf(options, plan.times, arrays, Math.max(...nfes));
}
