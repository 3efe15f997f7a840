import { FlowGifError } from '../../../shared/errors.js';
import { isAsyncVelocityField, type AsyncVelocityField, type VelocityField } from './velocity-field.js';

/**
 * Swirl (DESIGN §2 "Swirl"): v′ = v + s(t)·J·∇log p_t, J the 90° rotation. p_t·J∇log p_t = J∇p_t
 * is divergence-free, so every frame's density is the unswirled flow's; only the paths turn.
 *
 * The strength is in turns: s(t) = 8π·S·(1 − t)³, whose integral over [0, 1] is 2π·S, so the
 * round noise turns S times about its centre in all (counter-clockwise on screen for S > 0), the
 * spin fading out as the picture forms, where the score is large at every edge. DESIGN's
 * (1 − t)² fades too slowly: near an edge of blur s_t the spin's rate is about s(t)/s_t², and
 * s_t² ∝ (1 − t)² there, so (1 − t)² kept every edge turning at full speed to the end and 12 rk4
 * steps scored 0.086 at 3 turns on github.png; (1 − t)³ scores 0.018 (−0.002 without swirl).
 *
 * The score comes from the velocity itself on the flow-matching path with source N(0, D):
 * ∇log p_t(x) = −D⁻¹·E[x₀ | x]/(1 − t) and E[x₀ | x] = x − t·u_t(x). With s(t) ∝ (1 − t)² the
 * 1/(1 − t) cancels: the added velocity is 8π·S·(1 − t)²·dx·dy·J·D⁻¹(x − t·u), finite up to t = 1.
 */
export function swirlRate(strength: number, t: number): number {
  return 8 * Math.PI * strength * (1 - t) ** 3;
}

/** Radians the noise's centre has turned by flow time t: 2π·S·(1 − (1 − t)⁴). */
export function swirlAngle(strength: number, t: number): number {
  return 2 * Math.PI * strength * (1 - (1 - t) ** 4);
}

/**
 * The flows whose score the velocity gives: the exact flow and flow-matching models ride the
 * path x_t = t·x₁ + (1 − t)·x₀. FFJORD learns some other path to the same picture.
 */
export function assertSwirlable(kind: VelocityField['kind']): void {
  if (kind === 'ffjord') {
    throw new FlowGifError('INVALID_ARGUMENT', 'Swirl needs the exact flow or a flow-matching model; this model was trained with FFJORD.', {
      hint: 'Set the swirl to 0, or use the exact flow or a model trained with flow matching.',
    });
  }
}

/** The field with swirl added; strength 0 gives the field itself. */
export function swirledField<F extends VelocityField | AsyncVelocityField>(field: F, strength: number): F {
  if (strength === 0) return field;
  if (!Number.isFinite(strength)) throw new RangeError(`swirl must be a finite number of turns, got ${strength}`);
  assertSwirlable(field.kind);
  // J·D⁻¹ scaled by dx·dy: the source's ellipse then turns S times in its own whitened
  // coordinates, the solver's levels the same for every shape; a constant factor keeps J∇p's
  // divergence zero.
  const { stdX, stdY } = field.source;
  const ix = stdY / stdX;
  const iy = stdX / stdY;
  // v holds u_t(x) on the way in; adds k·(1 − t)·J·D⁻¹·(x − t·u), J(a, b) = (−b, a).
  const addSwirl = (points: Float64Array, t: number, v: Float64Array): void => {
    const k = 8 * Math.PI * strength * (1 - t) ** 2;
    for (let i = 0; i < points.length; i += 2) {
      const ex = (points[i]! - t * v[i]!) * ix;
      const ey = (points[i + 1]! - t * v[i + 1]!) * iy;
      v[i] = v[i]! - k * ey;
      v[i + 1] = v[i + 1]! + k * ex;
    }
  };
  if (isAsyncVelocityField(field)) {
    const swirled: AsyncVelocityField = {
      kind: field.kind,
      source: field.source,
      async velocityAsync(points, t, out) {
        await field.velocityAsync(points, t, out);
        addSwirl(points, t, out);
      },
      dispose: () => field.dispose(),
    };
    return swirled as F;
  }
  const sync = field as VelocityField;
  const swirled: VelocityField = {
    kind: sync.kind,
    source: sync.source,
    velocity(points, t, out) {
      sync.velocity(points, t, out);
      addSwirl(points, t, out);
    },
    dispose: () => sync.dispose(),
  };
  return swirled as F;
}

/**
 * Most radians the noise's centre turns between two stored levels (or solver steps). A cubic
 * Hermite arc over 0.35 rad is within 2·10⁻⁴ of the circle; rk4 over it keeps the radius to 10⁻⁵.
 */
const MAX_TURN_PER_LEVEL = 0.35;

/**
 * Flow times for `base` with swirl: every time of `base`, plus enough that the spin between
 * two neighbours is at most MAX_TURN_PER_LEVEL. The spin crowds near t = 0, the picture's detail
 * near t = 1, so the two grids are merged. Strength 0 gives `base`.
 */
export function swirlTimes(base: Float64Array, strength: number, end = 1): Float64Array {
  if (strength === 0) return base;
  const spins = Math.ceil(Math.abs(swirlAngle(strength, end)) / MAX_TURN_PER_LEVEL);
  const times = new Set<number>(base);
  // Uniform in angle: 1 − (1 − t)⁴ = (j / spins)·(1 − (1 − end)⁴).
  const reach = 1 - (1 - end) ** 4;
  for (let j = 1; j < spins; j++) times.add(1 - (1 - (j / spins) * reach) ** (1 / 4));
  return Float64Array.from([...times].sort((a, b) => a - b));
}
