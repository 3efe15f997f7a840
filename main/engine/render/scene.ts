import type { JobContext } from '../../../shared/job.js';
import type { RasterOptions } from '../../../shared/render/raster-options.js';
import { particleColourPlan, rasterOptionsFor, withEndDensityReference } from '../../../shared/render/frame-raster.js';
import { RasterWorkspace } from '../../../shared/render/raster-workspace.js';
import type { RenderSettings } from '../../../shared/render/render-settings.js';
import { frameTimes, type Timeline } from '../../../shared/timeline.js';
import { framing } from '../../../shared/render/view.js';
import { coloursAt } from '../image/colour-lookup.js';
import type { ImageDensity } from '../image/density.js';
import { modelBounds } from '../image/mapping.js';
import type { AsyncVelocityField, VelocityField } from '../flow/velocity-field.js';
import { sceneDrawer, type SceneRecipe } from './scene-drawer.js';
import { defaultThreads } from './threads.js';
import { solveTrajectory } from './trajectory-workers.js';
import { positionsAt, type Trajectory } from './trajectory.js';

/**
 * A flow made drawable: particle paths solved once, each frame's colours (frame-raster.ts), and the framing.
 * Every frame of an export, a single `frame`, and the preview read one scene.
 */
export interface Scene {
  /** The levels frames are drawn from: the flow's paths, or a sequence's track over τ (sequence-scene.ts). */
  readonly trajectory: Trajectory;
  /** The solves behind it, one a picture: a size-limited export passes them back to draw another try. */
  readonly solved: readonly Trajectory[];
  readonly raster: RasterOptions;
  /** The scene as plain data: frame workers draw from it (frame-workers.ts). */
  readonly recipe: SceneRecipe;
  /** Draws the particles at flow time t; reuses the scene's buffers, so copy before keeping. */
  drawAt(t: number, target?: Uint8ClampedArray): Uint8ClampedArray;
  /** The t (or τ) each frame of a timeline shows. */
  frameTimes(timeline: Timeline): Float64Array;
}

export interface SceneOptions {
  /** Video wants even sides (yuv420p). */
  readonly evenSize?: boolean;
  /**
   * Paths already solved (Scene.solved) for these flows with the same particles, seed and
   * swirl: a size-limited export draws its tries at other sizes and frame rates from one solve.
   */
  readonly solved?: readonly Trajectory[];
  /** Worker threads solving the particles (trajectory-workers.ts); 0 or 1 solves on this thread. Default defaultThreads(). */
  readonly threads?: number;
}

export async function prepareScene(
  field: VelocityField | AsyncVelocityField,
  density: ImageDensity,
  settings: RenderSettings,
  options: SceneOptions,
  ctx: JobContext,
): Promise<Scene> {
  // Shared memory: frame workers read the levels in place rather than a copy each.
  const trajectory =
    options.solved?.[0] ?? (await solveTrajectory(field, { particles: settings.particles, seed: settings.seed, swirl: settings.swirl, shared: true }, options.threads ?? defaultThreads(), ctx));
  const colours = particleColourPlan(settings, density, trajectory.particles, {
    start: trajectory.start,
    imageColours: () => coloursAt(density, Float64Array.from(trajectory.end)),
  });
  const bounds = modelBounds(density.mapping);
  const { width, height, view } = framing(bounds, settings.canvas, settings.size, { even: options.evenSize ?? false });
  const base = rasterOptionsFor(settings, { width, height, view }, density.background);
  const raster = withEndDensityReference(base, positionsAt(trajectory, 1), new RasterWorkspace());
  const recipe: SceneRecipe = { levels: trajectory, raster, colours };
  const drawAt = sceneDrawer(recipe);
  return { trajectory, solved: [trajectory], raster, recipe, drawAt, frameTimes };
}
