import type { JobContext } from '../../../shared/job.js';
import type { RasterOptions } from '../../../shared/render/raster-options.js';
import { particleColourPlan, rasterOptionsFor, withEndDensityReference } from '../../../shared/render/frame-raster.js';
import { RasterWorkspace } from '../../../shared/render/raster-workspace.js';
import type { RenderSettings } from '../../../shared/render/render-settings.js';
import { frameTimes, type Timeline } from '../../../shared/timeline.js';
import { framing, type ModelBounds } from '../../../shared/render/view.js';
import type { PictureBackground } from '../../../shared/render/picture-background.js';
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

/**
 * The paths of settings' particles from the field's noise, in shared memory so frame workers
 * read the levels in place rather than a copy each. One seed draws the same noise for every
 * field, which a sequence's pictures rely on (sequence-scene.ts).
 */
export function solvePaths(field: VelocityField | AsyncVelocityField, settings: RenderSettings, options: SceneOptions, ctx: JobContext): Promise<Trajectory> {
  return solveTrajectory(field, { particles: settings.particles, seed: settings.seed, swirl: settings.swirl, shared: true }, options.threads ?? defaultThreads(), ctx);
}

/**
 * A scene over solved levels: framed around `bounds`, drawn on `background`, density mode's
 * brightness set by the particles at `end` (see withEndDensityReference).
 */
export function sceneOf(
  drawn: {
    readonly levels: Trajectory;
    readonly solved: readonly Trajectory[];
    readonly colours: SceneRecipe['colours'];
    readonly bounds: ModelBounds;
    readonly background: PictureBackground;
    readonly end: Float32Array;
    readonly frameTimes: (timeline: Timeline) => Float64Array;
  },
  settings: RenderSettings,
  options: SceneOptions,
): Scene {
  const { width, height, view } = framing(drawn.bounds, settings.canvas, settings.size, { even: options.evenSize ?? false });
  const base = rasterOptionsFor(settings, { width, height, view }, drawn.background);
  const raster = withEndDensityReference(base, drawn.end, new RasterWorkspace());
  const recipe: SceneRecipe = { levels: drawn.levels, raster, colours: drawn.colours };
  return { trajectory: drawn.levels, solved: drawn.solved, raster, recipe, drawAt: sceneDrawer(recipe), frameTimes: drawn.frameTimes };
}

export async function prepareScene(
  field: VelocityField | AsyncVelocityField,
  density: ImageDensity,
  settings: RenderSettings,
  options: SceneOptions,
  ctx: JobContext,
): Promise<Scene> {
  const trajectory = options.solved?.[0] ?? (await solvePaths(field, settings, options, ctx));
  const colours = particleColourPlan(settings, density, trajectory.particles, {
    start: trajectory.start,
    imageColours: () => coloursAt(density, Float64Array.from(trajectory.end)),
  });
  const end = positionsAt(trajectory, 1);
  return sceneOf({ levels: trajectory, solved: [trajectory], colours, bounds: modelBounds(density.mapping), background: density.background, end, frameTimes }, settings, options);
}
