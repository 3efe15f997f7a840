import type { TrajectoryData } from '../../../shared/ipc/contract.js';
import { PreviewFrames } from '../../../shared/render/preview-frames.js';
import { RasterWorkspace } from '../../../shared/render/raster-workspace.js';
import type { RenderSettings } from '../../../shared/render/render-settings.js';

/** One animation frame at 60 Hz; a busier one while playing draws fewer particles. */
const FRAME_BUDGET_MS = 16;
/**
 * What an animation frame spends drawing ahead while playing: room left for the page, the
 * compositor and a frame put on show in the same animation frame.
 */
const AHEAD_SHARE_MS = 12;
const MIN_PARTICLES = 4000;
/** Frames shown that the particle count is judged on. */
const ADAPT_WINDOW = 4;

export interface FrameStats {
  /** The frame's own drawing time, all its stages. */
  readonly ms: number;
  /** The longest any animation frame spent on it: what the page's frame rate feels. */
  readonly tickMs: number;
  readonly particles: number;
  readonly width: number;
  readonly height: number;
  /** Frames put on the canvas so far: the frame rate shown is its rate of change. */
  readonly shown: number;
}

/** A frame being drawn ahead, a stage per animation frame. */
interface AheadFrame {
  readonly t: number;
  readonly particles: number;
  readonly stages: Generator<void, Uint8ClampedArray, void>;
  done: boolean;
  ms: number;
  tickMs: number;
  /** The next stage's index: each stage's cost is remembered by it. */
  stage: number;
}

/**
 * Draws a trajectory at any t into a canvas through the shared PreviewFrames, straight into the
 * ImageData's bytes. While playing it draws the export's next frame ahead, a stage per animation
 * frame, while the one on show stays; and it thins the particles when even that cannot keep an
 * animation frame within 16 ms (an export of 60 frames a second leaves no frame to work ahead in).
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
  /** The busiest animation frame of each of the last few frames shown while playing. */
  private readonly recentMs: number[] = [];
  private shown = 0;
  /** While playing: the t on the canvas, and the frame being drawn ahead. */
  private shownT = Number.NaN;
  private ahead: AheadFrame | undefined;
  /** Each stage's recent cost, to start only what fits in an animation frame's share. */
  private readonly stageMs: number[] = [];

  /** Cheap when nothing changed: each input is compared by identity and rebuilt only when new. */
  update(data: TrajectoryData, style: RenderSettings, longSide: number): void {
    const side = Math.max(64, Math.min(1400, Math.round(longSide)));
    if (data === this.data && style === this.style && side === this.longSide) return;
    if (data !== this.data) {
      this.budget = data.particles;
      this.recentMs.length = 0;
    }
    // The new frames share the workspace: a frame half drawn ahead with the old ones is void.
    this.ahead = undefined;
    this.shownT = Number.NaN;
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

  /** The frame at t, drawn now with every particle: a still preview, scrubbing. */
  draw(context: CanvasRenderingContext2D, t: number): FrameStats | undefined {
    const { data, frames, image } = this;
    if (data === undefined || frames === undefined || image === undefined) return undefined;
    // It shares the buffers a frame drawn ahead is using.
    this.ahead = undefined;
    const started = performance.now();
    frames.draw(t, image.data);
    context.putImageData(image, 0, 0);
    // Playing from here starts with this frame on show, all its particles drawn.
    this.shownT = t;
    const ms = performance.now() - started;
    return this.stats(ms, ms, data.particles);
  }

  /**
   * One animation frame of playback: the export's frame at t on show (drawn ahead if it was,
   * finished now if not), then as much of the frame at `next` as fits this animation frame's
   * share. Undefined when the frame on show did not change.
   */
  play(context: CanvasRenderingContext2D, t: number, next: number | undefined): FrameStats | undefined {
    const { data, image } = this;
    if (data === undefined || image === undefined) return undefined;
    const started = performance.now();
    let stats: FrameStats | undefined;
    if (t !== this.shownT) {
      const frame = this.ahead?.t === t ? this.ahead : this.startAhead(t);
      while (!frame.done) this.runStage(frame);
      context.putImageData(image, 0, 0);
      this.shownT = t;
      this.ahead = undefined;
      const tickMs = Math.max(frame.tickMs, performance.now() - started);
      this.adapt(tickMs, data.particles);
      stats = this.stats(frame.ms, tickMs, frame.particles);
    }
    if (next !== undefined && next !== this.shownT && this.ahead?.t !== next) this.ahead = this.startAhead(next);
    const ahead = this.ahead;
    if (ahead !== undefined) {
      const tickStart = performance.now();
      // At least one stage an animation frame, so a frame drawn ahead always moves on.
      let first = stats === undefined;
      while (!ahead.done && (first || performance.now() - started + (this.stageMs[ahead.stage] ?? 0) <= AHEAD_SHARE_MS)) {
        this.runStage(ahead);
        first = false;
      }
      ahead.tickMs = Math.max(ahead.tickMs, performance.now() - tickStart);
    }
    return stats;
  }

  private startAhead(t: number): AheadFrame {
    const particles = Math.min(this.budget, this.data!.particles);
    return { t, particles, stages: this.frames!.drawInStages(t, this.image!.data, particles), done: false, ms: 0, tickMs: 0, stage: 0 };
  }

  private runStage(frame: AheadFrame): void {
    const started = performance.now();
    frame.done = frame.stages.next().done === true;
    const ms = performance.now() - started;
    frame.ms += ms;
    const previous = this.stageMs[frame.stage];
    this.stageMs[frame.stage] = previous === undefined ? ms : previous * 0.7 + ms * 0.3;
    frame.stage++;
  }

  private stats(ms: number, tickMs: number, particles: number): FrameStats {
    const { width, height } = this.frames!.options;
    return { ms, tickMs, particles, width, height, shown: ++this.shown };
  }

  private adapt(ms: number, all: number): void {
    this.recentMs.push(ms);
    if (this.recentMs.length > ADAPT_WINDOW) this.recentMs.shift();
    const budget = particleBudget(this.recentMs, this.budget, all);
    // Thinned frames are judged on their own.
    if (budget < this.budget) this.recentMs.length = 0;
    this.budget = budget;
  }
}

/**
 * The particles to draw next while playing, from the busiest animation frame of each of the
 * last frames shown (oldest first): fewer only when all of the last four ran over 16 ms (one
 * slow frame, the first after a seek or a GC, is no trend), more when none of them came near.
 */
export function particleBudget(recentMs: readonly number[], budget: number, all: number): number {
  if (recentMs.length < ADAPT_WINDOW) return budget;
  const window = recentMs.slice(-ADAPT_WINDOW);
  // Rasterising is linear in particles (plus a per-pixel cost), so scale toward the budget.
  if (Math.min(...window) > FRAME_BUDGET_MS) return Math.max(MIN_PARTICLES, Math.floor(budget * 0.85));
  if (Math.max(...window) < FRAME_BUDGET_MS * 0.75 && budget < all) return Math.min(all, Math.round(budget * 1.1));
  return budget;
}
