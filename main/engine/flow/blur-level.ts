/**
 * One time level of the exact flow: the picture's mass and its posterior-mean map after a
 * Gaussian blur of std `blurPx` working pixels, sampled on a grid of nodes.
 *
 * Coordinates are working-pixel coordinates (column, row) with pixel centres on integers.
 * Node (a, b) sits at column (a - pad)·spacing, row (b - pad)·spacing. The grid extends `pad`
 * nodes past the picture on every side, where blurred mass still reaches.
 */
export interface BlurLevel {
  readonly blurPx: number;
  /** Working pixels per node: 1 for small blurs, about blurPx / nodesPerBlur for large ones. */
  readonly spacing: number;
  readonly pad: number;
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

/**
 * Blurs mass, mass·column and mass·row with one separable Gaussian and keeps their ratios.
 *
 * For blurs much wider than a pixel the pixels are first deposited on the coarser node grid
 * with quadratic B-spline weights (three nodes per axis). Those keep every pixel's mass and
 * centroid and add exactly spacing²/4 of variance whatever the pixel's offset from the nodes,
 * so taking that variance off the kernel leaves every pixel blurred by blurPx to second order.
 * Sums run in Float64: products of small probabilities and far kernel tails must not flush to
 * zero before the ratio is taken.
 */
export function buildBlurLevel(
  probabilities: Float64Array,
  width: number,
  height: number,
  blurPx: number,
  options: BlurLevelOptions = defaultBlurLevelOptions,
): BlurLevel {
  const spacing = Math.max(1, Math.floor(blurPx / options.nodesPerBlur));
  const depositVariance = spacing === 1 ? 0 : (spacing * spacing) / 4;
  const kernelStd = Math.sqrt(blurPx * blurPx - depositVariance) / spacing;
  const radius = Math.ceil(options.kernelBlurs * kernelStd);
  const pad = Math.max(Math.ceil((options.padBlurs * blurPx) / spacing), radius + 2);
  const nx = Math.round((width - 1) / spacing) + 1 + 2 * pad;
  const ny = Math.round((height - 1) / spacing) + 1 + 2 * pad;
  const size = nx * ny;

  const m0 = new Float64Array(size);
  const x0 = new Float64Array(size);
  const y0 = new Float64Array(size);
  const used = deposit(probabilities, width, height, spacing, pad, nx, m0, x0, y0);

  const kernel = new Float64Array(2 * radius + 1);
  for (let d = -radius; d <= radius; d++) kernel[d + radius] = Math.exp((-0.5 * d * d) / (kernelStd * kernelStd));

  // Row-blurred sums are bounded below by π·e^(-kernelBlurs²/2), far above Float32's range
  // limit, and only their ratios matter; half the bytes makes the column pass faster.
  const m1 = new Float32Array(size);
  const x1 = new Float32Array(size);
  // On the pixel grid a node row is a pixel row, so mass·row is the row index times mass and
  // needs no pass of its own.
  const rowsArePixels = spacing === 1;
  const y1 = rowsArePixels ? m1 : new Float32Array(size);
  for (let b = used.rowLo; b <= used.rowHi; b++) {
    const row = b * nx;
    for (let a = used.colLo; a <= used.colHi; a++) {
      const m = m0[row + a]!;
      if (m === 0) continue;
      const x = x0[row + a]!;
      const base = row + a - radius;
      for (let k = 0; k < kernel.length; k++) {
        const w = kernel[k]!;
        m1[base + k]! += w * m;
        x1[base + k]! += w * x;
      }
      if (rowsArePixels) continue;
      const y = y0[row + a]!;
      for (let k = 0; k < kernel.length; k++) y1[base + k]! += kernel[k]! * y;
    }
  }
  const m2 = m0.fill(0);
  const x2 = x0.fill(0);
  const y2 = y0.fill(0);
  const a0 = used.colLo - radius;
  const a1 = used.colHi + radius;
  for (let b = used.rowLo; b <= used.rowHi; b++) {
    const src = b * nx;
    const rowFactor = rowsArePixels ? b - pad : 1;
    for (let k = 0; k < kernel.length; k++) {
      const w = kernel[k]!;
      const wy = w * rowFactor;
      const dst = (b - radius + k) * nx;
      for (let a = a0; a <= a1; a++) {
        m2[dst + a]! += w * m1[src + a]!;
        x2[dst + a]! += w * x1[src + a]!;
        y2[dst + a]! += wy * y1[src + a]!;
      }
    }
  }

  let maxMass = 0;
  for (let i = 0; i < size; i++) if (m2[i]! > maxMass) maxMass = m2[i]!;
  const mass = new Float32Array(size);
  const meanCol = new Float32Array(size);
  const meanRow = new Float32Array(size);
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
  return { blurPx, spacing, pad, nx, ny, mass, meanCol, meanRow };
}

interface NodeRange {
  readonly colLo: number;
  readonly colHi: number;
  readonly rowLo: number;
  readonly rowHi: number;
}

/** Quadratic B-spline weights of the nodes k0 - 1, k0, k0 + 1 for offset d = u - k0 in [-½, ½]. */
function splineWeights(d: number, out: Float64Array): void {
  out[0] = 0.5 * (0.5 - d) * (0.5 - d);
  out[1] = 0.75 - d * d;
  out[2] = 0.5 * (0.5 + d) * (0.5 + d);
}

/** Deposits mass, mass·col and mass·row on the nodes, separably: along rows, then columns. */
function deposit(
  probabilities: Float64Array,
  width: number,
  height: number,
  spacing: number,
  pad: number,
  nx: number,
  m: Float64Array,
  x: Float64Array,
  y: Float64Array,
): NodeRange {
  if (spacing === 1) {
    for (let j = 0; j < height; j++) {
      const row = (pad + j) * nx + pad;
      for (let i = 0; i < width; i++) {
        const p = probabilities[j * width + i]!;
        m[row + i] = p;
        x[row + i] = p * i;
        y[row + i] = p * j;
      }
    }
    return { colLo: pad, colHi: pad + width - 1, rowLo: pad, rowHi: pad + height - 1 };
  }
  const colLo = pad - 1;
  const colHi = nx - pad;
  const rowMass = new Float64Array(height * nx);
  const rowCol = new Float64Array(height * nx);
  const w = new Float64Array(3);
  for (let j = 0; j < height; j++) {
    const row = j * nx + pad;
    for (let i = 0; i < width; i++) {
      const p = probabilities[j * width + i]!;
      if (p === 0) continue;
      const k = Math.round(i / spacing);
      splineWeights(i / spacing - k, w);
      for (let s = 0; s < 3; s++) {
        rowMass[row + k - 1 + s]! += w[s]! * p;
        rowCol[row + k - 1 + s]! += w[s]! * p * i;
      }
    }
  }
  for (let j = 0; j < height; j++) {
    const k = Math.round(j / spacing);
    splineWeights(j / spacing - k, w);
    const src = j * nx;
    for (let s = 0; s < 3; s++) {
      const ws = w[s]!;
      const dst = (pad + k - 1 + s) * nx;
      for (let a = colLo; a <= colHi; a++) {
        const mass = rowMass[src + a]!;
        if (mass === 0) continue;
        m[dst + a]! += ws * mass;
        x[dst + a]! += ws * rowCol[src + a]!;
        y[dst + a]! += ws * j * mass;
      }
    }
  }
  return { colLo, colHi, rowLo: pad - 1, rowHi: pad + Math.round((height - 1) / spacing) + 1 };
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
  const { nx, ny, pad, spacing, mass, meanCol, meanRow } = level;
  let a = col / spacing + pad;
  let b = row / spacing + pad;
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
