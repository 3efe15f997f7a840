import { FlowGifError } from '../../../shared/errors.js';
import type { JobContext } from '../../../shared/job.js';
import { uniformPalette, type ColourSpan, type ColourTrack } from '../../../shared/render/colour-track.js';
import { particleColourPlan, type ParticleColourPlan } from '../../../shared/render/frame-raster.js';
import type { RenderSettings } from '../../../shared/render/render-settings.js';
import { sequenceFrameTimes, type SequenceLayout, type SequenceMove, type StationShows } from '../../../shared/sequence-timeline.js';
import { isMorphStyle, MAX_SEQUENCE_PICTURES, morphStyles, type MorphStyle } from '../../../shared/morph-style.js';
import type { AsyncVelocityField, VelocityField } from '../flow/velocity-field.js';
import { coloursAt } from '../image/colour-lookup.js';
import type { ImageDensity } from '../image/density.js';
import { modelBounds } from '../image/mapping.js';
import { sceneOf, solvePaths, type Scene, type SceneOptions } from './scene.js';
import { levelArrays, positionsAt, trajectoryOf, type Trajectory } from './trajectory.js';

/**
 * Several pictures in one animation: a morph (A becomes B) or a sequence (noise → A → B → C).
 *
 * Every picture's flow is solved from the same noise draws ε (one seed; a source of std s
 * starts at s ⊙ ε), so particle i lands at A_i in A and at B_i in B, and A_i ↦ B_i is the
 * transport map T = Φ_B ∘ Φ_A⁻¹ (DESIGN.md §2). The scene joins the solved paths into one track
 * of levels over τ ∈ [0, 1] that the Hermite evaluator reads like any trajectory, so the
 * export, its frame workers and its size estimates draw a sequence as they draw a flow.
 */
export interface ScenePicture {
  readonly field: VelocityField | AsyncVelocityField;
  readonly density: ImageDensity;
}

export interface PictureSequence {
  readonly flows: readonly ScenePicture[];
  readonly style: MorphStyle;
  /** Open on the noise and flow into the first picture (a sequence), or open on it (a morph). */
  readonly fromNoise: boolean;
}

/** One stretch of the track, τ measured in timeline durations before it is scaled to [0, 1]. */
type Piece =
  | { readonly kind: 'forward'; readonly picture: number; readonly units: number }
  | { readonly kind: 'reverse'; readonly picture: number; readonly units: number }
  | { readonly kind: 'direct'; readonly from: number; readonly to: number; readonly units: number }
  /** Noise of one picture's source to another's (sources of other shapes): a straight rescale. */
  | { readonly kind: 'reshape'; readonly from: number; readonly to: number; readonly units: number };

/** A flow from noise to a picture takes one timeline duration; a dissolve, noise and back, the same. */
const FLOW_UNITS = 1;
const DISSOLVE_HALF_UNITS = 0.5;
const DIRECT_UNITS = 1;
const RESHAPE_UNITS = 0.15;
/**
 * Between two pieces the track holds two levels at the same positions a hair apart in τ, each
 * with its own piece's velocity: Hermite keeps both pieces exact up to the joint, and no frame
 * falls inside the gap (frames land on the joints themselves).
 */
const GAP_UNITS = 1e-6;

function sameSource(a: ScenePicture, b: ScenePicture): boolean {
  return a.field.source.stdX === b.field.source.stdX && a.field.source.stdY === b.field.source.stdY;
}

/** The pieces of each move, station after station, the move back to the first station last. */
function movesOf(request: PictureSequence): { stations: StationShows[]; moves: Piece[][] } {
  const { flows: pictures, style, fromNoise } = request;
  const between = (a: number, b: number): Piece[] => {
    if (style === 'direct') return [{ kind: 'direct', from: a, to: b, units: DIRECT_UNITS }];
    return [
      { kind: 'reverse', picture: a, units: DISSOLVE_HALF_UNITS },
      ...(sameSource(pictures[a]!, pictures[b]!) ? [] : [{ kind: 'reshape' as const, from: a, to: b, units: RESHAPE_UNITS }]),
      { kind: 'forward', picture: b, units: DISSOLVE_HALF_UNITS },
    ];
  };
  const last = pictures.length - 1;
  const stations: StationShows[] = fromNoise ? ['noise', ...pictures.map((): StationShows => 'picture')] : pictures.map((): StationShows => 'picture');
  const moves: Piece[][] = [];
  if (fromNoise) moves.push([{ kind: 'forward', picture: 0, units: FLOW_UNITS }]);
  for (let k = 0; k < last; k++) moves.push(between(k, k + 1));
  if (fromNoise) {
    // Back to the noise the first picture flows from.
    moves.push([
      { kind: 'reverse', picture: last, units: FLOW_UNITS },
      ...(sameSource(pictures[last]!, pictures[0]!) ? [] : [{ kind: 'reshape' as const, from: last, to: 0, units: RESHAPE_UNITS }]),
    ]);
  } else {
    moves.push(between(last, 0));
  }
  return { stations, moves };
}

function levelsOf(piece: Piece, solved: readonly Trajectory[]): number {
  return piece.kind === 'forward' || piece.kind === 'reverse' ? solved[piece.picture]!.times.length : 2;
}

/**
 * The track's levels: each piece's positions and velocities (dx/dτ, so flow velocities divided
 * by the piece's τ length), and the layout and colour spans in τ.
 */
function buildTrack(
  moves: readonly Piece[][],
  solved: readonly Trajectory[],
  particles: number,
): { track: Trajectory; moveRanges: SequenceMove[]; pieceRanges: { piece: Piece; start: number; end: number }[] } {
  const pieces = moves.flat();
  const totalUnits = pieces.reduce((sum, p) => sum + p.units, 0) + GAP_UNITS * (pieces.length - 1);
  const levels = pieces.reduce((sum, p) => sum + levelsOf(p, solved), 0);
  const arrays = levelArrays(levels, particles, true);
  const times = new Float64Array(levels);
  const size = 2 * particles;
  let level = 0;
  let at = 0;
  const pieceRanges: { piece: Piece; start: number; end: number }[] = [];
  const put = (tau: number, positions: Float32Array, velocity: (out: Float32Array) => void): void => {
    times[level] = tau;
    arrays.positions.set(positions, level * size);
    velocity(arrays.velocities.subarray(level * size, (level + 1) * size));
    level++;
  };
  const levelOf = (t: Trajectory, k: number, of: 'positions' | 'velocities'): Float32Array => t[of].subarray(k * size, (k + 1) * size);
  pieces.forEach((piece, index) => {
    const start = at / totalUnits;
    const end = index === pieces.length - 1 ? 1 : (at + piece.units) / totalUnits;
    const length = end - start;
    if (piece.kind === 'forward' || piece.kind === 'reverse') {
      const t = solved[piece.picture]!;
      const K = t.times.length;
      const sign = piece.kind === 'forward' ? 1 : -1;
      for (let j = 0; j < K; j++) {
        const k = piece.kind === 'forward' ? j : K - 1 - j;
        const flowTime = t.times[k]!;
        const tau = j === K - 1 ? end : start + (piece.kind === 'forward' ? flowTime : 1 - flowTime) * length;
        const v = levelOf(t, k, 'velocities');
        put(tau, levelOf(t, k, 'positions'), (out) => {
          for (let i = 0; i < size; i++) out[i] = (sign * v[i]!) / length;
        });
      }
    } else {
      // Both ends carry the same velocity, the chord over the piece: Hermite is then exactly
      // the straight line, travelled evenly in τ (the timeline's easing eases it).
      const from = piece.kind === 'direct' ? solved[piece.from]!.end : solved[piece.from]!.start;
      const to = piece.kind === 'direct' ? solved[piece.to]!.end : solved[piece.to]!.start;
      const chord = (out: Float32Array): void => {
        for (let i = 0; i < size; i++) out[i] = (to[i]! - from[i]!) / length;
      };
      put(start, from, chord);
      put(end, to, chord);
    }
    pieceRanges.push({ piece, start, end });
    at += piece.units + GAP_UNITS;
  });
  const moveRanges: SequenceMove[] = [];
  let p = 0;
  for (const move of moves) {
    const first = pieceRanges[p]!;
    const lastPiece = pieceRanges[p + move.length - 1]!;
    moveRanges.push({ start: first.start, end: lastPiece.end, units: move.reduce((sum, x) => sum + x.units, 0) });
    p += move.length;
  }
  const nfe = solved.reduce((sum, t) => sum + t.nfe, 0);
  return { track: trajectoryOf({ particles, seed: solved[0]!.seed }, times, arrays, nfe), moveRanges, pieceRanges };
}

/**
 * Colours along the track: palette 0 is the noise's (the 'ink' mode's cloud of the first
 * picture's mean ink, else the first picture's own colours), palette k + 1 picture k's own.
 * A flow in or out forms or dissolves colours as a single flow's do; a direct move blends one
 * picture's colours into the next's. Every picture's colours stand out from the first picture's
 * background, which every frame is drawn on.
 */
function colourTrackOf(
  settings: RenderSettings,
  pictures: readonly ScenePicture[],
  solved: readonly Trajectory[],
  pieceRanges: readonly { piece: Piece; start: number; end: number }[],
): ColourTrack | undefined {
  const plans: (ParticleColourPlan | undefined)[] = pictures.map((picture, k) =>
    particleColourPlan(settings, { background: pictures[0]!.density.background, inkColour: picture.density.inkColour }, solved[k]!.particles, {
      start: solved[k]!.start,
      imageColours: () => coloursAt(picture.density, Float64Array.from(solved[k]!.end)),
    }),
  );
  const first = plans[0];
  if (first === undefined) return undefined;
  const ink = first.mode === 'ink';
  const noise = ink && first.cloud !== undefined ? uniformPalette(solved[0]!.particles, first.cloud) : first.own;
  const palettes = [noise, ...plans.map((plan) => plan!.own)];
  const spans: ColourSpan[] = pieceRanges.map(({ piece, start, end }) => {
    switch (piece.kind) {
      case 'forward':
        return { start, end, from: 0, to: piece.picture + 1, curve: ink ? 'form' : 'linear' };
      case 'reverse':
        return { start, end, from: piece.picture + 1, to: 0, curve: ink ? 'unform' : 'linear' };
      case 'direct':
        return { start, end, from: piece.from + 1, to: piece.to + 1, curve: 'linear' };
      case 'reshape':
        return { start, end, from: 0, to: 0, curve: 'linear' };
    }
  });
  return { palettes, spans };
}

function unionBounds(pictures: readonly ScenePicture[]): ReturnType<typeof modelBounds> {
  const all = pictures.map((p) => modelBounds(p.density.mapping));
  return {
    xMin: Math.min(...all.map((b) => b.xMin)),
    xMax: Math.max(...all.map((b) => b.xMax)),
    yMin: Math.min(...all.map((b) => b.yMin)),
    yMax: Math.max(...all.map((b) => b.yMax)),
  };
}

export function assertSequence(request: PictureSequence): void {
  const n = request.flows.length;
  const least = request.fromNoise ? 1 : 2;
  if (n < least || n > MAX_SEQUENCE_PICTURES) {
    throw new FlowGifError('INVALID_ARGUMENT', `A ${request.fromNoise ? 'sequence' : 'morph'} takes ${least} to ${MAX_SEQUENCE_PICTURES} pictures (got ${n}).`);
  }
  if (!isMorphStyle(request.style)) throw new FlowGifError('INVALID_ARGUMENT', `Unknown morph style ${String(request.style)}; use ${morphStyles.join(' or ')}.`);
}

export async function prepareSequenceScene(request: PictureSequence, settings: RenderSettings, options: SceneOptions, ctx: JobContext): Promise<Scene> {
  assertSequence(request);
  const { flows: pictures } = request;
  const solved: Trajectory[] = [];
  for (let k = 0; k < pictures.length; k++) {
    const reused = options.solved?.[k];
    if (reused !== undefined) {
      solved.push(reused);
      continue;
    }
    // One progress bar over every picture's solve.
    const part: JobContext = {
      signal: ctx.signal,
      progress: (p) =>
        ctx.progress(p.stage === 'integrate' ? { ...p, done: k * p.total + p.done, total: pictures.length * p.total } : p),
    };
    // Same seed for every picture: the same noise draws, so particle i is one particle throughout.
    solved.push(await solvePaths(pictures[k]!.field, settings, options, part));
  }
  const { stations, moves } = movesOf(request);
  const { track, moveRanges, pieceRanges } = buildTrack(moves, solved, settings.particles);
  const layout: SequenceLayout = { stations, moves: moveRanges };
  return sceneOf(
    {
      levels: track,
      solved,
      colours: colourTrackOf(settings, pictures, solved, pieceRanges),
      bounds: unionBounds(pictures),
      background: pictures[0]!.density.background,
      // Density mode's brightness is the first picture's, held through the sequence.
      end: positionsAt(solved[0]!, 1),
      frameTimes: (timeline) => sequenceFrameTimes(layout, timeline),
    },
    settings,
    options,
  );
}
