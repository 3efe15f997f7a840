import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { bundledSamplePath } from '../engine/image/samples.js';
import { runCli } from './cli-runner.test-util.js';

/** --swirl as a user types it: sample's points move elsewhere, frames differ mid-way, bad values are refused. */

const heart = bundledSamplePath('heart.png');

async function points(file: string): Promise<number[][]> {
  const lines = (await fs.readFile(file, 'utf8')).trim().split('\n').slice(1);
  return lines.map((line) => line.split(',').map(Number));
}

test('sample --swirl moves the points along other paths; frame --swirl draws them', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-swirl-'));
  try {
    const sample = async (extra: readonly string[]): Promise<number[][]> => {
      const out = path.join(dir, `s${extra.join('')}.csv`);
      const run = await runCli(['sample', '--exact', heart, '--n', '4000', '--t', '0.6', '--seed', '1', '-o', out, ...extra]);
      assert.equal(run.code, 0, run.stderr);
      return points(out);
    };
    const plain = await sample([]);
    const swirled = await sample(['--swirl', '1']);
    const side = Math.max((await sharp(heart).metadata()).width!, (await sharp(heart).metadata()).height!);
    const moved = plain.reduce((sum, [x, y], i) => sum + Math.hypot(x! - swirled[i]![0]!, y! - swirled[i]![1]!), 0) / plain.length;
    // Measured 20 % of the side on the bundled heart.
    assert.ok(moved > 0.1 * side, `moved ${moved.toFixed(1)} px of ${side}`);

    const frame = async (t: string, extra: readonly string[]): Promise<Buffer> => {
      const out = path.join(dir, `f${t}${extra.join('')}.png`);
      const run = await runCli(['frame', '--exact', heart, '--t', t, '--size', '96', '--particles', '3000', '-o', out, ...extra]);
      assert.equal(run.code, 0, run.stderr);
      return (await sharp(out).removeAlpha().raw().toBuffer());
    };
    const differing = (a: Buffer, b: Buffer): number => a.reduce((n, v, i) => n + (Math.abs(v - b[i]!) > 40 ? 1 : 0), 0) / a.length;
    // Mid-way the particles are elsewhere; at t = 1 both are the heart (particles land elsewhere in it).
    assert.ok(differing(await frame('0.4', []), await frame('0.4', ['--swirl=-1'])) > 0.05);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('--swirl out of range is refused, naming the flag and the range', async () => {
  const run = await runCli(['frame', '--exact', heart, '--t', '0.5', '--swirl', '4', '-o', path.join(os.tmpdir(), 'never.png')]);
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /--swirl/);
  assert.match(run.stderr, /3/);
});
