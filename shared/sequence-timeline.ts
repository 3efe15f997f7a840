import { ease } from './easing.js';
import { FlowGifError } from './errors.js';
import { timelineLimits, type Timeline } from './timeline.js';

/**
 * How a sequence of pictures (a morph A → B, or noise → A → B → C) is played. Its frames
 * show one track of particle positions over τ ∈ [0, 1] (main/engine/render/sequence-scene.ts):
 * each station (the noise or a picture) sits at one τ and each move runs between two.
 */
export type StationShows = 'noise' | 'picture';

export interface SequenceMove {
  /** τ of the station the move leaves and of the one it reaches. */
  readonly start: number;
  readonly end: number;
  /** Its length in timeline durations: a flow from the noise to a picture is 1. */
  readonly units: number;
}

export interface SequenceLayout {
  readonly stations: readonly StationShows[];
  /**
   * moves[i] goes from station i to station i + 1; the last goes from the last station back to
   * the first (ending at τ = 1, where the track shows the first station again), so the
   * sequence can loop.
   */
  readonly moves: readonly SequenceMove[];
}

// As a single flow's timeline (shared/timeline.ts): at least two frames a move, so its first
// shows where it leaves and its last where it arrives.
function moveFrames(move: SequenceMove, timeline: Timeline): number {
  return Math.max(2, Math.round(move.units * timeline.durationSeconds * timeline.fps));
}

function holdFrames(shows: StationShows, timeline: Timeline): number {
  return Math.round((shows === 'noise' ? timeline.holdStartSeconds : timeline.holdEndSeconds) * timeline.fps);
}

/**
 * τ of every frame: the first station held, each move eased over its own τ range (easing
 * describes each move, as it does a single flow), every picture held holdEndSeconds (the noise
 * holdStartSeconds), then with bounce the move back to the first station, which stops a frame
 * short when the animation repeats: the next pass opens on it, so the loop has no frame twice
 * and no jump. Without bounce it ends held on the last picture. Reverse plays the frames
 * backwards.
 */
export function sequenceFrameTimes(layout: SequenceLayout, timeline: Timeline): Float64Array {
  const { stations, moves } = layout;
  if (stations.length < 2 || moves.length !== stations.length) {
    throw new FlowGifError('INVALID_ARGUMENT', `A sequence needs at least two stations and a move after each (got ${stations.length} and ${moves.length}).`);
  }
  const out: number[] = [];
  const play = (move: SequenceMove, from: number, to: number): void => {
    const last = moveFrames(move, timeline) - 1;
    for (let j = from; j <= to; j++) out.push(j === last ? move.end : move.start + ease(timeline.easing, j / last) * (move.end - move.start));
  };
  const hold = (k: number, tau: number): void => {
    for (let i = holdFrames(stations[k]!, timeline); i > 0; i--) out.push(tau);
  };
  hold(0, moves[0]!.start);
  for (let k = 0; k + 1 < stations.length; k++) {
    play(moves[k]!, k === 0 ? 0 : 1, moveFrames(moves[k]!, timeline) - 1);
    hold(k + 1, moves[k]!.end);
  }
  if (timeline.bounce) {
    const back = moves[moves.length - 1]!;
    const last = moveFrames(back, timeline) - 1;
    play(back, 1, timeline.loops === 1 ? last : last - 1);
  }
  if (out.length > timelineLimits.maxFrames) {
    throw new FlowGifError('INVALID_ARGUMENT', `The sequence has ${out.length} frames; at most ${timelineLimits.maxFrames} are allowed.`, {
      hint: 'Shorten the duration or the holds, lower the frame rate, or use fewer pictures.',
    });
  }
  if (timeline.reverse) out.reverse();
  return Float64Array.from(out);
}
