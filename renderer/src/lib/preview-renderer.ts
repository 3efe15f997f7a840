import type { TrajectoryData } from '../../../shared/ipc/contract.js';
import { PreviewFrames } from '../../../shared/render/preview-frames.js';
import { RasterWorkspace } from '../../../shared/render/raster-workspace.js';
import type { RenderSettings } from '../../../shared/render/render-settings.js';

/** One animation frame at 60 Hz: frames that keep an animation frame longer, four in a row, thin the particles. */
const FRAME_BUDGET_MS = 16;
/**
 * How long one animation frame of playback may run, counted from its start: putting the frame
 * due on show, then the next frame's stages while their recent cost fits; the rest is the
 * page's and the compositor's.
 */
const AHEAD_SHARE_MS = 12;
const MIN_PARTICLES = 4000;
/** Frames shown that the particle count is judged on. */
const ADAPT_WINDOW = 4;

export interface FrameStats {
  /** The frame's own drawing time, all its stages. */
  readonly ms: number;
  /** The longest any animation frame spent on it, the whole animation frame: what the page's frame rate feels. */
  readonly tickMs: number;
  readonly particles: number;
  readonly width: number;
  readonly height: number;
  /** Frames put on the canvas so far: the frame rate shown is its rate of change. */
  readonly shown: number;
}

/** A frame being drawn ahead, as many stages an animation frame as fit its share. */
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
 * ImageData's bytes. While playing it draws the export's next frame ahead, in stages spread over
 * the animation frames the one on show lasts; and it thins the particles when even that cannot
 * keep animation frames within 16 ms (an export of 60 frames a second leaves no animation frame
 * to work ahead in).
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
  /** What the canvas shows (NaN for nothing of these frames), with how many particles, and on which context. */
  private shownT = Number.NaN;
  private shownParticles = 0;
  private shownOn: CanvasRenderingContext2D | undefined;
  /** While playing, the frame being drawn ahead. */
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

  /** The canvas was cleared (its size set again): nothing drawn before is on it. */
  cleared(): void {
    this.shownT = Number.NaN;
  }

  get size(): { width: number; height: number } | undefined {
    return this.frames === undefined ? undefined : { width: this.frames.options.width, height: this.frames.options.height };
  }

  /**
   * The frame at t with every particle: a still preview, scrubbing, a pause. Undefined when the
   * canvas shows it already (playing stopped on a frame drawn in full).
   */
  draw(context: CanvasRenderingContext2D, t: number): FrameStats | undefined {
    const { data, frames, image } = this;
    if (data === undefined || frames === undefined || image === undefined) return undefined;
    // Playing starts afresh from here: the last run's slow frames say nothing of the next, and a
    // frame half drawn ahead (or left broken by an error) is void; a draw shares its buffers.
    this.recentMs.length = 0;
    this.ahead = undefined;
    if (t === this.shownT && this.shownParticles === data.particles && context === this.shownOn) return undefined;
    const started = performance.now();
    frames.draw(t, image.data);
    this.show(context, t, data.particles);
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
    let due: AheadFrame | undefined;
    if (t !== this.shownT || context !== this.shownOn) {
      due = this.ahead?.t === t ? this.ahead : this.startAhead(t);
      while (!due.done) this.runStage(due);
      this.show(context, t, due.particles);
      this.ahead = undefined;
    }
    if (next !== undefined && next !== this.shownT && this.ahead?.t !== next) this.ahead = this.startAhead(next);
    const ahead = this.ahead;
    if (ahead !== undefined) {
      // At least one stage an animation frame, so a frame drawn ahead always moves on.
      let first = due === undefined;
      while (!ahead.done && (first || performance.now() - started + (this.stageMs[ahead.stage] ?? 0) <= AHEAD_SHARE_MS)) {
        this.runStage(ahead);
        first = false;
      }
    }
    // The whole animation frame counts for both frames it worked on.
    const tickMs = performance.now() - started;
    if (ahead !== undefined) ahead.tickMs = Math.max(ahead.tickMs, tickMs);
    if (due === undefined) return undefined;
    const busiest = Math.max(due.tickMs, tickMs);
    this.adapt(busiest, data.particles);
    return this.stats(due.ms, busiest, due.particles);
  }

  /** Puts the frame in the image on the canvas, and remembers what is on show. */
  private show(context: CanvasRenderingContext2D, t: number, particles: number): void {
    context.putImageData(this.image!, 0, 0);
    this.shownT = t;
    this.shownParticles = particles;
    this.shownOn = context;
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
