import { FlowGifError } from './errors.js';
import { ease, easings, isEasing, type Easing } from './easing.js';

/**
 * How the flow is played: which flow time t each output frame shows. Every frame lasts
 * 1/fps seconds; holds are repeated frames (encoders merge identical frames), which keeps one
 * frame rate for GIF and MP4 alike.
 */
export interface Timeline {
  /** Seconds the flow itself takes from noise to picture (one way). */
  readonly durationSeconds: number;
  readonly fps: number;
  readonly easing: Easing;
  /** Seconds the first frame is held before the flow starts. */
  readonly holdStartSeconds: number;
  /** Seconds the picture (the far end) is held after the flow arrives. */
  readonly holdEndSeconds: number;
  /** Play picture → noise instead of noise → picture. */
  readonly reverse: boolean;
  /** There and back: after the end hold, play the flow backwards to where it started. */
  readonly bounce: boolean;
  /** Times the GIF plays; 0 = forever. */
  readonly loops: number;
}

export const defaultTimeline: Timeline = Object.freeze({
  durationSeconds: 3,
  fps: 20,
  easing: 'ease-in-out',
  // No holds by default: "3 s at 20 fps" is exactly 60 frames, and encoders that merge identical
  // frames (gifski) keep every one. Users add holds when they want the picture to linger.
  holdStartSeconds: 0,
  holdEndSeconds: 0,
  reverse: false,
  bounce: false,
  loops: 0,
});

/** Bounds that keep an export finite and encodable (GIF delays are centiseconds, loops 16-bit). */
export const timelineLimits = Object.freeze({
  maxDurationSeconds: 600,
  maxFps: 120,
  maxHoldSeconds: 60,
  maxLoops: 65535,
  maxFrames: 20000,
});

interface FrameCounts {
  readonly motion: number;
  readonly holdStart: number;
  readonly holdEnd: number;
}

// At least two motion frames, so the first shows the start and the last the end.
function counts(timeline: Timeline): FrameCounts {
  return {
    motion: Math.max(2, Math.round(timeline.durationSeconds * timeline.fps)),
    holdStart: Math.round(timeline.holdStartSeconds * timeline.fps),
    holdEnd: Math.round(timeline.holdEndSeconds * timeline.fps),
  };
}

export function frameCount(timeline: Timeline): number {
  const c = counts(timeline);
  // Bounce's way back leaves out the far end, already shown by the forward pass.
  return c.holdStart + c.motion + c.holdEnd + (timeline.bounce ? c.motion - 1 : 0);
}

/** Playing time of the whole animation (one loop), in seconds. */
export function timelineSeconds(timeline: Timeline): number {
  return frameCount(timeline) / timeline.fps;
}

/**
 * Flow time t ∈ [0, 1] of every frame. Forward: held t = 0, eased 0 → 1, held t = 1, then
 * (bounce) eased 1 → 0. Reverse mirrors t, so easing still describes playback (ease-in starts
 * slowly whichever way the flow runs).
 */
export function frameTimes(timeline: Timeline): Float64Array {
  const c = counts(timeline);
  const out = new Float64Array(frameCount(timeline));
  const last = c.motion - 1;
  const at = (step: number): number => {
    const t = ease(timeline.easing, step / last);
    return timeline.reverse ? 1 - t : t;
  };
  let f = 0;
  for (let i = 0; i < c.holdStart; i++) out[f++] = at(0);
  for (let i = 0; i <= last; i++) out[f++] = at(i);
  for (let i = 0; i < c.holdEnd; i++) out[f++] = at(last);
  if (timeline.bounce) for (let i = last - 1; i >= 0; i--) out[f++] = at(i);
  return out;
}

/** Every problem with a candidate timeline, as sentences naming the field; empty when valid. */
export function validateTimeline(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return ['The timeline must be an object.'];
  const v = value as Record<string, unknown>;
  const problems: string[] = [];
  const L = timelineLimits;
  const inRange = (field: string, min: number, max: number, minExclusive: boolean): void => {
    const x = v[field];
    if (typeof x !== 'number' || !Number.isFinite(x)) problems.push(`${field} must be a finite number.`);
    else if (minExclusive ? x <= min : x < min) problems.push(`${field} must be ${minExclusive ? 'greater than' : 'at least'} ${min} (got ${x}).`);
    else if (x > max) problems.push(`${field} must be at most ${max} (got ${x}).`);
  };
  inRange('durationSeconds', 0, L.maxDurationSeconds, true);
  inRange('fps', 0, L.maxFps, true);
  inRange('holdStartSeconds', 0, L.maxHoldSeconds, false);
  inRange('holdEndSeconds', 0, L.maxHoldSeconds, false);
  if (!isEasing(v['easing'])) problems.push(`easing must be one of ${easings.join(', ')} (got ${String(v['easing'])}).`);
  for (const field of ['reverse', 'bounce'] as const) {
    if (typeof v[field] !== 'boolean') problems.push(`${field} must be true or false.`);
  }
  const loops = v['loops'];
  if (typeof loops !== 'number' || !Number.isInteger(loops) || loops < 0 || loops > L.maxLoops) {
    problems.push(`loops must be a whole number from 0 (forever) to ${L.maxLoops} (got ${String(loops)}).`);
  }
  if (problems.length === 0) {
    const frames = frameCount(value as Timeline);
    if (frames > L.maxFrames) problems.push(`The timeline has ${frames} frames; at most ${L.maxFrames} are allowed. Shorten it or lower fps.`);
  }
  return problems;
}

export function assertTimeline(value: unknown): asserts value is Timeline {
  const problems = validateTimeline(value);
  if (problems.length > 0) {
    throw new FlowGifError('INVALID_ARGUMENT', `Invalid timeline: ${problems.join(' ')}`, {
      hint: 'Check the duration, frame rate, holds, easing and loop count.',
    });
  }
}

/** Defaults overlaid with the given fields, validated: what a host builds from flags or a form. */
export function resolveTimeline(overrides: Partial<Timeline> = {}): Timeline {
  // An undefined field (an unset flag) keeps the default rather than erasing it.
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, x]) => x !== undefined));
  const timeline: unknown = { ...defaultTimeline, ...defined };
  assertTimeline(timeline);
  return timeline;
}
