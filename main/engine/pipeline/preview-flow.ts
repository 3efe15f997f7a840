import type { TrajectoryData } from '../../../shared/ipc/contract.js';
import type { JobContext } from '../../../shared/job.js';
import type { VelocityField } from '../flow/velocity-field.js';
import type { OdeMethod } from '../ode/integrate.js';
import { defaultThreads } from '../render/threads.js';
import type { Trajectory } from '../render/trajectory.js';
import { solveTrajectory } from '../render/trajectory-workers.js';
import type { OpenedFlow } from './flow-source.js';
import { trajectoryData } from './wire-data.js';

/**
 * Previews solve with one step per stored level (16 in all) instead of the export's two rk4
 * steps: half the time to the first picture. Exports keep the finer default.
 */
export const PREVIEW_SOLVER_STEPS = 16;

export interface PreviewSolver {
  readonly method: OdeMethod;
  readonly steps: number;
}

/**
 * rk4 for the exact flow: 99 % of particles within 0.11–0.46 px of a fine solve at 512 px
 * (main/engine/render/trajectory.ts). A trained flow-matching network is smoother, and Kutta's
 * rk3 (49 evaluations instead of 65, a quarter less time) holds that bound on it. Measured
 * against 128 rk4 steps, 20 000 particles, fitted noise, 99th percentile at the worst level:
 * - heart.png, 5 s of training: rk3 0.07 px (rk4 0.015, midpoint 0.85);
 * - flowgif-mark.png, 5 s: rk3 0.17 px (rk4 0.03, midpoint 2.0); 45 s: 0.29 px, 99.8 % within
 *   half a pixel; 200 s (5 100 steps): 0.27 px, 99.7 % within half a pixel (rk4 0.04 px).
 * FFJORD models were not measured: they keep rk4.
 */
export function previewSolver(kind: VelocityField['kind']): PreviewSolver {
  return { method: kind === 'fm' ? 'rk3' : 'rk4', steps: PREVIEW_SOLVER_STEPS };
}

/**
 * The preview job: a flow's particle paths, packed for the window that draws them. The exact
 * flow's passes solve on the kept solver threads (trajectory-workers.ts: the same paths as one
 * thread's): 0.51–0.55 of one thread's time for 50 000 particles on two cores (BENCHMARKS.md,
 * "The app's preview in the engine").
 */
export async function previewFlow(
  flow: OpenedFlow,
  options: { readonly particles: number; readonly seed: number; readonly swirl?: number; readonly solver?: PreviewSolver; readonly threads?: number },
  ctx: JobContext,
): Promise<TrajectoryData> {
  const solver = options.solver ?? previewSolver(flow.field.kind);
  const paths = { particles: options.particles, seed: options.seed, swirl: options.swirl ?? 0, ...solver };
  const trajectory = await solveTrajectory(flow.field, paths, options.threads ?? defaultThreads(), ctx);
  return trajectoryData(unshared(trajectory), flow.density);
}

/** Threads solve into shared memory, which cannot cross to the window's process: plain copies instead. */
function unshared(trajectory: Trajectory): Trajectory {
  if (!(trajectory.positions.buffer instanceof SharedArrayBuffer)) return trajectory;
  const positions = trajectory.positions.slice();
  const size = 2 * trajectory.particles;
  return {
    ...trajectory,
    positions,
    velocities: trajectory.velocities.slice(),
    start: positions.subarray(0, size),
    end: positions.subarray((trajectory.times.length - 1) * size),
  };
}
