import type { TrajectoryData } from '../ipc/contract.js';
import { forDrawnShare, frameColours, previewRasterOptionsFor, withEndDensityReference } from './frame-raster.js';
import { hermitePositionsAt } from './hermite.js';
import type { RasterOptions } from './raster-options.js';
import { RasterWorkspace } from './raster-workspace.js';
import { finishStages, rasteriseInStages } from './rasterise.js';
import type { RenderSettings } from './render-settings.js';
import { framing } from './view.js';

/**
 * The preview's frames of one trajectory in one style at one size: Hermite interpolation, the
 * export's colours and density reference, the shared rasteriser. Plain TypeScript, so what the
 * desktop preview draws can be tested beside the export; the DOM part only puts the bytes on a
 * canvas. Buffers live across frames, so a frame allocates nothing.
 */
export class PreviewFrames {
  readonly options: RasterOptions;
  private readonly positions: Float32Array;
  /** Undefined when frames draw one colour or the colour map. */
  private readonly coloursAt: ((t: number) => Uint8ClampedArray) | undefined;
  constructor(
    private readonly data: TrajectoryData,
    style: RenderSettings,
    longSide: number,
    /**
     * Kept by the caller across trajectories: a new one's 32 MB grid at 1400 px is fresh memory
     * the first frame pays for page by page (a third of a new pass's first frame in Chromium).
     */
    private readonly workspace: RasterWorkspace = new RasterWorkspace(),
  ) {
    // The export's canvas at the preview's size: one framing rule, so both frame alike.
    const geometry = framing(data.bounds, style.canvas, longSide);
    this.positions = new Float32Array(2 * data.particles);
    const options = previewRasterOptionsFor(style, geometry, longSide, data.particles, data.background);
    this.options = withEndDensityReference(options, hermitePositionsAt(data, 1, this.positions), this.workspace);
    // The export's rule (scene.ts), so preview and export colour each frame alike.
    this.coloursAt = frameColours(style, data, data.particles, {
      start: data.positions.subarray(0, 2 * data.particles),
      imageColours: () => data.imageColours,
    });
  }

  /** The frame at flow time t from the first `count` particles (all by default), into `target`. */
  draw(t: number, target: Uint8ClampedArray, count: number = this.data.particles): Uint8ClampedArray {
    return finishStages(this.drawInStages(t, target, count));
  }

  /**
   * draw, pausing after the particles' positions and between the raster's stages
   * (rasteriseInStages). One frame at a time: it shares this object's buffers with draw.
   */
  *drawInStages(t: number, target: Uint8ClampedArray, count: number = this.data.particles): Generator<void, Uint8ClampedArray, void> {
    const n = Math.min(count, this.data.particles);
    hermitePositionsAt(this.data, t, this.positions, n);
    const colours = this.coloursAt?.(t);
    yield;
    return yield* rasteriseInStages(this.positions.subarray(0, 2 * n), colours, forDrawnShare(this.options, n, this.data.particles), target, this.workspace);
  }
}
