import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { runCli, testFolder } from './cli-runner.test-util.js';

/**
 * The pieces of ink on one page of a GIF, each as a share of the frame, largest first. The
 * particles are dots with white between them, so ink is read on 4 × 4 px cells: a cell whose
 * mean is darker than 200 of 255 is ink, and 4-connected ink cells are one piece.
 */
async function inkPieces(gif: string, page: number): Promise<number[]> {
  const meta = await sharp(gif, { page }).metadata();
  const cell = 4;
  const width = Math.round(meta.width / cell);
  const height = Math.round((meta.pageHeight ?? meta.height) / cell);
  const { data } = await sharp(await sharp(gif, { page }).png().toBuffer())
    .flatten({ background: '#ffffff' })
    .greyscale()
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const label = new Int32Array(width * height).fill(-1);
  const areas: number[] = [];
  for (let start = 0; start < width * height; start++) {
    if (data[start]! >= 200 || label[start]! >= 0) continue;
    const stack = [start];
    label[start] = areas.length;
    let area = 0;
    while (stack.length > 0) {
      const p = stack.pop()!;
      area++;
      const x = p % width;
      const y = (p - x) / width;
      for (const [nx, ny] of [[x + 1, y], [x - 1, y], [x, y + 1], [x, y - 1]] as const) {
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const q = ny * width + nx;
        if (data[q]! < 200 && label[q]! < 0) {
          label[q] = areas.length;
          stack.push(q);
        }
      }
    }
    areas.push(area / (width * height));
  }
  return areas.sort((a, b) => b - a);
}

test('make --text "Hi" writes a GIF whose first frame is one cloud and whose last shows the letters apart', async (t) => {
  const dir = await testFolder(t, 'flowgif-text-');
  const gif = path.join(dir, 't.gif');
  const made = await runCli(['make', '--text', 'Hi', '-o', gif, '--particles', '20000', '--size', '256', '--fps', '10', '--seconds', '1', '--once', '--json']);
  assert.equal(made.code, 0, made.stderr);
  const meta = await sharp(gif, { animated: true }).metadata();
  assert.equal(meta.format, 'gif');
  const pages = meta.pages ?? 1;
  assert.ok(pages >= 10, `pages: ${pages}`);

  // Measured: the first page is one piece of 27 % of the frame with crumbs of ≤ 0.1 %; the
  // last is the H (23 %), the i's stem (7 %) and its dot (2 %).
  const first = await inkPieces(gif, 0);
  const big = (pieces: number[]): number[] => pieces.filter((share) => share > 0.02);
  assert.equal(big(first).length, 1, `first page pieces: ${first.slice(0, 5).join(', ')}`);
  const firstInk = first.reduce((sum, share) => sum + share, 0);
  assert.ok(first[0]! / firstInk > 0.95, `the cloud holds the ink: ${first[0]} of ${firstInk}`);

  const last = await inkPieces(gif, pages - 1);
  assert.ok(big(last).length >= 2 && big(last).length <= 3, `last page pieces over 2 %: ${last.slice(0, 5).join(', ')}`);
  assert.ok(last[0]! < 0.3 && last[1]! > 0.04, `H and i both hold ink: ${last.slice(0, 3).join(', ')}`);
});

test('frame --text draws the text with the exact flow; a missing text or font is a clear one-line error', async (t) => {
  const dir = await testFolder(t, 'flowgif-text-');
  const png = path.join(dir, 'f.png');
  const frame = await runCli(['frame', '--text', 'Hi', '--weight', 'regular', '--t', '1', '-o', png, '--particles', '5000', '--size', '128']);
  assert.equal(frame.code, 0, frame.stderr);
  const meta = await sharp(png).metadata();
  // "Hi" with its margin is wider than tall: the picture is the text's, not a square.
  assert.ok(meta.width === 128 && meta.height < 128, `${meta.width}×${meta.height}`);

  const garbage = path.join(dir, 'not-a-font.ttf');
  await fs.writeFile(garbage, 'these bytes are no font');
  for (const [args, named] of [
    [['--text', ''], /The text is empty/],
    [['--text', 'x'.repeat(201)], /201 characters long; the limit is 200/],
    [['--text', 'Hi', '--font', 'Comic Sans'], /no bundled font named Comic Sans; the bundled fonts are Inter/],
    [['--text', 'Hi', '--font', garbage], new RegExp(`${garbage.replace(/[.\\]/g, '\\$&')} is not a font`)],
  ] as const) {
    const run = await runCli(['make', ...args, '-o', path.join(dir, 'e.gif')]);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, named);
  }
  for (const args of [['--text', 'Hi', '--weight', 'heavy'], ['--font', 'Inter'], ['--text', 'Hi', '--train', '2'], ['--text', 'Hi', 'picture.png'], ['--text', 'Hi', '--exact', 'picture.png']]) {
    const command = args.includes('--exact') ? 'frame' : 'make';
    const run = await runCli([command, ...args, '-o', path.join(dir, command === 'frame' ? 'e.png' : 'e.gif'), ...(command === 'frame' ? ['--t', '1'] : [])]);
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
  }
  await assert.rejects(fs.access(path.join(dir, 'e.gif')), 'nothing written on an error');
});
