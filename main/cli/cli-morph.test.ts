import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { bundledSamplePath } from '../engine/image/samples.js';
import { writeTestPicture } from '../tools/fixture-pictures.js';
import { runCli, testFolder } from './cli-runner.test-util.js';
import { iou } from '../engine/render/frame-measures.test-util.js';

const GRID = 32;

/**
 * Ink (clearly off white: grey below 200) on a GRID × GRID grid of `input`, or of the picture
 * area of a frame (inside the default 5 % margin on every side, where the picture is drawn).
 */
async function inkGrid(input: string | Buffer, frameSide?: number): Promise<Uint8Array> {
  let image = sharp(await sharp(input).png().toBuffer()).flatten({ background: '#ffffff' });
  if (frameSide !== undefined) {
    const inner = Math.round(frameSide / 1.1);
    const edge = Math.round((frameSide - inner) / 2);
    image = sharp(await image.extract({ left: edge, top: edge, width: inner, height: inner }).png().toBuffer());
  }
  const { data } = await image.greyscale().resize(GRID, GRID, { fit: 'fill', kernel: 'linear' }).raw().toBuffer({ resolveWithObject: true });
  return Uint8Array.from(data, (v) => (v < 200 ? 1 : 0));
}


async function page(gif: string, index: number): Promise<Buffer> {
  return sharp(gif, { page: index }).png().toBuffer();
}

const small = ['--size', '128', '--particles', '12000', '--fps', '10', '--seconds', '1'];

test('morph A B writes a GIF whose first frame is A and whose frame after the motion is B, in both styles', async (t) => {
  const dir = await testFolder(t, 'flowgif-morph-');
  const a = await writeTestPicture(dir, 'colour-logo');
  const b = bundledSamplePath('heart.png');
  const maskA = await inkGrid(a);
  const maskB = await inkGrid(b);
  for (const style of ['direct', 'dissolve']) {
    const gif = path.join(dir, `${style}.gif`);
    const made = await runCli(['morph', a, b, '-o', gif, '--style', style, ...small, '--once', '--json']);
    assert.equal(made.code, 0, made.stderr);
    const result = JSON.parse(made.stdout) as { frames: number; style: string };
    assert.equal(result.style, style);
    // Once: A held 1 s, the move (dissolve: through the noise and a rescale between the two noises), B held 1 s.
    const meta = await sharp(gif, { animated: true }).metadata();
    const first = await inkGrid(await page(gif, 0), 128);
    const last = await inkGrid(await page(gif, (meta.pages ?? 1) - 1), 128);
    // Measured: first vs A 0.963, last vs B 0.983 (direct), 0.980 (dissolve); first vs B 0.558,
    // last vs A 0.568–0.570 (the two share a square's middle).
    assert.ok(iou(first, maskA) >= 0.9, `${style}: first frame vs A, IoU ${iou(first, maskA).toFixed(3)}`);
    assert.ok(iou(last, maskB) >= 0.9, `${style}: last frame vs B, IoU ${iou(last, maskB).toFixed(3)}`);
    assert.ok(iou(first, maskB) < iou(first, maskA) - 0.3, `${style}: A is not B: ${iou(first, maskB).toFixed(3)}`);
  }
});

test('make A B C writes one looping GIF through noise and each picture; bad requests say what is wrong', async (t) => {
  const dir = await testFolder(t, 'flowgif-morph-');
  const pictures = [bundledSamplePath('heart.png'), bundledSamplePath('star.jpg'), await writeTestPicture(dir, 'transparent-logo')];
  const gif = path.join(dir, 'seq.gif');
  const made = await runCli(['make', ...pictures, '-o', gif, ...small, '--json']);
  assert.equal(made.code, 0, made.stderr);
  const result = JSON.parse(made.stdout) as { frames: number; pictures: number; style: string };
  assert.equal(result.pictures, 3);
  assert.equal(result.style, 'direct');
  // Noise → heart, heart → star, star → logo (10 frames each), 10 held on each picture, and the
  // logo back to the noise leaving out both ends (8).
  assert.equal(result.frames, 10 + 10 + 9 + 10 + 9 + 10 + 8);
  assert.equal((await sharp(gif, { animated: true }).metadata()).loop, 0);

  const usage = async (args: string[], pattern: RegExp): Promise<void> => {
    const refused = await runCli(args);
    assert.equal(refused.code, 2, `${args.join(' ')}: ${refused.stderr}`);
    assert.match(refused.stderr, pattern);
  };
  await usage(['morph', pictures[0]!, '-o', path.join(dir, 'x.gif')], /morph takes two pictures, A and B/);
  await usage(['morph', pictures[0]!, pictures[1]!, '-o', path.join(dir, 'x.gif'), '--style', 'sideways'], /--style must be one of direct, dissolve, not 'sideways'/);
  await usage(['make', pictures[0]!, pictures[1]!, '-o', path.join(dir, 'x.gif'), '--train', '5'], /--train works from one image/);
  await usage(['make', pictures[0]!, '-o', path.join(dir, 'x.gif'), '--style', 'direct'], /--style says how one picture becomes the next/);
  const missing = await runCli(['morph', pictures[0]!, path.join(dir, 'nope.png'), '-o', path.join(dir, 'x.gif')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /nope\.png/);
  await assert.rejects(fs.stat(path.join(dir, 'x.gif')), 'nothing is written for a refused request');
});
