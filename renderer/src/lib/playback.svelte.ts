import { ease, type Easing } from '../../../shared/easing.js';

/** Playback progress u for a flow time t under an easing (monotonic, so bisection is exact enough). */
function uncease(easing: Easing, t: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 30; i++) {
    const mid = (lo + hi) / 2;
    if (ease(easing, mid) < t) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * The scrubber's state. t is flow time (what the preview shows); playing advances playback
 * progress u in real time and maps it through the export's easing, so the preview moves the
 * way the exported animation will.
 */
export class Playback {
  t = $state(1);
  playing = $state(false);
  loop = $state(true);
  bounce = $state(false);
  speed = $state(1);
  private u = 1;
  private direction = 1;
  private frame = 0;
  private last = 0;

  constructor(
    private readonly timing: () => { durationSeconds: number; easing: Easing },
  ) {}

  /** A user's choice of t (scrubbing, keys): playback continues from there. */
  seek(t: number): void {
    const clamped = Math.min(1, Math.max(0, Math.round(t * 1000) / 1000));
    this.t = clamped;
    this.u = uncease(this.timing().easing, clamped);
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  play(): void {
    if (this.playing) return;
    // Playing from the far end without loop or bounce would stop at once: start over.
    if (this.direction > 0 && this.t >= 1 && !this.bounce) this.seek(0);
    if (this.direction < 0 && this.t <= 0) this.direction = 1;
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

  private tick(now: number): void {
    if (!this.playing) return;
    const { durationSeconds, easing } = this.timing();
    // A long frame (a background tab, a GC) must not jump playback forward.
    const dt = Math.min(0.1, (now - this.last) / 1000);
    this.last = now;
    let u = this.u + (this.direction * dt * this.speed) / Math.max(0.1, durationSeconds);
    if (u >= 1) {
      if (this.bounce) {
        u = 2 - u;
        this.direction = -1;
      } else if (this.loop) u -= 1;
      else {
        u = 1;
        this.playing = false;
      }
    } else if (u <= 0) {
      u = -u;
      this.direction = 1;
      if (!this.loop) {
        u = 0;
        this.playing = false;
      }
    }
    this.u = Math.min(1, Math.max(0, u));
    this.t = ease(easing, this.u);
    if (this.playing) this.frame = requestAnimationFrame((n) => this.tick(n));
  }
}
