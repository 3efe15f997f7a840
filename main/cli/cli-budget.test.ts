import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ffprobe } from '../engine/encode/encode.test-util.js';
import { writeTestPicture } from '../tools/fixture-pictures.js';
import { runCli } from './cli-runner.test-util.js';

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-budget-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

async function frameCount(file: string): Promise<number> {
  return Number((await ffprobe(file))[0]?.nb_read_frames);
}

interface BudgetJson {
  frames: number;
  width: number;
  size_bytes: number;
  max_bytes: number;
  budget_changes: Array<{ setting: string; from: number; to: number }>;
  budget_encodes: number;
}

// Unlimited, this GIF is 475 kB (58 frames at 20 fps, 200 px).
const small = ['--size', '200', '--particles', '8000', '--seconds', '1'];

test('render --max-size 150kB writes a GIF under 150 000 bytes that still plays, and says what it changed', async (t) => {
  const dir = await tempDir(t);
  const logo = await writeTestPicture(dir, 'colour-logo');
  const gif = path.join(dir, 'fit.gif');
  const fitted = await runCli(['render', '--exact', logo, '-o', gif, ...small, '--max-size', '150kB', '--json']);
  assert.equal(fitted.code, 0, fitted.stderr);
  const result = JSON.parse(fitted.stdout) as BudgetJson;
  const bytes = (await fs.stat(gif)).size;
  t.diagnostic(`${bytes} bytes, ${result.frames} frames, ${result.width} px, changes ${JSON.stringify(result.budget_changes)}`);
  assert.ok(bytes <= 150_000, `${bytes} bytes`);
  assert.equal(result.size_bytes, bytes);
  assert.equal(result.max_bytes, 150_000);
  // Measured 101 kB: quality 60, 12 fps, 160 px; a budget that leaves more than half unused wastes the look.
  assert.ok(bytes > 60_000, `${bytes} bytes: far under the budget`);
  assert.ok(result.budget_changes.length > 0);
  // gifski stores a hold as one long frame: 24 distinct frames of the 34 measured.
  const stored = await frameCount(gif);
  assert.ok(result.frames >= 30 && stored >= 20 && stored <= result.frames, `${result.frames} frames, ${stored} stored`);
  // Nothing but the GIF and the picture: the tries were written elsewhere and removed.
  assert.deepEqual((await fs.readdir(dir)).sort(), ['colour-logo.png', 'fit.gif']);

  const plain = await runCli(['render', '--exact', logo, '-o', gif, ...small, '--max-size', '150kB']);
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, /Fitted under 150 kB: quality 90 → \d+, 20 → \d+ fps/);
});

test('a budget already met changes nothing and encodes once', async (t) => {
  const dir = await tempDir(t);
  const logo = await writeTestPicture(dir, 'colour-logo');
  const fitted = await runCli(['render', '--exact', logo, '-o', path.join(dir, 'roomy.gif'), ...small, '--max-size', '5MB', '--json']);
  assert.equal(fitted.code, 0, fitted.stderr);
  const result = JSON.parse(fitted.stdout) as BudgetJson;
  assert.deepEqual([result.budget_changes, result.budget_encodes, result.frames, result.width], [[], 1, 58, 200]);
});

test('an impossible budget fails, naming the smallest try, and leaves nothing behind', async (t) => {
  const dir = await tempDir(t);
  const logo = await writeTestPicture(dir, 'colour-logo');
  const gif = path.join(dir, 'tiny.gif');
  const failed = await runCli(['render', '--exact', logo, '-o', gif, ...small, '--max-size', '5kB']);
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /does not fit under 5 kB: the smallest try \(quality 90 → 60, 20 → 12 fps, 200 → 160 px\) came to \d+ kB/);
  assert.deepEqual(await fs.readdir(dir), ['colour-logo.png']);
});

test('--max-size is checked before any work', async (t) => {
  const dir = await tempDir(t);
  const logo = await writeTestPicture(dir, 'colour-logo');
  const bad = await runCli(['render', '--exact', logo, '-o', path.join(dir, 'x.gif'), '--max-size', 'lots']);
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /--max-size must be a size like 5MB, 800kB or 8MiB, or none, not 'lots'/);
  const frames = await runCli(['make', logo, '-o', `${dir}/frames/`, '--max-size', '5MB']);
  assert.equal(frames.code, 2, frames.stderr);
  assert.match(frames.stderr, /--max-size fits one file, but a folder of PNG frames is many/);
});
