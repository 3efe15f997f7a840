import { flowTimeAt, frameTimes, type Timeline } from '../../../shared/timeline.js';

/**
 * The scrubber's state. t is flow time (what the preview shows); playing walks the export's
 * own timeline in real time (its easing, holds and way back, through the frames' times), so
 * the preview moves the way the exported animation will.
 */
export class Playback {
  t = $state(1);
  playing = $state(false);
  /** Start over at the end; off, playing stops on the timeline's last frame. */
  loop = $state(true);
  speed = $state(1);
  /** Seconds into the timeline. */
  private position = 0;
  private frame = 0;
  private last = 0;
  private timeline: Timeline | undefined;
  private times: Float64Array = new Float64Array(0);

  constructor(private readonly timing: () => Timeline) {}

  /** A user's choice of t (scrubbing, keys): playback continues from where the way there shows it. */
  seek(t: number): void {
    const clamped = Math.min(1, Math.max(0, Math.round(t * 1000) / 1000));
    this.t = clamped;
    const { times, fps } = this.current();
    // The way there is monotonic and reaches the far end, so the first frame at or past t exists.
    const reverse = this.timeline?.reverse === true;
    const index = times.findIndex((time) => (reverse ? time <= clamped : time >= clamped));
    const i = Math.max(0, index);
    this.position = i / fps;
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  play(): void {
    if (this.playing) return;
    const { times, fps } = this.current();
    // Playing from the last frame without loop would stop at once: start over.
    if (!this.loop && this.position >= (times.length - 1) / fps) this.position = 0;
    this.playing = true;
    this.last = performance.now();
    this.frame = requestAnimationFrame((now) => this.tick(now));
  }

  pause(): void {
    this.playing = false;
    cancelAnimationFrame(this.frame);
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
    }
    return { times: this.times, fps: timeline.fps };
  }

  private tick(now: number): void {
    if (!this.playing) return;
    const { times, fps } = this.current();
    // A long frame (a background tab, a GC) must not jump playback forward.
    const dt = Math.min(0.1, (now - this.last) / 1000);
    this.last = now;
    const total = times.length / fps;
    let position = this.position + dt * this.speed;
    if (position >= total && this.loop) position %= total;
    else if (position >= (times.length - 1) / fps && !this.loop) {
      position = (times.length - 1) / fps;
      this.playing = false;
    }
    this.position = position;
    this.t = flowTimeAt(times, fps, position, this.loop);
    if (this.playing) this.frame = requestAnimationFrame((n) => this.tick(n));
  }
}
