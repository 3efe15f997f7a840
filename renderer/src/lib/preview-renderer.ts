import type { TrajectoryData } from '../../../shared/ipc/contract.js';
import { hermitePositionsAt } from '../../../shared/render/hermite.js';
import { particleColours, particleColoursAt } from '../../../shared/render/particle-colours.js';
import { backdropOf, outputBackground, standOutColour } from '../../../shared/render/picture-background.js';
import type { RasterOptions } from '../../../shared/render/raster-options.js';
import { RasterWorkspace } from '../../../shared/render/raster-workspace.js';
import { rasterise } from '../../../shared/render/rasterise.js';
import type { RenderSettings } from '../../../shared/render/render-settings.js';
import { MAX_POINT_SIZE } from '../../../shared/render/splat-kernel.js';
import { defaultView, outputSize } from '../../../shared/render/view.js';

/** One frame at 60 Hz; above it while playing, fewer particles are drawn. */
const FRAME_BUDGET_MS = 16;
const MIN_PARTICLES = 4000;

export interface FrameStats {
  readonly ms: number;
  readonly particles: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Draws a trajectory at any t into a canvas: Hermite interpolation, then the shared rasteriser
 * straight into the ImageData's bytes. Buffers, colours and the workspace live across frames,
 * so a frame allocates nothing.
 */
export class PreviewRenderer {
  private data: TrajectoryData | undefined;
  private positions = new Float32Array(0);
  private colours: Uint8ClampedArray | undefined;
  /** The frame's colours from each particle's own: the export's rule, so both draw alike. */
  private coloursAt: (own: Uint8ClampedArray, t: number) => Uint8ClampedArray = (own) => own;
  private readonly workspace = new RasterWorkspace();
  private image: ImageData | undefined;
  private options: RasterOptions | undefined;
  private style: RenderSettings | undefined;
  private longSide = 512;
  /** Particles drawn per frame while playing; all of them when still. */
  private budget = 0;
  private smoothedMs = 0;

  /** Cheap when nothing changed: each input is compared by identity and rebuilt only when new. */
  update(data: TrajectoryData, style: RenderSettings, longSide: number): void {
    const side = Math.max(64, Math.min(1400, Math.round(longSide)));
    if (data === this.data && style === this.style && side === this.longSide) return;
    if (data !== this.data) {
      this.positions = new Float32Array(2 * data.particles);
      this.budget = data.particles;
      this.smoothedMs = 0;
    }
    this.data = data;
    this.style = style;
    this.longSide = side;
    this.rebuild();
  }

  get size(): { width: number; height: number } | undefined {
    return this.options === undefined ? undefined : { width: this.options.width, height: this.options.height };
  }

  draw(context: CanvasRenderingContext2D, t: number, playing: boolean): FrameStats | undefined {
    const { data, options, image } = this;
    if (data === undefined || options === undefined || image === undefined) return undefined;
    const started = performance.now();
    const count = playing ? this.budget : data.particles;
    hermitePositionsAt(data, t, this.positions, count);
    const colours = this.colours === undefined ? undefined : this.coloursAt(this.colours, t);
    rasterise(this.positions.subarray(0, 2 * count), colours, options, image.data, this.workspace);
    context.putImageData(image, 0, 0);
    const ms = performance.now() - started;
    if (playing) this.adapt(ms, data.particles);
    return { ms, particles: count, width: options.width, height: options.height };
  }

  private adapt(ms: number, all: number): void {
    this.smoothedMs = this.smoothedMs === 0 ? ms : this.smoothedMs * 0.8 + ms * 0.2;
    // Rasterising is linear in particles (plus a per-pixel cost), so scale toward the budget.
    if (this.smoothedMs > FRAME_BUDGET_MS) this.budget = Math.max(MIN_PARTICLES, Math.floor(this.budget * 0.85));
    else if (this.smoothedMs < FRAME_BUDGET_MS * 0.6 && this.budget < all) this.budget = Math.min(all, Math.ceil(this.budget * 1.1));
  }

  private rebuild(): void {
    const { data, style } = this;
    if (data === undefined || style === undefined) return;
    const { width, height } = outputSize(data.bounds, this.longSide);
    // The export's point size is in pixels of its own size; keep the same look at this size.
    const background = outputBackground(style.background, data.background);
    // The export's rule (scene.ts): every colour stands out from what it is drawn on.
    const backdrop = backdropOf(background, data.background);
    const pointSize = Math.min(MAX_POINT_SIZE, Math.max(0.6, (style.pointSize * this.longSide) / style.size));
    this.options = {
      width,
      height,
      view: defaultView(data.bounds, { width, height }),
      background,
      pointSize,
      blend: style.blend,
      opacity: style.opacity,
      mode: style.mode,
      colourMap: style.colourMap,
      densitySmoothing: (style.densitySmoothing * this.longSide) / style.size,
      ...(style.colour === 'solid' ? { colour: standOutColour(style.solidColour, backdrop) } : {}),
    };
    this.coloursAt = particleColoursAt(style.colour, standOutColour(data.inkColour, backdrop));
    this.colours =
      style.colour === 'solid'
        ? undefined
        : particleColours(style.colour, data.particles, {
            start: data.positions.subarray(0, 2 * data.particles),
            imageColours: data.imageColours,
            backdrop,
          });
    if (this.image === undefined || this.image.width !== width || this.image.height !== height) this.image = new ImageData(width, height);
  }
}
