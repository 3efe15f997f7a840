import { FlowGifError } from '../../../shared/errors.js';
import type { CancelSignal, JobContext } from '../../../shared/job.js';
import { createRandom } from '../../../shared/random.js';
import { sampleNoise } from '../flow/noise-source.js';
import { velocityOf, type AsyncVelocityField, type VelocityField } from '../flow/velocity-field.js';
import { integrateEachAsync, type OdeMethod } from '../ode/integrate.js';
import { float64Ops } from '../ode/vector-ops.js';
import { yieldingRhs } from '../ode/yielding-rhs.js';
import { hermitePositionsAt, type FlatLevels } from '../../../shared/render/hermite.js';
import { swirledField, swirlTimes } from '../flow/swirl.js';

/**
 * Particle paths from the field's source noise (t = 0) to the picture (t = 1), solved once and stored at
 * K time levels with positions and velocities, so any frame is a cubic Hermite interpolation:
 * the timeline scrubber and every export frame read this, never the solver.
 */
export interface Trajectory extends FlatLevels {
  readonly seed: number;
  /** The K stored flow times, increasing from 0 to 1. */
  readonly times: Float64Array;
  /**
   * Interleaved model-space positions [x0, y0, x1, y1, …], level after level (K × particles × 2):
   * the IPC TrajectoryData layout, so the preview receives these very buffers.
   */
  readonly positions: Float32Array;
  /** dx/dt at those positions (model units per unit of flow time), laid out alike. */
  readonly velocities: Float32Array;
  /** The noise each particle starts from (level 0, a view): colour modes key on it. */
  readonly start: Float32Array;
  /** Where each particle lands (level K − 1, a view). */
  readonly end: Float32Array;
  /** Memory held by the stored levels. */
  readonly bytes: number;
  /** Velocity evaluations of the whole batch: the solve's, and dopri5's at the levels it interpolated. */
  readonly nfe: number;
}

export interface TrajectoryOptions {
  readonly particles: number;
  readonly seed: number;
  /** K stored levels on the default grid (see levelTimes), or the grid itself (0 … 1, increasing). */
  readonly times?: number | Float64Array;
  readonly method?: OdeMethod;
  /**
   * Fixed solver steps from t = 0 to 1, spread evenly over the K − 1 level intervals (rounded
   * up to a whole number per interval). Without it: DEFAULT_STEPS_PER_LEVEL per interval for
   * every fixed-step method; for dopri5 one adaptive solve over [0, 1], the levels read from its
   * dense output.
   */
  readonly steps?: number;
  /**
   * Store the levels in SharedArrayBuffers, so worker threads can read them without a copy.
   * Off by default: a trajectory sent to another process over IPC must be plain memory.
   */
  readonly shared?: boolean;
  /** Turns of swirl (flow/swirl.ts); 0 or absent is the flow's own paths. */
  readonly swirl?: number;
}

/**
 * Chosen by measurement on the exact flow of the bundled pictures (3 000 particles, against
 * dopri5 at 1e-7/1e-8; 1 px = 8/512 model units):
 * - Interpolation alone (Hermite at mid-level times vs a fine solve from the stored level
 *   before): 17 levels → worst particle 0.07–0.13 px, 99th percentile ≤ 0.07 px; 13 levels → up
 *   to 0.54 px. So 17 levels, 272 bytes a particle (54 MB for 200 000).
 * - The solve: one rk4 step per interval puts 99 % of particles within 0.11–0.46 px of the
 *   fine solve at t = 1; two steps, 0.05–0.14 px. The rare particles on a watershed between
 *   two strokes can land a few pixels off with either, as they do with any coarse solver.
 */
export const DEFAULT_LEVELS = 17;
/** Levels at t = 1 − (1 − u)^warp for u uniform: the picture's detail forms late. */
export const DEFAULT_TIME_WARP = 2;
/** Fixed-step methods take this many steps per level interval unless told otherwise. */
export const DEFAULT_STEPS_PER_LEVEL = 2;
export const DEFAULT_METHOD: OdeMethod = 'rk4';

/** Bytes per particle per level: positions and velocities, two float32 each. */
const BYTES_PER_PARTICLE_LEVEL = 16;

/** The default grid of `levels` times from 0 to 1, crowded toward 1. */
export function levelTimes(levels: number = DEFAULT_LEVELS, warp: number = DEFAULT_TIME_WARP): Float64Array {
  if (!Number.isInteger(levels) || levels < 2) throw invalid(`A trajectory needs at least 2 time levels, got ${levels}.`);
  const times = new Float64Array(levels);
  for (let k = 0; k < levels; k++) times[k] = 1 - (1 - k / (levels - 1)) ** warp;
  times[levels - 1] = 1;
  return times;
}

/** Memory a trajectory of this size holds, for budgeting particle counts up front. */
export function trajectoryBytes(particles: number, levels: number = DEFAULT_LEVELS): number {
  return particles * levels * BYTES_PER_PARTICLE_LEVEL;
}

/** How the levels are solved, checked once; the serial path and every worker chunk follow it. */
export interface SolvePlan {
  readonly times: Float64Array;
  readonly method: OdeMethod;
  /** dopri5 without fixed steps: one adaptive solve, its step sizes set by the whole batch. */
  readonly adaptive: boolean;
  readonly stepsPerInterval: number;
  /** Turns of swirl added to the field's velocity; the default grid gains levels for its spin. */
  readonly swirl: number;
}

export function solvePlan(options: TrajectoryOptions): SolvePlan {
  const swirl = options.swirl ?? 0;
  if (!Number.isFinite(swirl)) throw invalid(`swirl must be a finite number of turns, got ${swirl}.`);
  const times = typeof options.times === 'object' ? resolveTimes(options.times) : swirlTimes(resolveTimes(options.times), swirl);
  const intervals = times.length - 1;
  const method = options.method ?? DEFAULT_METHOD;
  const adaptive = options.steps === undefined && method === 'dopri5';
  if (options.steps !== undefined && !(Number.isInteger(options.steps) && options.steps >= 1)) {
    throw invalid(`steps must be a positive integer, got ${options.steps}.`);
  }
  const stepsPerInterval = options.steps === undefined ? DEFAULT_STEPS_PER_LEVEL : Math.ceil(options.steps / intervals);
  return { times, method, adaptive, stepsPerInterval, swirl };
}

/** Solver steps a whole solve takes (adaptive: per mille of flow time), for progress. */
export function solveSteps(plan: SolvePlan): number {
  return plan.adaptive ? 1000 : (plan.times.length - 1) * plan.stepsPerInterval;
}

/**
 * Solves the particles whose start points are `noise` (interleaved, `count` = noise.length / 2 of
 * them) and writes their levels into `positions`/`velocities` at particle `first` of levels that
 * hold `particles` each. Each particle's path depends on its own start alone with fixed steps,
 * so particles solved in chunks (trajectory-workers.ts) land on the bits of one solve.
 * Returns the velocity evaluations; `onStep` gets steps done so far.
 */
export async function solveChunk(
  field: VelocityField | AsyncVelocityField,
  noise: Float64Array,
  plan: SolvePlan,
  into: { readonly positions: Float32Array; readonly velocities: Float32Array; readonly particles: number; readonly first: number },
  signal: CancelSignal,
  onStep: (done: number) => void,
): Promise<number> {
  const { times, method, adaptive, stepsPerInterval } = plan;
  const moving = swirledField(field, plan.swirl);
  let nfe = 0;
  const velocity = yieldingRhs((t: number, y: Float64Array): Promise<Float64Array> => {
    nfe += 1;
    return velocityOf(moving, y, t);
  }, signal);
  const size = 2 * into.particles;
  const offset = 2 * into.first;
  // Levels the solver reached by interpolation, where it never evaluated f.
  const unevaluated: number[] = [];
  let done = 0;
  // One solve through every level. Fixed steps land on each level, so its velocity is the f the
  // solver took there; dopri5 steps freely and interpolates the levels inside its steps.
  await integrateEachAsync(
    velocity,
    noise,
    [...times],
    {
      method,
      ...(adaptive ? {} : { stepsPerOutput: stepsPerInterval }),
      signal,
      onStep: (info) => {
        if (!info.accepted) return;
        done = adaptive ? Math.round(1000 * info.t) : done + 1;
        onStep(done);
      },
    },
    float64Ops,
    ({ index, y, f }) => {
      into.positions.set(y, index * size + offset);
      if (f === undefined) unevaluated.push(index);
      else into.velocities.set(f, index * size + offset);
    },
  );
  // f at the stored (float32) positions: what the Hermite frames between levels assume.
  for (const k of unevaluated) {
    const at = k * size + offset;
    into.velocities.set(await velocity(times[k]!, Float64Array.from(into.positions.subarray(at, at + noise.length))), at);
  }
  return nfe;
}

/** The levels' two arrays, in shared memory when worker threads are to read or write them. */
export function levelArrays(levels: number, particles: number, shared: boolean): { positions: Float32Array; velocities: Float32Array } {
  const n = levels * 2 * particles;
  const make = (): Float32Array => (shared ? new Float32Array(new SharedArrayBuffer(n * 4)) : new Float32Array(n));
  return { positions: make(), velocities: make() };
}

/** The trajectory over solved level arrays. */
export function trajectoryOf(
  options: { readonly particles: number; readonly seed: number },
  times: Float64Array,
  arrays: { readonly positions: Float32Array; readonly velocities: Float32Array },
  nfe: number,
): Trajectory {
  const size = 2 * options.particles;
  const { positions, velocities } = arrays;
  return {
    particles: options.particles,
    seed: options.seed,
    times,
    positions,
    velocities,
    start: positions.subarray(0, size),
    end: positions.subarray((times.length - 1) * size),
    bytes: trajectoryBytes(options.particles, times.length),
    nfe,
  };
}

export function assertParticleCount(particles: number): void {
  if (!Number.isInteger(particles) || particles < 1) throw invalid(`particles must be a positive integer, got ${particles}.`);
}

export async function computeTrajectory(
  field: VelocityField | AsyncVelocityField,
  options: TrajectoryOptions,
  ctx: JobContext,
): Promise<Trajectory> {
  const { particles, seed } = options;
  assertParticleCount(particles);
  const plan = solvePlan(options);
  ctx.signal.throwIfAborted();
  const arrays = levelArrays(plan.times.length, particles, options.shared === true);
  const total = solveSteps(plan);
  let done = 0;
  ctx.progress({ stage: 'integrate', done: 0, total });
  const nfe = await solveChunk(field, sampleNoise(field.source, particles, createRandom(seed)), plan, { ...arrays, particles, first: 0 }, ctx.signal, (steps) => {
    done = steps;
    ctx.progress({ stage: 'integrate', done, total });
  });
  if (done < total) ctx.progress({ stage: 'integrate', done: total, total });
  return trajectoryOf(options, plan.times, arrays, nfe);
}

/**
 * Positions at any t in [0, 1] (clamped), by cubic Hermite interpolation of the stored
 * positions and velocities of the two levels around t. Writes into `out` when given.
 */
export function positionsAt(trajectory: Trajectory, t: number, out?: Float32Array): Float32Array {
  const size = 2 * trajectory.particles;
  const target = out ?? new Float32Array(size);
  if (target.length !== size) throw new RangeError(`out holds ${target.length} values, expected ${size}`);
  if (Number.isNaN(t)) throw invalid('positionsAt: t is NaN.');
  // The preview's own evaluator, so scrubbing and export agree to the bit.
  return hermitePositionsAt(trajectory, t, target);
}

function resolveTimes(times: number | Float64Array | undefined): Float64Array {
  if (times === undefined || typeof times === 'number') return levelTimes(times ?? DEFAULT_LEVELS);
  if (times.length < 2 || times[0] !== 0 || times[times.length - 1] !== 1) {
    throw invalid('Trajectory times must start at 0, end at 1 and hold at least two levels.');
  }
  for (let k = 1; k < times.length; k++) {
    if (!(times[k]! > times[k - 1]!)) throw invalid('Trajectory times must be strictly increasing.');
  }
  return Float64Array.from(times);
}

function invalid(message: string): FlowGifError {
  return new FlowGifError('INVALID_ARGUMENT', message);
}
