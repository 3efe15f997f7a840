import { coloursOfTrack, type ColourTrack } from '../../../shared/render/colour-track.js';
import { coloursOfPlan, type ParticleColourPlan } from '../../../shared/render/frame-raster.js';
import { hermitePositionsAt, type FlatLevels } from '../../../shared/render/hermite.js';
import type { RasterOptions } from '../../../shared/render/raster-options.js';
import { RasterWorkspace } from '../../../shared/render/raster-workspace.js';
import { rasterise } from '../../../shared/render/rasterise.js';

/**
 * Everything a frame is drawn from, as plain data: the stored levels, the raster options and the
 * particles' colours (a single flow's plan, or a sequence's track over its τ). The main thread and the frame workers (frame-workers.ts) build their
 * drawer from one recipe with this one function, so both draw the same bits.
 */
export interface SceneRecipe {
  readonly levels: FlatLevels;
  readonly raster: RasterOptions;
  readonly colours: ParticleColourPlan | ColourTrack | undefined;
}

function coloursOf(colours: ParticleColourPlan | ColourTrack): (t: number) => Uint8ClampedArray {
  return 'spans' in colours ? coloursOfTrack(colours) : coloursOfPlan(colours);
}

/** Draws the particles at flow time t (a sequence's τ); reuses its buffers, so copy before keeping unless `target` is given. */
export type FrameDrawer = (t: number, target?: Uint8ClampedArray) => Uint8ClampedArray;

export function sceneDrawer(recipe: SceneRecipe): FrameDrawer {
  const { levels, raster } = recipe;
  const coloursAt = recipe.colours === undefined ? undefined : coloursOf(recipe.colours);
  const workspace = new RasterWorkspace();
  const positions = new Float32Array(2 * levels.particles);
  let frame: Uint8ClampedArray | undefined;
  return (t, target) => {
    if (Number.isNaN(t)) throw new RangeError('sceneDrawer: t is NaN.');
    const out = target ?? (frame ??= new Uint8ClampedArray(raster.width * raster.height * 4));
    return rasterise(hermitePositionsAt(levels, t, positions), coloursAt?.(t), raster, out, workspace);
  };
}
