/**
 * Anti-aliased discs as lookup tables. The exact pixel coverage of a disc depends on where its
 * centre sits within a pixel, so it is precomputed for a grid of sub-pixel phases; drawing a
 * particle is then a table lookup and K×K multiply-adds, whatever its size.
 */
export interface SplatKernel {
  readonly diameter: number;
  /** Footprint side in pixels: a disc of diameter d whose box starts at any phase covers ≤ K. */
  readonly size: number;
  /** Phases per pixel per axis (a power of two), i.e. positions resolve to 1/phases px. */
  readonly phases: number;
  readonly phaseShift: number;
  /**
   * phases² kernels of size² coverages each, indexed (phaseY·phases + phaseX)·size² + row·size + col.
   * Kernel (px, py) covers a disc whose bounding box starts phase/phases px into pixel 0.
   */
  readonly weights: Float32Array;
  /**
   * Columns (by phaseX) or rows (by phaseY) a kernel actually touches: a 1.5 px disc covers two
   * pixels across at some phases and three at others, and skipping the empty one saves a third.
   */
  readonly span: Uint8Array;
  /** π d²/4: every phase's weights sum to exactly this, so brightness never flickers with motion. */
  readonly area: number;
}

/** Above this the table (phases² · size²) grows past a few MB for little visible gain. */
export const MAX_POINT_SIZE = 64;

// Columns per pixel in the coverage integral: exact along y, midpoint rule along x.
const COLUMNS = 24;

const cache = new Map<number, SplatKernel>();

/** Cached by diameter; the few sizes a session uses stay resident. */
export function discKernel(diameter: number): SplatKernel {
  let kernel = cache.get(diameter);
  if (kernel === undefined) {
    kernel = buildDiscKernel(diameter);
    if (cache.size >= 8) cache.delete(cache.keys().next().value as number);
    cache.set(diameter, kernel);
  }
  return kernel;
}

function buildDiscKernel(diameter: number): SplatKernel {
  const size = Math.ceil(diameter) + 1;
  // 1/32 px for small points keeps slow motion smooth; big discs hide 1/8 px steps anyway.
  const phaseShift = size <= 8 ? 5 : size <= 24 ? 4 : 3;
  const phases = 1 << phaseShift;
  const r = diameter / 2;
  const area = Math.PI * r * r;
  const kk = size * size;
  const weights = new Float32Array(phases * phases * kk);
  const coverage = new Float64Array(kk);
  const span = new Uint8Array(phases);
  for (let p = 0; p < phases; p++) span[p] = Math.min(size, Math.ceil(p / phases + diameter - 1e-9));
  for (let py = 0; py < phases; py++) {
    for (let px = 0; px < phases; px++) {
      const cx = px / phases + r;
      const cy = py / phases + r;
      let full = 0;
      let partial = 0;
      for (let row = 0; row < size; row++) {
        for (let col = 0; col < size; col++) {
          const c = pixelCoverage(cx - col, cy - row, r);
          coverage[row * size + col] = c;
          if (c >= 1 - 1e-9) full++;
          else partial += c;
        }
      }
      // The quadrature errs only where the rim crosses a pixel: correct those pixels, so fully
      // covered ones stay exactly 1 and the total is exactly the disc's area.
      const norm = partial > 0 ? (area - full) / partial : 0;
      const base = (py * phases + px) * kk;
      for (let k = 0; k < kk; k++) {
        const c = coverage[k]!;
        weights[base + k] = c >= 1 - 1e-9 ? 1 : Math.min(1, c * norm);
      }
    }
  }
  return { diameter, size, phases, phaseShift, weights, span, area };
}

/** Area of the unit pixel [0,1]² inside the disc of radius r centred at (cx, cy). */
function pixelCoverage(cx: number, cy: number, r: number): number {
  const x0 = Math.max(0, cx - r);
  const x1 = Math.min(1, cx + r);
  if (x1 <= x0 || cy - r >= 1 || cy + r <= 0) return 0;
  const dx = (x1 - x0) / COLUMNS;
  let area = 0;
  for (let i = 0; i < COLUMNS; i++) {
    const u = x0 + (i + 0.5) * dx - cx;
    const h = Math.sqrt(Math.max(0, r * r - u * u));
    const span = Math.min(1, cy + h) - Math.max(0, cy - h);
    if (span > 0) area += span;
  }
  return area * dx;
}
