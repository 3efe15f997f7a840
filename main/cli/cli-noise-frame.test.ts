import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { writeTestPicture, type TestPictureName } from '../tools/fixture-pictures.js';
import { runCli } from './cli-runner.test-util.js';

/**
 * Issue 8's "noise that fits the frame": the first frame of `make` (exact flow, default size,
 * particles and framing) keeps the cloud inside the frame on wide pictures. Ink is a pixel's
 * largest channel difference from the background (the frame's most common colour); the ink of
 * every line among the outer 3 px must be at most a tenth of the densest row or column.
 */
const EDGE_PX = 3;

interface EdgeInk {
  /** The inkiest of the outer rows and columns, as a share of the densest row or column. */
  readonly worstEdgeShare: number;
  /** Share of all ink in the frame's outer 3 px band. */
  readonly edgeInkShare: number;
  readonly width: number;
  readonly height: number;
}

async function edgeInk(png: string): Promise<EdgeInk> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const counts = new Map<number, number>();
  for (let i = 0; i < width * height; i++) {
    const key = (data[3 * i]! << 16) | (data[3 * i + 1]! << 8) | data[3 * i + 2]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const background = [...counts.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  const bg = [(background >> 16) & 255, (background >> 8) & 255, background & 255];
  const rows = new Float64Array(height);
  const cols = new Float64Array(width);
  let total = 0;
  let edge = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = 3 * (y * width + x);
      const ink = Math.max(Math.abs(data[i]! - bg[0]!), Math.abs(data[i + 1]! - bg[1]!), Math.abs(data[i + 2]! - bg[2]!)) / 255;
      rows[y]! += ink;
      cols[x]! += ink;
      total += ink;
      if (x < EDGE_PX || y < EDGE_PX || x >= width - EDGE_PX || y >= height - EDGE_PX) edge += ink;
    }
  }
  const densest = Math.max(...rows, ...cols);
  let worstEdge = 0;
  for (let k = 0; k < EDGE_PX; k++) worstEdge = Math.max(worstEdge, rows[k]!, rows[height - 1 - k]!, cols[k]!, cols[width - 1 - k]!);
  return { worstEdgeShare: worstEdge / densest, edgeInkShare: edge / total, width, height };
}

/** make's frame 0 (t = 0) for a test picture, with default geometry; few frames keep it quick. */
async function firstFrame(dir: string, name: TestPictureName, extra: readonly string[]): Promise<string> {
  const picture = await writeTestPicture(dir, name);
  const out = path.join(dir, `${name}${extra.join('')}/`);
  const made = await runCli(['make', picture, '-o', out, '--fps', '4', '--seconds', '1', ...extra]);
  assert.equal(made.code, 0, made.stderr);
  const frames = (await fs.readdir(out)).filter((f) => f.endsWith('.png')).sort();
  return path.join(out, frames[0]!);
}

for (const [name, ratio] of [['banner', '5:1'], ['black-text', '3:1']] as const) {
  test(`make's first frame keeps the noise inside the frame of a ${ratio} picture (${name})`, async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-noise-'));
    try {
      const fitted = await edgeInk(await firstFrame(dir, name, []));
      // The issue asks for at most 10 %; measured 0.06 % (banner) and 0 (black text).
      assert.ok(fitted.worstEdgeShare <= 0.02, `${name}: outer ${EDGE_PX} px hold ${(100 * fitted.worstEdgeShare).toFixed(2)} % of the densest line`);
      // --noise round is the seed's N(0, I): on a wide frame its cloud runs off the top and bottom
      // (measured 90 % and 62 %).
      const round = await edgeInk(await firstFrame(dir, name, ['--noise', 'round']));
      assert.ok(round.worstEdgeShare > 0.5, `${name} round: outer lines hold only ${(100 * round.worstEdgeShare).toFixed(1)} %`);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
}
