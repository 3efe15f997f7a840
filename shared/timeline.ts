import { FlowGifError } from './errors.js';
import { ease, easings, isEasing, type Easing } from './easing.js';
import { definedFields } from './defined-fields.js';

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
  /**
   * There and back: after the end hold, play the flow backwards to where it started. When the
   * animation repeats, the way back stops one frame short of the start, which the next pass's
   * first frame shows: a loop with no frame shown twice and no jump.
   */
  readonly bounce: boolean;
  /** Times the GIF plays; 0 = forever. */
  readonly loops: number;
}

export const defaultTimeline: Timeline = Object.freeze({
  durationSeconds: 3,
  fps: 20,
  easing: 'ease-in-out',
  // A seamless loop: noise → picture in 3 s, a 1 s hold on the picture, the same flow back to
  // the noise in 3 s (6.9 s, 138 frames). The way back is the way there reversed, so every
  // frame is one the flow really passes through, and the eased turn at the noise lingers
  // there about as long as a hold would: a noise hold adds only frames of noise.
  holdStartSeconds: 0,
  holdEndSeconds: 1,
  reverse: false,
  bounce: true,
  loops: 0,
});

/** One pass that ends held on the picture and plays once: `--once`, "play once" in the app. */
export const oncePass: Pick<Timeline, 'bounce' | 'loops'> = Object.freeze({ bounce: false, loops: 1 });

/** Bounds that keep an export finite and encodable (GIF delays are centiseconds, loops 16-bit). */
export const timelineLimits = Object.freeze({
  maxDurationSeconds: 600,
  maxFps: 120,
  maxHoldSeconds: 60,
  maxLoops: 65535,
  maxFrames: 20000,
});

/**
 * The timing fields' inclusive ranges as a form or flags take them: the same bounds as
 * timelineLimits, with the smallest values that still make an animation (validateTimeline only
 * asks for more than zero).
 */
export const timelineRanges = Object.freeze({
  fps: Object.freeze({ min: 1, max: timelineLimits.maxFps }),
  durationSeconds: Object.freeze({ min: 0.1, max: timelineLimits.maxDurationSeconds }),
  holdSeconds: Object.freeze({ min: 0, max: timelineLimits.maxHoldSeconds }),
  loops: Object.freeze({ min: 0, max: timelineLimits.maxLoops }),
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

/**
 * Frames of bounce's way back: it leaves out the far end, already shown by the forward pass,
 * and, when the animation repeats, the start, which the next pass opens with.
 */
function returnFrames(timeline: Timeline, c: FrameCounts): number {
  if (!timeline.bounce) return 0;
  return timeline.loops === 1 ? c.motion - 1 : c.motion - 2;
}

export function frameCount(timeline: Timeline): number {
  const c = counts(timeline);
  return c.holdStart + c.motion + c.holdEnd + returnFrames(timeline, c);
}

/** Playing time of the whole animation (one loop), in seconds. */
export function timelineSeconds(timeline: Timeline): number {
  return frameCount(timeline) / timeline.fps;
}

/**
 * Flow time t ∈ [0, 1] of every frame. Forward: held t = 0, eased 0 → 1, held t = 1, then
 * (bounce) eased 1 → 0, the very frames of the way there in reverse. Reverse mirrors t, so
 * easing still describes playback (ease-in starts slowly whichever way the flow runs).
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
  const back = returnFrames(timeline, c);
  for (let i = 1; i <= back; i++) out[f++] = at(last - i);
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
  const timeline: unknown = { ...defaultTimeline, ...definedFields(overrides) };
  assertTimeline(timeline);
  return timeline;
}
