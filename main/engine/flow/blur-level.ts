/**
 * One time level of the exact flow: the picture's mass and its posterior-mean map after a
 * Gaussian blur of std `blurCol` working pixels along the columns and `blurRow` along the rows
 * (different where the source noise is not round), sampled on a grid of nodes.
 *
 * Coordinates are working-pixel coordinates (column, row) with pixel centres on integers.
 * Node (a, b) sits at column (a - padCol)·spacingCol, row (b - padRow)·spacingRow. The grid
 * extends its pad past the picture on every side, where blurred mass still reaches.
 */
export interface BlurLevel {
  readonly blurCol: number;
  readonly blurRow: number;
  /** Working pixels per node along each axis: 1 for small blurs, about blur / nodesPerBlur for large ones. */
  readonly spacingCol: number;
  readonly spacingRow: number;
  readonly padCol: number;
  readonly padRow: number;
  readonly nx: number;
  readonly ny: number;
  /** Blurred mass per node, scaled to a maximum of 1; 0 where the blur does not reach. */
  readonly mass: Float32Array;
  /** Posterior mean of the component centre given a point at the node (pixel coordinates). */
  readonly meanCol: Float32Array;
  readonly meanRow: Float32Array;
}

export interface BlurLevelOptions {
  /** Nodes per blur std once the grid is coarser than the pixels. */
  readonly nodesPerBlur: number;
  /** Grid padding around the picture, in blur stds. */
  readonly padBlurs: number;
  /** Kernel truncation, in blur stds. */
  readonly kernelBlurs: number;
}

export const defaultBlurLevelOptions: BlurLevelOptions = { nodesPerBlur: 4, padBlurs: 5, kernelBlurs: 4.5 };

/** A level's arrays in shared memory, so the level built on one thread is read on others without a copy. */
export interface LevelMemory {
  readonly shared: boolean;
}

/** One axis of a level's grid: node spacing, kernel and padding for a blur of `blurPx`. */
interface AxisGrid {
  readonly spacing: number;
  readonly kernel: Float64Array;
  readonly radius: number;
  readonly pad: number;
  readonly nodes: number;
}

function axisGrid(blurPx: number, extentPx: number, options: BlurLevelOptions): AxisGrid {
  const spacing = Math.max(1, Math.floor(blurPx / options.nodesPerBlur));
  const depositVariance = spacing === 1 ? 0 : (spacing * spacing) / 4;
  const kernelStd = Math.sqrt(blurPx * blurPx - depositVariance) / spacing;
  const radius = Math.ceil(options.kernelBlurs * kernelStd);
  const pad = Math.max(Math.ceil((options.padBlurs * blurPx) / spacing), radius + 2);
  const nodes = Math.round((extentPx - 1) / spacing) + 1 + 2 * pad;
  const kernel = new Float64Array(2 * radius + 1);
  for (let d = -radius; d <= radius; d++) kernel[d + radius] = Math.exp((-0.5 * d * d) / (kernelStd * kernelStd));
  return { spacing, kernel, radius, pad, nodes };
}

/**
 * A level's work, in kernel taps over its node grid: what spreads levels evenly over threads
 * (the levels of the finest blurs, on the pixel grid, cost up to 30 of the coarsest).
 */
export function blurLevelCost(width: number, height: number, blurCol: number, blurRow: number, options: BlurLevelOptions = defaultBlurLevelOptions): number {
  const cols = axisGrid(blurCol, width, options);
  const rows = axisGrid(blurRow, height, options);
  return cols.nodes * rows.nodes * (cols.kernel.length + rows.kernel.length);
}

/**
 * Blurs mass, mass·column and mass·row with one separable Gaussian and keeps their ratios.
 *
 * For blurs much wider than a pixel the pixels are first deposited on the coarser node grid
 * with quadratic B-spline weights (three nodes per axis). Those keep every pixel's mass and
 * centroid and add exactly spacing²/4 of variance whatever the pixel's offset from the nodes,
 * so taking that variance off the kernel leaves every pixel blurred by the level's blur to
 * second order. Each axis has its own spacing, kernel and padding.
 * Sums run in Float64: products of small probabilities and far kernel tails must not flush to
 * zero before the ratio is taken.
 */
export function buildBlurLevel(
  probabilities: Float64Array,
  width: number,
  height: number,
  blurCol: number,
  blurRow: number,
  options: BlurLevelOptions = defaultBlurLevelOptions,
  memory: LevelMemory = { shared: false },
): BlurLevel {
  const cols = axisGrid(blurCol, width, options);
  const rows = axisGrid(blurRow, height, options);
  const nx = cols.nodes;
  const ny = rows.nodes;
  const size = nx * ny;

  const m0 = new Float64Array(size);
  const x0 = new Float64Array(size);
  const y0 = new Float64Array(size);
  const used = deposit(probabilities, width, height, cols, rows, nx, m0, x0, y0);

  // Row-blurred sums are bounded below by π·e^(-kernelBlurs²/2), far above Float32's range
  // limit, and only their ratios matter; half the bytes makes the column pass faster.
  const m1 = new Float32Array(size);
  const x1 = new Float32Array(size);
  // On the pixel grid a node row is a pixel row, so mass·row is the row index times mass and
  // needs no pass of its own.
  const rowsArePixels = rows.spacing === 1;
  const y1 = rowsArePixels ? m1 : new Float32Array(size);
  const colKernel = cols.kernel;
  for (let b = used.rowLo; b <= used.rowHi; b++) {
    const row = b * nx;
    for (let a = used.colLo; a <= used.colHi; a++) {
      const m = m0[row + a]!;
      if (m === 0) continue;
      const x = x0[row + a]!;
      const base = row + a - cols.radius;
      for (let k = 0; k < colKernel.length; k++) {
        const w = colKernel[k]!;
        m1[base + k]! += w * m;
        x1[base + k]! += w * x;
      }
      if (rowsArePixels) continue;
      const y = y0[row + a]!;
      for (let k = 0; k < colKernel.length; k++) y1[base + k]! += colKernel[k]! * y;
    }
  }
  const m2 = m0.fill(0);
  const x2 = x0.fill(0);
  const y2 = y0.fill(0);
  const a0 = used.colLo - cols.radius;
  const a1 = used.colHi + cols.radius;
  const rowKernel = rows.kernel;
  const r = rows.radius;
  // Gathered per destination row, four source rows at a time: each destination is loaded and
  // stored once per four taps instead of once per tap (about 2.5× faster, warm, on the pixel-grid levels,
  // which dominate the build). Source row b reaches destination d through tap k = d + r - b.
  const rowFactor = (b: number): number => (rowsArePixels ? b - rows.pad : 1);
  for (let d = used.rowLo - r; d <= used.rowHi + r; d++) {
    const dst = d * nx;
    const kHi = Math.min(rowKernel.length - 1, d + r - used.rowLo);
    let k = Math.max(0, d + r - used.rowHi);
    for (; k + 3 <= kHi; k += 4) {
      const b0 = d + r - k;
      const [w0, w1, w2, w3] = [rowKernel[k]!, rowKernel[k + 1]!, rowKernel[k + 2]!, rowKernel[k + 3]!];
      const [f0, f1, f2, f3] = [w0 * rowFactor(b0), w1 * rowFactor(b0 - 1), w2 * rowFactor(b0 - 2), w3 * rowFactor(b0 - 3)];
      const s0 = b0 * nx;
      const s1 = s0 - nx;
      const s2 = s1 - nx;
      const s3 = s2 - nx;
      for (let a = a0; a <= a1; a++) {
        m2[dst + a]! += w0 * m1[s0 + a]! + w1 * m1[s1 + a]! + w2 * m1[s2 + a]! + w3 * m1[s3 + a]!;
        x2[dst + a]! += w0 * x1[s0 + a]! + w1 * x1[s1 + a]! + w2 * x1[s2 + a]! + w3 * x1[s3 + a]!;
        y2[dst + a]! += f0 * y1[s0 + a]! + f1 * y1[s1 + a]! + f2 * y1[s2 + a]! + f3 * y1[s3 + a]!;
      }
    }
    for (; k <= kHi; k++) {
      const b = d + r - k;
      const w = rowKernel[k]!;
      const wy = w * rowFactor(b);
      const src = b * nx;
      for (let a = a0; a <= a1; a++) {
        m2[dst + a]! += w * m1[src + a]!;
        x2[dst + a]! += w * x1[src + a]!;
        y2[dst + a]! += wy * y1[src + a]!;
      }
    }
  }

  let maxMass = 0;
  for (let i = 0; i < size; i++) if (m2[i]! > maxMass) maxMass = m2[i]!;
  const kept = (): Float32Array => (memory.shared ? new Float32Array(new SharedArrayBuffer(size * 4)) : new Float32Array(size));
  const mass = kept();
  const meanCol = kept();
  const meanRow = kept();
  const known = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    const m = m2[i]!;
    if (m > 0) {
      mass[i] = m / maxMass;
      meanCol[i] = x2[i]! / m;
      meanRow[i] = y2[i]! / m;
      known[i] = 1;
    }
  }
  fillFromNearest(known, meanCol, meanRow, nx, ny);
  return {
    blurCol,
    blurRow,
    spacingCol: cols.spacing,
    spacingRow: rows.spacing,
    padCol: cols.pad,
    padRow: rows.pad,
    nx,
    ny,
    mass,
    meanCol,
    meanRow,
  };
}

interface NodeRange {
  readonly colLo: number;
  readonly colHi: number;
  readonly rowLo: number;
  readonly rowHi: number;
}

/**
 * Weights of the nodes k0 - 1, k0, k0 + 1 for pixel coordinate u on an axis: the node itself
 * on the pixel grid, else quadratic B-spline weights for the offset d = u/spacing - k0 in [-½, ½].
 */
function nodeWeights(u: number, spacing: number, out: Float64Array): number {
  if (spacing === 1) {
    out[0] = 0;
    out[1] = 1;
    out[2] = 0;
    return u;
  }
  const k = Math.round(u / spacing);
  const d = u / spacing - k;
  out[0] = 0.5 * (0.5 - d) * (0.5 - d);
  out[1] = 0.75 - d * d;
  out[2] = 0.5 * (0.5 + d) * (0.5 + d);
  return k;
}

/** Deposits mass, mass·col and mass·row on the nodes, separably: along rows, then columns. */
function deposit(
  probabilities: Float64Array,
  width: number,
  height: number,
  cols: AxisGrid,
  rows: AxisGrid,
  nx: number,
  m: Float64Array,
  x: Float64Array,
  y: Float64Array,
): NodeRange {
  if (cols.spacing === 1 && rows.spacing === 1) {
    for (let j = 0; j < height; j++) {
      const row = (rows.pad + j) * nx + cols.pad;
      for (let i = 0; i < width; i++) {
        const p = probabilities[j * width + i]!;
        m[row + i] = p;
        x[row + i] = p * i;
        y[row + i] = p * j;
      }
    }
    return { colLo: cols.pad, colHi: cols.pad + width - 1, rowLo: rows.pad, rowHi: rows.pad + height - 1 };
  }
  const colLo = cols.pad - 1;
  const colHi = nx - cols.pad;
  const rowMass = new Float64Array(height * nx);
  const rowCol = new Float64Array(height * nx);
  const w = new Float64Array(3);
  for (let j = 0; j < height; j++) {
    const row = j * nx + cols.pad;
    for (let i = 0; i < width; i++) {
      const p = probabilities[j * width + i]!;
      if (p === 0) continue;
      const k = nodeWeights(i, cols.spacing, w);
      for (let s = 0; s < 3; s++) {
        rowMass[row + k - 1 + s]! += w[s]! * p;
        rowCol[row + k - 1 + s]! += w[s]! * p * i;
      }
    }
  }
  for (let j = 0; j < height; j++) {
    const k = nodeWeights(j, rows.spacing, w);
    const src = j * nx;
    for (let s = 0; s < 3; s++) {
      const ws = w[s]!;
      if (ws === 0) continue;
      const dst = (rows.pad + k - 1 + s) * nx;
      for (let a = colLo; a <= colHi; a++) {
        const mass = rowMass[src + a]!;
        if (mass === 0) continue;
        m[dst + a]! += ws * mass;
        x[dst + a]! += ws * rowCol[src + a]!;
        y[dst + a]! += ws * j * mass;
      }
    }
  }
  return { colLo, colHi, rowLo: rows.pad - 1, rowHi: rows.pad + Math.round((height - 1) / rows.spacing) + 1 };
}

/**
 * Nodes beyond the kernel's reach have no mass, hence no ratio; they take the posterior mean
 * of the nearest node that has one (breadth-first), which is what the true posterior does far
 * from the picture: it settles on the nearest mass.
 */
function fillFromNearest(known: Uint8Array, meanCol: Float32Array, meanRow: Float32Array, nx: number, ny: number): void {
  const size = nx * ny;
  const queue = new Int32Array(size);
  let tail = 0;
  for (let i = 0; i < size; i++) if (known[i] === 1) queue[tail++] = i;
  if (tail === size || tail === 0) return;
  const visit = (n: number, from: number): void => {
    if (known[n] === 1) return;
    known[n] = 1;
    meanCol[n] = meanCol[from]!;
    meanRow[n] = meanRow[from]!;
    queue[tail++] = n;
  };
  for (let head = 0; head < tail; head++) {
    const i = queue[head]!;
    const a = i % nx;
    if (a > 0) visit(i - 1, i);
    if (a < nx - 1) visit(i + 1, i);
    if (i >= nx) visit(i - nx, i);
    if (i < size - nx) visit(i + nx, i);
  }
}

/**
 * The level's posterior mean at pixel coordinates (col, row), written to out[0], out[1].
 * Bilinear weights are multiplied by each corner's mass: the smooth blurred sums are what is
 * interpolated, and their ratio keeps sharp boundaries between far-apart parts of the picture
 * sharp. Points off the grid are clamped to it.
 */
export function levelMean(level: BlurLevel, col: number, row: number, out: Float64Array): void {
  const { nx, ny, mass, meanCol, meanRow } = level;
  let a = col / level.spacingCol + level.padCol;
  let b = row / level.spacingRow + level.padRow;
  a = a < 0 ? 0 : a > nx - 1 ? nx - 1 : a;
  b = b < 0 ? 0 : b > ny - 1 ? ny - 1 : b;
  const a0 = Math.min(Math.floor(a), nx - 2);
  const b0 = Math.min(Math.floor(b), ny - 2);
  const fa = a - a0;
  const fb = b - b0;
  const i00 = b0 * nx + a0;
  const i10 = i00 + 1;
  const i01 = i00 + nx;
  const i11 = i01 + 1;
  const l00 = (1 - fa) * (1 - fb);
  const l10 = fa * (1 - fb);
  const l01 = (1 - fa) * fb;
  const l11 = fa * fb;
  const w00 = l00 * mass[i00]!;
  const w10 = l10 * mass[i10]!;
  const w01 = l01 * mass[i01]!;
  const w11 = l11 * mass[i11]!;
  const total = w00 + w10 + w01 + w11;
  if (total > 0) {
    out[0] = (w00 * meanCol[i00]! + w10 * meanCol[i10]! + w01 * meanCol[i01]! + w11 * meanCol[i11]!) / total;
    out[1] = (w00 * meanRow[i00]! + w10 * meanRow[i10]! + w01 * meanRow[i01]! + w11 * meanRow[i11]!) / total;
  } else {
    out[0] = l00 * meanCol[i00]! + l10 * meanCol[i10]! + l01 * meanCol[i01]! + l11 * meanCol[i11]!;
    out[1] = l00 * meanRow[i00]! + l10 * meanRow[i10]! + l01 * meanRow[i01]! + l11 * meanRow[i11]!;
  }
}
