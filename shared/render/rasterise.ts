import { FlowGifError } from '../errors.js';
import { writeStraight, type Rgba } from './colour.js';
import { rasteriseDensity } from './density.js';
import { assertRasterOptions, type RasterOptions } from './raster-options.js';
import { RasterWorkspace } from './raster-workspace.js';
import { discKernel, type SplatKernel } from './splat-kernel.js';
import { viewTransform } from './view.js';

/**
 * Particles → RGBA pixels (width × height × 4, row-major from the top-left, straight alpha).
 * Pure and deterministic, so the desktop preview and the exporter draw identical frames.
 *
 * positions: interleaved model-space x, y (y up). colours: RGBA per particle, or undefined for
 * options.colour (in density mode: a tint, or without it the colour map alone). Particles off the output or with NaN coordinates are skipped. Colours are
 * blended in sRGB values, as a canvas does. Pass the same workspace every frame to reuse its
 * buffers; without one, each call allocates its own.
 */
export function rasterise(
  positions: Float32Array | Float64Array,
  colours: Uint8Array | Uint8ClampedArray | undefined,
  options: RasterOptions,
  target?: Uint8ClampedArray,
  workspace: RasterWorkspace = new RasterWorkspace(),
): Uint8ClampedArray {
  return finishStages(rasteriseInStages(positions, colours, options, target, workspace));
}

/**
 * rasterise, pausing between its stages (placing the particles, splatting them, compositing):
 * the preview draws the next frame a few stages an animation frame while the one on show stays,
 * so no animation frame waits for a whole raster. The inputs and the workspace must stay untouched
 * until it finishes; its result is rasterise's, byte for byte.
 */
export function* rasteriseInStages(
  positions: Float32Array | Float64Array,
  colours: Uint8Array | Uint8ClampedArray | undefined,
  options: RasterOptions,
  target?: Uint8ClampedArray,
  workspace: RasterWorkspace = new RasterWorkspace(),
): Generator<void, Uint8ClampedArray, void> {
  assertRasterOptions(options);
  const n = positions.length >> 1;
  const { width, height } = options;
  if (colours !== undefined && colours.length < 4 * n) {
    throw new FlowGifError('INVALID_ARGUMENT', `Got ${colours.length / 4} particle colours for ${n} particles.`);
  }
  const out = target ?? new Uint8ClampedArray(width * height * 4);
  if (out.length !== width * height * 4) {
    throw new FlowGifError('INVALID_ARGUMENT', `The target holds ${out.length} bytes; a ${width}×${height} RGBA frame needs ${width * height * 4}.`);
  }
  if (options.mode === 'density') rasteriseDensity(positions, colours, options.colour, options, out, workspace);
  else {
    const one = colours === undefined ? undefined : sharedColour(colours, n);
    if (colours === undefined || one !== undefined) yield* rasteriseSolid(positions, one === undefined ? options : { ...options, colour: one }, out, workspace);
    else yield* rasteriseColoured(positions, colours, options, out, workspace);
  }
  return out;
}

/** Runs a staged raster's remaining stages; its frame. */
export function finishStages<T>(stages: Generator<void, T, void>): T {
  for (;;) {
    const next = stages.next();
    if (next.done === true) return next.value;
  }
}

/**
 * The colour every particle has, if they all have one: the noise of an 'ink' animation, before
 * its colours form, and a one-colour logo throughout. Such a frame is drawn as one colour, the
 * same blend on one float a pixel instead of four (about 0.7 of the time at 1 000 000
 * particles, 1920 × 1080). A frame of many colours differs within its first few particles, so the test is free.
 */
function sharedColour(colours: Uint8Array | Uint8ClampedArray, n: number): Rgba | undefined {
  if (n === 0) return undefined;
  const [r, g, b, a] = [colours[0]!, colours[1]!, colours[2]!, colours[3]!];
  for (let i = 4; i < 4 * n; i += 4) {
    if (colours[i] !== r || colours[i + 1] !== g || colours[i + 2] !== b || colours[i + 3] !== a) return undefined;
  }
  return [r, g, b, a];
}

/** White on dark or transparent backgrounds, black on light ones. */
export function defaultPointColour(background: Rgba): Rgba {
  const luma = 0.299 * background[0] + 0.587 * background[1] + 0.114 * background[2];
  return background[3] >= 128 && luma >= 128 ? [0, 0, 0, 255] : [255, 255, 255, 255];
}

/**
 * Where particle i's footprint goes. The accumulation grid is padded by the kernel size on
 * every side, so a particle whose footprint touches the output never needs clipping; particles
 * whose footprint misses it fail one range test (NaN fails every comparison).
 */
interface Splatter {
  readonly kernel: SplatKernel;
  /** Padded grid: stride × rows. */
  readonly stride: number;
  readonly rows: number;
  readonly pad: number;
  // Footprint origin in phase units of the padded grid: g = x·sx + bx, y likewise.
  readonly sx: number;
  readonly bx: number;
  readonly sy: number;
  readonly by: number;
  readonly gxMax: number;
  readonly gyMax: number;
}

function splatter(options: RasterOptions): Splatter {
  const kernel = discKernel(options.pointSize);
  const pad = kernel.size;
  const q = kernel.phases;
  const r = options.pointSize / 2;
  const t = viewTransform(options.view, options.width, options.height);
  return {
    kernel,
    stride: options.width + 2 * pad,
    rows: options.height + 2 * pad,
    pad,
    sx: t.scale * q,
    // +0.5 rounds to the nearest phase, so positions on the phase grid are drawn exactly.
    bx: (t.offsetX - r + pad) * q + 0.5,
    sy: -t.scale * q,
    by: (t.offsetY - r + pad) * q + 0.5,
    gxMax: (pad + options.width) * q,
    gyMax: (pad + options.height) * q,
  };
}

function* rasteriseSolid(positions: Float32Array | Float64Array, options: RasterOptions, out: Uint8ClampedArray, workspace: RasterWorkspace): Generator<void, void, void> {
  const s = splatter(options);
  const colour = options.colour ?? defaultPointColour(options.background);
  const alpha = (colour[3] / 255) * options.opacity;
  const additive = options.blend === 'additive';
  // Additive: summed coverage. Alpha: transmittance, the product of (1 − α) over particles.
  const grid = workspace.float32('points-solid', s.stride * s.rows);
  grid.fill(additive ? 0 : 1);
  const splats = yield* placeParticles(positions, undefined, s, workspace);
  const keep = additive ? undefined : keepTable(s.kernel, alpha, workspace);
  for (const [from, to] of parts(splats.count, SPLAT_PARTS)) {
    yield;
    if (keep === undefined) splatCoverage(splats, s, grid, from, to);
    else splatTransmittance(splats, s, grid, keep, from, to);
  }
  yield* compositeReached(grid, Float32Array.of(additive ? 0 : 1), s, splats, options, out, solidCompositor(options, colour, alpha, additive));
}

function* rasteriseColoured(
  positions: Float32Array | Float64Array,
  colours: Uint8Array | Uint8ClampedArray,
  options: RasterOptions,
  out: Uint8ClampedArray,
  workspace: RasterWorkspace,
): Generator<void, void, void> {
  const s = splatter(options);
  const additive = options.blend === 'additive';
  // Four floats per pixel: premultiplied r, g, b and, additive, summed α or, alpha, transmittance.
  const grid = workspace.float32('points-rgba', 4 * s.stride * s.rows);
  fillQuads(grid, additive ? 0 : 1);
  const splats = yield* placeParticles(positions, colours, s, workspace);
  // Parts in tile order: painter's order, and so the frame, as in one go.
  for (const [from, to] of parts(splats.count, SPLAT_PARTS)) {
    yield;
    if (additive) splatColoursAdditive(splats, options.opacity, s, grid, from, to);
    else splatColoursOver(splats, options.opacity, s, grid, from, to);
  }
  yield* compositeReached(grid, Float32Array.of(0, 0, 0, additive ? 0 : 1), s, splats, options, out, rgbaCompositor(options, additive));
}

/** Every pixel's four floats to 0, 0, 0, `last`: native copies doubling, not a loop a float. */
function fillQuads(grid: Float32Array, last: number): void {
  if (grid.length < 4) return;
  grid[0] = 0;
  grid[1] = 0;
  grid[2] = 0;
  grid[3] = last;
  for (let filled = 4; filled < grid.length; filled *= 2) grid.copyWithin(filled, 0, Math.min(filled, grid.length - filled));
}

// Compositing: the background under the accumulated particles, into straight RGBA bytes. An
// opaque background (the usual case) keeps the result opaque, so it skips the un-premultiply
// (measured ~3× faster than the general path) and writes each pixel as one word.

/**
 * Composites `count` pixels from grid pixel `p` (in grid pixels, padded) into `out` from byte `o`;
 * `words`, out's 32-bit view where opaque pixels may be stored as words (OPAQUE_WORDS), else the bytes.
 */
type Compositor = (grid: Float32Array, p: number, out: Uint8ClampedArray, o: number, count: number, words?: Uint32Array) => void;

function solidCompositor(options: RasterOptions, colour: Rgba, alpha: number, additive: boolean): Compositor {
  const [br, bg, bb, ba255] = options.background;
  const [cr, cg, cb] = colour;
  const opaque = ba255 === 255;
  const ba = ba255 / 255;
  const bytes: Compositor = (grid, p, out, o, count) => {
    for (let x = 0; x < count; x++, p++, o += 4) {
      const v = grid[p]!;
      if (additive) {
        const light = v * alpha;
        if (opaque) opaqueBytes(out, o, Math.min(255, br + cr * light), Math.min(255, bg + cg * light), Math.min(255, bb + cb * light));
        else {
          const a = Math.min(1, ba + light);
          const top = 255 * a;
          writeStraight(out, o, Math.min(top, br * ba + cr * light), Math.min(top, bg * ba + cg * light), Math.min(top, bb * ba + cb * light), a);
        }
      } else {
        const covered = 1 - v;
        if (opaque) opaqueBytes(out, o, cr * covered + br * v, cg * covered + bg * v, cb * covered + bb * v);
        else {
          const seen = v * ba;
          writeStraight(out, o, cr * covered + br * seen, cg * covered + bg * seen, cb * covered + bb * seen, covered + seen);
        }
      }
    }
  };
  if (!opaque) return bytes;
  return (grid, p, out, o, count, words) => {
    if (words === undefined) return bytes(grid, p, out, o, count);
    if (additive) {
      for (let x = 0, w = o >> 2; x < count; x++, p++, w++) {
        const light = grid[p]! * alpha;
        words[w] = opaqueWord(Math.min(255, br + cr * light), Math.min(255, bg + cg * light), Math.min(255, bb + cb * light));
      }
    } else {
      // A convex blend of two colours: within 0..255, no clamp needed.
      for (let x = 0, w = o >> 2; x < count; x++, p++, w++) {
        const v = grid[p]!;
        const covered = 1 - v;
        words[w] = opaqueWord(cr * covered + br * v, cg * covered + bg * v, cb * covered + bb * v);
      }
    }
  };
}

function rgbaCompositor(options: RasterOptions, additive: boolean): Compositor {
  const [br, bg, bb, ba255] = options.background;
  const opaque = ba255 === 255;
  const ba = ba255 / 255;
  const bytes: Compositor = (grid, pixel, out, o, count) => {
    for (let x = 0, p = 4 * pixel; x < count; x++, p += 4, o += 4) {
      const v = grid[p + 3]!;
      if (opaque) {
        // Additive: v is summed α and the background shows fully; alpha: v is transmittance.
        const under = additive ? 1 : v;
        opaqueBytes(out, o, Math.min(255, grid[p]! + br * under), Math.min(255, grid[p + 1]! + bg * under), Math.min(255, grid[p + 2]! + bb * under));
      } else if (additive) {
        const a = Math.min(1, ba + v);
        const top = 255 * a;
        writeStraight(out, o, Math.min(top, br * ba + grid[p]!), Math.min(top, bg * ba + grid[p + 1]!), Math.min(top, bb * ba + grid[p + 2]!), a);
      } else {
        const seen = v * ba;
        writeStraight(out, o, grid[p]! + br * seen, grid[p + 1]! + bg * seen, grid[p + 2]! + bb * seen, 1 - v + seen);
      }
    }
  };
  if (!opaque) return bytes;
  return (grid, pixel, out, o, count, words) => {
    if (words === undefined) return bytes(grid, pixel, out, o, count);
    // Clamped: additive sums have no ceiling, and painter's sums may pass 255 by a rounding.
    for (let x = 0, p = 4 * pixel, w = o >> 2; x < count; x++, p += 4, w++) {
      const under = additive ? 1 : grid[p + 3]!;
      words[w] = opaqueWord(Math.min(255, grid[p]! + br * under), Math.min(255, grid[p + 1]! + bg * under), Math.min(255, grid[p + 2]! + bb * under));
    }
  };
}

// An opaque pixel as one 32-bit store instead of four clamped byte stores. opaqueWord packs
// little-endian, as every platform FlowGIF runs on is; a big-endian one, or a frame not on a
// word boundary, takes the bytes path, which rounds alike.
const OPAQUE_WORDS = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
const OPAQUE = 0xff000000 | 0;

/** r, g, b in 0..255 (not checked), rounded half up, with alpha 255. */
function opaqueWord(r: number, g: number, b: number): number {
  return OPAQUE | (((b + 0.5) | 0) << 16) | (((g + 0.5) | 0) << 8) | ((r + 0.5) | 0);
}

/** opaqueWord's pixel byte by byte, rounded as it rounds (a clamped array's own stores round half to even). */
function opaqueBytes(out: Uint8ClampedArray, o: number, r: number, g: number, b: number): void {
  out[o] = (r + 0.5) | 0;
  out[o + 1] = (g + 0.5) | 0;
  out[o + 2] = (b + 0.5) | 0;
  out[o + 3] = 255;
}

/**
 * [0, n) as `count` consecutive ranges: a stage of a staged raster in parts, so its pauses come
 * a few milliseconds apart (at 200 000 particles the whole splat is 5–10 ms here).
 */
function parts(n: number, count: number): [number, number][] {
  return Array.from({ length: count }, (_, i): [number, number] => [Math.floor((n * i) / count), Math.floor((n * (i + 1)) / count)]);
}

const SPLAT_PARTS = 4;
const COMPOSITE_PARTS = 2;

/**
 * The frame from the grid, compositing only the tiles some particle's footprint reaches. A tile
 * none reaches still holds the grid's initial value, so each of its pixels is the same "empty"
 * pixel, composited once from that value and copied as one 32-bit word: the same bytes, without
 * the per-pixel arithmetic. A cloud or a logo leaves much of a frame empty (about half of a
 * 1920 × 1080 frame of the bundled mark), and compositing was a third of a frame's time there.
 */
function* compositeReached(
  grid: Float32Array,
  initial: Float32Array,
  s: Splatter,
  splats: Splats,
  options: RasterOptions,
  out: Uint8ClampedArray,
  composite: Compositor,
): Generator<void, void, void> {
  const { width, height } = options;
  const { stride, pad } = s;
  const emptyPixel = new Uint8ClampedArray(4);
  // Byte by byte: the same bytes as words give.
  composite(initial, 0, emptyPixel, 0, 1);
  const empty = new Uint32Array(emptyPixel.buffer)[0]!;
  // Whole words need a word-aligned frame; any other is composited pixel by pixel.
  const words = out.byteOffset % 4 === 0 ? new Uint32Array(out.buffer, out.byteOffset, width * height) : undefined;
  const opaqueWords = OPAQUE_WORDS ? words : undefined;
  const { reached, tilesX } = splats;
  for (const [top, bottom] of parts(height, COMPOSITE_PARTS)) {
    yield;
    for (let y = top; y < bottom; y++) {
      const rowGrid = (y + pad) * stride + pad;
      if (words === undefined) {
        composite(grid, rowGrid, out, 4 * y * width, width);
        continue;
      }
      const tileRow = ((y + pad) >> TILE_SHIFT) * tilesX;
      // Runs of reached and of empty tiles along the row, in output pixels.
      for (let x = 0; x < width; ) {
        const on = reached[tileRow + ((x + pad) >> TILE_SHIFT)]!;
        let end = x;
        do end = Math.min(width, (((end + pad) >> TILE_SHIFT) + 1) * TILE - pad);
        while (end < width && reached[tileRow + ((end + pad) >> TILE_SHIFT)] === on);
        if (on === 1) composite(grid, rowGrid + x, out, 4 * (y * width + x), end - x, opaqueWords);
        else words.fill(empty, y * width + x, y * width + end);
        x = end;
      }
    }
  }
}

/** Tiles of 16 × 16 px: a tile of the RGBA grid (16 rows × 256 B) stays in L1 while it is drawn. */
const TILE_SHIFT = 4;
const TILE = 1 << TILE_SHIFT;

/** Phase-unit footprint origins (qx, qy interleaved) and, when drawn, RGBA colours, in tile order. */
interface Splats {
  readonly q: Int32Array;
  /** 4 bytes a splat; empty when the particles draw one colour. */
  readonly rgba: Uint8Array;
  readonly count: number;
  /** Tiles a row of the padded grid. */
  readonly tilesX: number;
  /** 1 for each tile of the padded grid some footprint reaches, else 0 (compositeReached). */
  readonly reached: Uint8Array;
}

/**
 * Quantises every particle that touches the output and orders them by tile (a stable counting
 * sort). Particles arrive in random spatial order, so drawing them as given misses the cache
 * on nearly every pixel; measured at 200 000 particles, 512², 1.5 px, RGBA: 26 ms as given,
 * 10 ms in tile order. Additive and solid blends are order-free; coloured alpha blending keeps
 * particle order within each tile, which is all painter's order can mean for a random cloud.
 * Colours are copied into tile order too: read by particle index they missed the cache once a
 * splat, and at 1 000 000 particles that was half of the coloured splat's time (135 → 63 ms).
 */
function* placeParticles(
  positions: Float32Array | Float64Array,
  colours: Uint8Array | Uint8ClampedArray | undefined,
  s: Splatter,
  workspace: RasterWorkspace,
): Generator<void, Splats, void> {
  const { sx, bx, sy, by, gxMax, gyMax, stride, rows } = s;
  const { phases, phaseShift } = s.kernel;
  const shift = phaseShift + TILE_SHIFT;
  const tilesX = ((stride - 1) >> TILE_SHIFT) + 1;
  const tiles = tilesX * (((rows - 1) >> TILE_SHIFT) + 1);
  const n = positions.length >> 1;
  const tileOf = workspace.int32('splat-tile', n);
  // starts[t + 1] counts tile t; after the prefix sum starts[t] is where tile t begins.
  const starts = workspace.int32('splat-tile-starts', tiles + 1);
  starts.fill(0, 0, tiles + 1);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const gx = positions[2 * i]! * sx + bx;
    const gy = positions[2 * i + 1]! * sy + by;
    let tile = -1;
    if (gx >= phases && gx < gxMax && gy >= phases && gy < gyMax) {
      tile = ((gy | 0) >> shift) * tilesX + ((gx | 0) >> shift);
      starts[tile + 1]!++;
      m++;
    }
    tileOf[i] = tile;
  }
  // A footprint starts in its particle's tile and reaches `reach` tiles right and down at most.
  const reach = (s.kernel.size + TILE - 2) >> TILE_SHIFT;
  const tilesY = tiles / tilesX;
  const reached = workspace.uint8('splat-reached', tiles);
  reached.fill(0);
  for (let t = 0; t < tiles; t++) {
    if (starts[t + 1] === 0) continue;
    const tx = t % tilesX;
    const ty = (t - tx) / tilesX;
    for (let y = ty; y <= Math.min(tilesY - 1, ty + reach); y++) reached.fill(1, y * tilesX + tx, y * tilesX + Math.min(tilesX - 1, tx + reach) + 1);
  }
  for (let t = 0; t < tiles; t++) starts[t + 1]! += starts[t]!;
  const q = workspace.int32('splat-q', 2 * m);
  const packed = workspace.int32('splat-rgba', colours === undefined ? 0 : m);
  const rgba = new Uint8Array(packed.buffer, packed.byteOffset, colours === undefined ? 0 : 4 * m);
  // Whole words when the colours are word-aligned, which keeps each particle's bytes in order on any endianness.
  const words = colours !== undefined && colours.byteOffset % 4 === 0 ? new Int32Array(colours.buffer, colours.byteOffset, n) : undefined;
  yield;
  // Second pass recomputes the same arithmetic rather than storing it: a sequential re-read
  // costs less than writing and reading back 8 bytes per particle.
  for (let i = 0; i < n; i++) {
    const tile = tileOf[i]!;
    if (tile < 0) continue;
    const d = starts[tile]!++;
    q[2 * d] = (positions[2 * i]! * sx + bx) | 0;
    q[2 * d + 1] = (positions[2 * i + 1]! * sy + by) | 0;
    if (words !== undefined) packed[d] = words[i]!;
    else if (colours !== undefined) for (let c = 0; c < 4; c++) rgba[4 * d + c] = colours[4 * i + c]!;
  }
  return { q, rgba, count: m, tilesX, reached };
}

// The four splat loops below share one shape and differ only in the innermost update. They are
// written out rather than parameterised by a callback because a call per touched pixel costs
// more than the update itself; every field is copied to a local so the optimiser keeps it in a
// register across the typed-array stores.

function splatCoverage(splats: Splats, s: Splatter, grid: Float32Array, from: number, to: number): void {
  const { stride } = s;
  const { q } = splats;
  const { weights, size, phases, phaseShift, span } = s.kernel;
  const mask = phases - 1;
  const kk = size * size;
  for (let j = from; j < to; j++) {
    const qx = q[2 * j]!;
    const qy = q[2 * j + 1]!;
    const cols = span[qx & mask]!;
    const rows = span[qy & mask]!;
    const kSkip = size - cols;
    const pSkip = stride - cols;
    let k = ((qy & mask) * phases + (qx & mask)) * kk;
    let p = (qy >> phaseShift) * stride + (qx >> phaseShift);
    for (let row = 0; row < rows; row++, p += pSkip, k += kSkip) {
      for (let col = 0; col < cols; col++, p++, k++) grid[p] = grid[p]! + weights[k]!;
    }
  }
}

/** 1 − w·α for every weight of the kernel: what each footprint pixel's transmittance is multiplied by. */
function keepTable(kernel: SplatKernel, alpha: number, workspace: RasterWorkspace): Float32Array {
  const { weights } = kernel;
  const keep = workspace.float32('splat-keep', weights.length);
  for (let k = 0; k < weights.length; k++) keep[k] = 1 - weights[k]! * alpha;
  return keep;
}

function splatTransmittance(splats: Splats, s: Splatter, grid: Float32Array, keep: Float32Array, from: number, to: number): void {
  const { stride } = s;
  const { q } = splats;
  const { size, phases, phaseShift, span } = s.kernel;
  const mask = phases - 1;
  const kk = size * size;
  for (let j = from; j < to; j++) {
    const qx = q[2 * j]!;
    const qy = q[2 * j + 1]!;
    const cols = span[qx & mask]!;
    const rows = span[qy & mask]!;
    const kSkip = size - cols;
    const pSkip = stride - cols;
    let k = ((qy & mask) * phases + (qx & mask)) * kk;
    let p = (qy >> phaseShift) * stride + (qx >> phaseShift);
    for (let row = 0; row < rows; row++, p += pSkip, k += kSkip) {
      for (let col = 0; col < cols; col++, p++, k++) grid[p] = grid[p]! * keep[k]!;
    }
  }
}

function splatColoursAdditive(
  splats: Splats,
  opacity: number,
  s: Splatter,
  grid: Float32Array,
  from: number,
  to: number,
): void {
  const { stride } = s;
  const { q, rgba } = splats;
  const { weights, size, phases, phaseShift, span } = s.kernel;
  const mask = phases - 1;
  const kk = size * size;
  const perByte = opacity / 255;
  for (let j = from; j < to; j++) {
    const a = rgba[4 * j + 3]! * perByte;
    const pr = rgba[4 * j]! * a;
    const pg = rgba[4 * j + 1]! * a;
    const pb = rgba[4 * j + 2]! * a;
    const qx = q[2 * j]!;
    const qy = q[2 * j + 1]!;
    const cols = span[qx & mask]!;
    const rows = span[qy & mask]!;
    const kSkip = size - cols;
    const pSkip = 4 * (stride - cols);
    let k = ((qy & mask) * phases + (qx & mask)) * kk;
    let p = 4 * ((qy >> phaseShift) * stride + (qx >> phaseShift));
    for (let row = 0; row < rows; row++, p += pSkip, k += kSkip) {
      for (let col = 0; col < cols; col++, p += 4, k++) {
        const w = weights[k]!;
        grid[p] = grid[p]! + pr * w;
        grid[p + 1] = grid[p + 1]! + pg * w;
        grid[p + 2] = grid[p + 2]! + pb * w;
        grid[p + 3] = grid[p + 3]! + a * w;
      }
    }
  }
}

/** Painter's order: each particle over the ones before, premultiplied, transmittance in channel 3. */
function splatColoursOver(
  splats: Splats,
  opacity: number,
  s: Splatter,
  grid: Float32Array,
  from: number,
  to: number,
): void {
  const { stride } = s;
  const { q, rgba } = splats;
  const { weights, size, phases, phaseShift, span } = s.kernel;
  const mask = phases - 1;
  const kk = size * size;
  const perByte = opacity / 255;
  for (let j = from; j < to; j++) {
    const a = rgba[4 * j + 3]! * perByte;
    const cr = rgba[4 * j]!;
    const cg = rgba[4 * j + 1]!;
    const cb = rgba[4 * j + 2]!;
    const qx = q[2 * j]!;
    const qy = q[2 * j + 1]!;
    const cols = span[qx & mask]!;
    const rows = span[qy & mask]!;
    const kSkip = size - cols;
    const pSkip = 4 * (stride - cols);
    let k = ((qy & mask) * phases + (qx & mask)) * kk;
    let p = 4 * ((qy >> phaseShift) * stride + (qx >> phaseShift));
    for (let row = 0; row < rows; row++, p += pSkip, k += kSkip) {
      for (let col = 0; col < cols; col++, p += 4, k++) {
        const w = weights[k]! * a;
        const keep = 1 - w;
        grid[p] = grid[p]! * keep + cr * w;
        grid[p + 1] = grid[p + 1]! * keep + cg * w;
        grid[p + 2] = grid[p + 2]! * keep + cb * w;
        grid[p + 3] = grid[p + 3]! * keep;
      }
    }
  }
}
