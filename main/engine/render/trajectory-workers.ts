import { Worker } from 'node:worker_threads';
import { errorCodes, FlowGifError, type ErrorCode } from '../../../shared/errors.js';
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
export type SolveReply =
  | { readonly kind: 'step'; readonly done: number }
  | { readonly kind: 'done'; readonly nfe: number }
  | { readonly kind: 'error'; readonly message: string; readonly code: unknown };

/** Below this many particles a chunk's share of starting a worker outweighs it. */
const MIN_PARTICLES_PER_THREAD = 20_000;

/**
 * A trajectory solved on `threads` worker threads, each a contiguous chunk of particles, into
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
  const workers: Worker[] = [];
  let stop: (error: unknown) => void = () => {};
  const stopped = new Promise<never>((_, reject) => (stop = reject));
  stopped.catch(() => {});
  const onAbort = (): void => stop(ctx.signal.reason);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const solved = Array.from({ length: chunks }, (_, c) => {
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
      const worker = new Worker(new URL('./trajectory-worker.js', import.meta.url), { workerData: job });
      workers.push(worker);
      return new Promise<number>((resolve, reject) => {
        worker.on('message', (reply: SolveReply) => {
          if (reply.kind === 'step') {
            done[c] = reply.done;
            ctx.progress({ stage: 'integrate', done: Math.min(...done), total });
          } else if (reply.kind === 'done') resolve(reply.nfe);
          else reject(chunkFailed(reply.message, reply.code));
        });
        worker.on('error', (error) => reject(chunkFailed(error.message, undefined)));
        worker.on('exit', (code) => reject(chunkFailed(`a solver thread stopped (exit code ${code}).`, undefined)));
      });
    });
    const nfes = await Promise.race([Promise.all(solved), stopped]);
    ctx.progress({ stage: 'integrate', done: total, total });
    // Every chunk takes the same fixed steps: the batch's evaluations are any chunk's.
    return trajectoryOf(options, plan.times, arrays, Math.max(...nfes));
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

function chunkFailed(message: string, code: unknown): FlowGifError {
  // A solver's own failure (SOLVER_FAILED, a bad option) keeps its code; anything else is a thread gone wrong.
  if (typeof code === 'string' && (errorCodes as readonly string[]).includes(code)) return new FlowGifError(code as ErrorCode, message);
  return new FlowGifError('SOLVER_FAILED', `Solving the particles failed in a worker thread: ${message}`, {
    hint: 'Set FLOWGIF_THREADS=0 to solve on the main thread instead.',
  });
}
