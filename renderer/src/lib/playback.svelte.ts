import { frameTimes, type Timeline } from '../../../shared/timeline.js';

/**
 * The scrubber's state. t is flow time (what the preview shows); playing walks the export's
 * own frames in real time (their easing, holds and way back, each shown for its 1/fps), so the
 * preview plays what the exported animation will, frame for frame.
 */
export class Playback {
  t = $state(1);
  playing = $state(false);
  /** Animation frames played: the preview works ahead on each, between the export's frames. */
  ticks = $state(0);
  /** Start over at the end; off, playing stops on the timeline's last frame. */
  loop = $state(true);
  speed = $state(1);
  /** Seconds into the timeline (the export's frame index / fps while stopped on a frame). */
  private position = $state(0);
  /** The timeline `position` was set on: a new one (fps, holds, bounce) leaves it meaningless. */
  private positionFor: Timeline | undefined;
  private request = 0;
  private last = 0;
  /** The last animation frame's length, s: how far the next one will move. */
  private tickSeconds = 1 / 60;
  private timeline: Timeline | undefined;
  private times: Float64Array = new Float64Array(0);
  /** The export's frames in increasing t, one per distinct t (its first): what a frame step walks. */
  private ascending: number[] = [];

  constructor(private readonly timing: () => Timeline) {}

  /**
   * A user's choice of t (scrubbing, keys): the export's frame nearest it is the one on show
   * (the frame counter, frame steps) and where playback continues from.
   */
  seek(t: number): void {
    const clamped = Math.min(1, Math.max(0, Math.round(t * 1000) / 1000));
    this.t = clamped;
    const { fps } = this.current();
    this.place(this.ascending[this.nearest(clamped)]! / fps);
  }

  private place(position: number): void {
    this.position = position;
    this.positionFor = this.timeline;
  }

  /** The frame on show: where playback is, or, after the timeline changed, the frame nearest t. */
  private frameIndex(): number {
    const { times, fps } = this.current();
    const index = this.positionFor === this.timeline ? Math.floor(this.position * fps + 1e-6) : this.ascending[this.nearest(this.t)]!;
    return Math.min(times.length - 1, Math.max(0, index));
  }

  /** The export's frame on screen (0-based) and how many it has. */
  get frame(): { index: number; count: number } {
    // position is read here so the counter follows playback; frameIndex may not need it.
    void this.position;
    return { index: this.frameIndex(), count: this.current().times.length };
  }

  /**
   * While playing, the t of the next export frame that will show a different t: the frame the
   * next animation frame lands on (two ahead at double speed or on a 30 Hz screen), or past a
   * hold the first that moves. The preview draws it ahead; undefined when there is none (the
   * end without loop, or a timeline of one t).
   */
  get nextT(): number | undefined {
    const { times, fps } = this.current();
    const shown = this.frameIndex();
    const n = times.length;
    let next = Math.max(shown + 1, Math.floor((this.position + this.tickSeconds * this.speed) * fps + 1e-6));
    // Without loop, playing past the end stops on the last frame.
    if (!this.loop) next = Math.min(next, n - 1);
    for (let looked = 0; looked < n; looked++, next++) {
      if (next >= n && !this.loop) return undefined;
      const t = times[next % n]!;
      if (t !== times[shown]) return t;
    }
    return undefined;
  }

  /** Seconds into the animation of what is on show. */
  get seconds(): number {
    const { fps } = this.current();
    return this.positionFor === this.timeline ? this.position : this.frameIndex() / fps;
  }

  /**
   * Steps |delta| of the export's distinct frames up in t (delta > 0) or down from the one
   * nearest t, to their exact t: with easing the frames near the ends are closer together than
   * the scrubber's thousandths, so rounding would skip or repeat them.
   */
  stepFrames(delta: number): void {
    const { times, fps } = this.current();
    const order = this.ascending;
    const k = Math.min(order.length - 1, Math.max(0, this.nearest(this.t) + Math.trunc(delta)));
    const index = order[k]!;
    this.t = times[index]!;
    this.place(index / fps);
  }

  /** Where in `ascending` the frame whose t is nearest t sits (the lower of two as near). */
  private nearest(t: number): number {
    const { times } = this.current();
    const order = this.ascending;
    let lo = 0;
    let hi = order.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[order[mid]!]! < t) lo = mid + 1;
      else hi = mid;
    }
    // lo is the first frame at or past t; the one before may be nearer.
    return lo > 0 && t - times[order[lo - 1]!]! <= times[order[lo]!]! - t ? lo - 1 : lo;
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  play(): void {
    if (this.playing) return;
    const { times, fps } = this.current();
    // A timeline changed since: play on from its frame nearest the t on show.
    if (this.positionFor !== this.timeline) this.place(this.frameIndex() / fps);
    // Playing from the last frame without loop would stop at once: start over.
    if (!this.loop && this.position >= (times.length - 1) / fps) this.position = 0;
    // On the frame's own t from the start (a scrubbed t is rounded), as every frame played is.
    this.t = times[this.frameIndex()]!;
    this.playing = true;
    this.last = performance.now();
    this.request = requestAnimationFrame((now) => this.tick(now));
  }

  pause(): void {
    this.playing = false;
    cancelAnimationFrame(this.request);
  }

  dispose(): void {
    this.pause();
  }

  /** The timeline's frame times, recomputed only when the settings bring a new timeline. */
  private current(): { times: Float64Array; fps: number } {
    const timeline = this.timing();
    if (timeline !== this.timeline) {
      this.timeline = timeline;
      this.times = frameTimes(timeline);
      const times = this.times;
      // By t, earlier frames first among equal t; then the first of each t.
      const byT = Array.from(times.keys()).sort((a, b) => times[a]! - times[b]! || a - b);
      this.ascending = byT.filter((i, k) => k === 0 || times[i] !== times[byT[k - 1]!]);
    }
    return { times: this.times, fps: timeline.fps };
  }

  private tick(now: number): void {
    if (!this.playing) return;
    const { times, fps } = this.current();
    // A long frame (a background tab, a GC) must not jump playback forward; the first may be
    // stamped before play() read the clock, and must not step back.
    const dt = Math.max(0, Math.min(0.1, (now - this.last) / 1000));
    this.last = now;
    if (dt > 0) this.tickSeconds = dt;
    const total = times.length / fps;
    let position = this.position + dt * this.speed;
    if (position >= total && this.loop) position %= total;
    else if (position >= (times.length - 1) / fps && !this.loop) {
      position = (times.length - 1) / fps;
      this.playing = false;
    }
    this.place(position);
    this.t = times[this.frameIndex()]!;
    this.ticks++;
    if (this.playing) this.request = requestAnimationFrame((n) => this.tick(n));
  }
}
