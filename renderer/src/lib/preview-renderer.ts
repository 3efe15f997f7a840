import type { TrajectoryData } from '../../../shared/ipc/contract.js';
import { PreviewFrames } from '../../../shared/render/preview-frames.js';
import { RasterWorkspace } from '../../../shared/render/raster-workspace.js';
import type { RenderSettings } from '../../../shared/render/render-settings.js';

/** One frame at 60 Hz; above it while playing, fewer particles are drawn. */
const FRAME_BUDGET_MS = 16;
const MIN_PARTICLES = 4000;

export interface FrameStats {
  readonly ms: number;
  readonly particles: number;
  readonly width: number;
  readonly height: number;
  /** Frames put on the canvas so far: the frame rate shown is its rate of change. */
  readonly shown: number;
}

/**
 * Draws a trajectory at any t into a canvas through the shared PreviewFrames, straight into the
 * ImageData's bytes, and thins the particles while playing to hold the frame rate.
 */
export class PreviewRenderer {
  private data: TrajectoryData | undefined;
  private frames: PreviewFrames | undefined;
  private image: ImageData | undefined;
  private style: RenderSettings | undefined;
  /** One for every trajectory drawn: its buffers are reused, not allocated for each new pass. */
  private readonly workspace = new RasterWorkspace();
  private longSide = 512;
  /** Particles drawn per frame while playing; all of them when still. */
  private budget = 0;
  private smoothedMs = 0;
  private shown = 0;

  /** Cheap when nothing changed: each input is compared by identity and rebuilt only when new. */
  update(data: TrajectoryData, style: RenderSettings, longSide: number): void {
    const side = Math.max(64, Math.min(1400, Math.round(longSide)));
    if (data === this.data && style === this.style && side === this.longSide) return;
    if (data !== this.data) {
      this.budget = data.particles;
      this.smoothedMs = 0;
    }
    this.data = data;
    this.style = style;
    this.longSide = side;
    this.frames = new PreviewFrames(data, style, side, this.workspace);
    const { width, height } = this.frames.options;
    if (this.image === undefined || this.image.width !== width || this.image.height !== height) this.image = new ImageData(width, height);
  }

  get size(): { width: number; height: number } | undefined {
    return this.frames === undefined ? undefined : { width: this.frames.options.width, height: this.frames.options.height };
  }

  draw(context: CanvasRenderingContext2D, t: number, playing: boolean): FrameStats | undefined {
    const { data, frames, image } = this;
    if (data === undefined || frames === undefined || image === undefined) return undefined;
    const started = performance.now();
    const count = playing ? this.budget : data.particles;
    frames.draw(t, image.data, count);
    context.putImageData(image, 0, 0);
    const ms = performance.now() - started;
    if (playing) this.adapt(ms, data.particles);
    return { ms, particles: count, width: frames.options.width, height: frames.options.height, shown: ++this.shown };
  }

  private adapt(ms: number, all: number): void {
    this.smoothedMs = this.smoothedMs === 0 ? ms : this.smoothedMs * 0.8 + ms * 0.2;
    // Rasterising is linear in particles (plus a per-pixel cost), so scale toward the budget.
    if (this.smoothedMs > FRAME_BUDGET_MS) this.budget = Math.max(MIN_PARTICLES, Math.floor(this.budget * 0.85));
    else if (this.smoothedMs < FRAME_BUDGET_MS * 0.6 && this.budget < all) this.budget = Math.min(all, Math.ceil(this.budget * 1.1));
  }
}
