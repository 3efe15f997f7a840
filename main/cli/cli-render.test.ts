import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { bundledSamplePath } from '../engine/image/samples.js';
import { writeTestPicture } from '../tools/fixture-pictures.js';
import { runCli } from './cli-runner.test-util.js';
import { iou } from '../engine/render/frame-measures.test-util.js';

const sample = bundledSamplePath('flowgif-mark.png');
const run = promisify(execFile);

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-render-'));
}

async function hasFfmpeg(): Promise<boolean> {
  try {
    await run('ffprobe', ['-version']);
    return true;
  } catch {
    return false;
  }
}

/** Pixels darker than `below` (default mid-grey) over white, as a mask on a width × height grid. */
async function darkMask(input: string | Buffer, width: number, height: number, page?: number, below = 128): Promise<Uint8Array> {
  const { data } = await sharp(await sharp(input, page === undefined ? {} : { page }).png().toBuffer())
    .flatten({ background: '#ffffff' })
    .resize(width, height, { fit: 'fill' })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return Uint8Array.from(data, (v) => (v < below ? 1 : 0));
}


/** Every page of an animated GIF, decoded whole (sharp composites each onto the last). */
async function gifPages(file: string): Promise<{ pages: Buffer[]; delays: number[]; loop: number | undefined }> {
  const { data, info } = await sharp(file, { animated: true }).raw().toBuffer({ resolveWithObject: true });
  const bytes = info.width * (info.pageHeight ?? info.height) * info.channels;
  const pages = Array.from({ length: info.pages ?? 1 }, (_, i) => data.subarray(i * bytes, (i + 1) * bytes));
  const meta = await sharp(file, { animated: true }).metadata();
  return { pages, delays: meta.delay ?? [], loop: meta.loop };
}

/** Mean absolute difference per channel value (0–255) of two decoded pages. */
function meanAbsoluteDifference(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

test('make with defaults writes a 512 px GIF that loops: noise → picture, a hold, and back with no jump', async () => {
  const dir = await tempDir();
  const gif = path.join(dir, 'out.gif');
  const made = await runCli(['make', sample, '-o', gif, '--json']);
  assert.equal(made.code, 0, made.stderr);
  assert.ok(made.stdout.includes(gif), `prints where the file is: ${made.stdout}`);
  // 3 s there, 1 s on the picture, 3 s back, leaving out both ends on the way back.
  assert.equal((JSON.parse(made.stdout) as { frames: number }).frames, 60 + 20 + 58);
  const meta = await sharp(gif, { animated: true }).metadata();
  assert.equal(meta.format, 'gif');
  assert.equal(meta.width, 512);
  assert.equal(meta.pageHeight, 512);
  assert.equal(meta.loop, 0);
  const { pages, delays } = await gifPages(gif);
  // gifski merges repeated frames into longer ones; the time is the timeline's to the frame.
  assert.equal(delays.reduce((sum, d) => sum + d, 0), 138 * 50);
  const held = delays.indexOf(Math.max(...delays));
  // About a second: gifski shifts a frame or two of the merge onto the eased frames around it.
  assert.ok(delays[held]! >= 900, `the picture is held a second: ${delays[held]} ms`);
  assert.ok(held > pages.length / 3 && held < (2 * pages.length) / 3, `the hold is mid-loop: page ${held} of ${pages.length}`);

  // Seamless: the step from the last page back to the first is no larger than the motion's
  // largest step. Measured on the mark: 0.32 against 10.1 (the one-way GIF jumped 23.1).
  const steps = pages.slice(1).map((page, i) => meanAbsoluteDifference(pages[i]!, page));
  const wrap = meanAbsoluteDifference(pages.at(-1)!, pages[0]!);
  const largest = Math.max(...steps);
  assert.ok(largest > 5, `the animation moves: largest step ${largest.toFixed(2)}`);
  assert.ok(wrap <= largest / 10, `last → first ${wrap.toFixed(2)} vs largest step ${largest.toFixed(2)}`);

  // Ink: anything clearly off the white background, in the picture and in the frames.
  const picture = await darkMask(sample, 64, 64, undefined, 200);
  // Frames show the picture inside a 5 % margin on every side (the default framing).
  const inner = Math.round(512 / 1.1);
  const pictureArea = async (page: number): Promise<Buffer> =>
    sharp(gif, { page }).extract({ left: Math.round((512 - inner) / 2), top: Math.round((512 - inner) / 2), width: inner, height: inner }).png().toBuffer();
  const last = await darkMask(await pictureArea(held), 64, 64, undefined, 200);
  const first = await darkMask(await pictureArea(0), 64, 64, undefined, 200);
  assert.ok(iou(last, picture) > 0.85, `the held frame matches the picture: IoU ${iou(last, picture)}`);
  assert.ok(iou(last, picture) - iou(first, picture) > 0.3, `first frame is far from the picture: IoU ${iou(first, picture)}`);
  // Noise from N(0, I) is a round blob around the centre.
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < first.length; i++) {
    if (!first[i]) continue;
    const x = i % 64;
    const y = Math.floor(i / 64);
    n += 1;
    sx += x;
    sy += y;
    sxx += x * x;
    syy += y * y;
  }
  const [mx, my] = [sx / n, sy / n];
  const [stdX, stdY] = [Math.sqrt(sxx / n - mx * mx), Math.sqrt(syy / n - my * my)];
  assert.ok(Math.abs(mx - 31.5) < 3 && Math.abs(my - 31.5) < 3, `noise centred: ${mx}, ${my}`);
  assert.ok(Math.abs(stdX / stdY - 1) < 0.15, `noise round: ${stdX} vs ${stdY}`);
  await fs.rm(dir, { recursive: true });
});

test('make --train trains a flow first, keeps it beside the animation, and renders from it', async () => {
  const dir = await tempDir();
  const gif = path.join(dir, 'trained.gif');
  const made = await runCli(['make', sample, '-o', gif, '--train', '2', '--particles', '2000', '--size', '64', '--fps', '5', '--seconds', '1', '--json']);
  assert.equal(made.code, 0, made.stderr);
  const result = JSON.parse(made.stdout) as { flow: string; model: string; frames: number };
  assert.equal(result.flow, 'fm');
  assert.equal(result.model, path.join(dir, 'trained.flow'));
  // The default loop: 5 frames there, 5 on the picture, 3 back.
  assert.equal(result.frames, 5 + 5 + 3);
  assert.equal((await gifPages(gif)).delays.reduce((sum, d) => sum + d, 0), 13 * 200);
  const evaluated = await runCli(['eval', result.model, '--n', '500', '--json']);
  assert.equal(evaluated.code, 0, evaluated.stderr);
  await fs.rm(dir, { recursive: true });
});

test('render to MP4 gives H.264 yuv420p with the frames and size asked', async (t) => {
  if (!(await hasFfmpeg())) {
    t.skip('ffmpeg/ffprobe not installed (apt-get install ffmpeg); .ci/run installs it');
    return;
  }
  const dir = await tempDir();
  const mp4 = path.join(dir, 'out.mp4');
  const rendered = await runCli(['render', '--exact', sample, '-o', mp4, '--fps', '10', '--seconds', '2', '--size', '256', '--particles', '20000', '--json']);
  assert.equal(rendered.code, 0, rendered.stderr);
  const { stdout } = await run('ffprobe', ['-v', 'error', '-count_frames', '-show_streams', '-of', 'json', mp4]);
  const stream = (JSON.parse(stdout) as { streams: Array<Record<string, unknown>> }).streams[0]!;
  assert.equal(stream['codec_name'], 'h264');
  assert.equal(stream['pix_fmt'], 'yuv420p');
  // 20 frames there, 10 on the picture, 18 back: a video loops as seamlessly as the GIF.
  assert.equal(Number(stream['nb_read_frames']), 20 + 10 + 18);
  assert.equal(stream['width'], 256);
  assert.equal(stream['height'], 256);
  // The size was estimated from a few frames before the encode, and within a sensible factor.
  const note = rendered.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { type: string; estimate_bytes?: number }).find((e) => e.type === 'note');
  const actual = (await fs.stat(mp4)).size;
  assert.ok(note?.estimate_bytes !== undefined, 'an estimate is announced');
  assert.ok(note.estimate_bytes > actual / 1.5 && note.estimate_bytes < actual * 1.5, `estimate ${note.estimate_bytes} vs ${actual} bytes`);
  await fs.rm(dir, { recursive: true });
});

test('render to a folder writes one PNG per frame, with bounce played once: back to the first frame', async () => {
  const dir = await tempDir();
  const frames = path.join(dir, 'frames') + path.sep;
  const rendered = await runCli(['render', '--exact', sample, '-o', frames, '--fps', '5', '--seconds', '1', '--size', '64', '--particles', '2000', '--bounce', '--hold-end', '0', '--loops', '1']);
  assert.equal(rendered.code, 0, rendered.stderr);
  const files = (await fs.readdir(frames)).filter((name) => name.endsWith('.png')).sort();
  assert.equal(files.length, 5 + 4);
  assert.equal(files[0], 'frame-0001.png');
  const pixels = (name: string): Promise<Buffer> => sharp(path.join(frames, name)).raw().toBuffer();
  assert.ok((await pixels(files[0]!)).equals(await pixels(files.at(-1)!)), 'played once, the way back ends on the first frame');
  await fs.rm(dir, { recursive: true });
});

test('make --once: one pass that ends held on the picture and plays once', async () => {
  const dir = await tempDir();
  const gif = path.join(dir, 'once.gif');
  const made = await runCli(['make', sample, '-o', gif, '--once', '--fps', '10', '--seconds', '1', '--size', '96', '--particles', '4000', '--json']);
  assert.equal(made.code, 0, made.stderr);
  assert.equal((JSON.parse(made.stdout) as { frames: number }).frames, 10 + 10);
  const { pages, delays, loop } = await gifPages(gif);
  assert.equal(loop, 1);
  // The picture's arrival and its 1 s hold are one long page, the last (gifski merges the
  // repeats, shifting a frame or two onto the eased frames before it).
  assert.ok(delays.at(-1)! >= 900 && delays.at(-1)! === Math.max(...delays), `held last page: ${delays.join(',')}`);
  assert.equal(delays.reduce((sum, d) => sum + d, 0), 20 * 100);
  const picture = await darkMask(sample, 32, 32, undefined, 200);
  const lastPage = await sharp(pages.at(-1)!, { raw: { width: 96, height: 96, channels: 4 } }).png().toBuffer();
  const firstPage = await sharp(pages[0]!, { raw: { width: 96, height: 96, channels: 4 } }).png().toBuffer();
  const inner = Math.round(96 / 1.1);
  const crop = (png: Buffer): Promise<Buffer> => sharp(png).extract({ left: Math.round((96 - inner) / 2), top: Math.round((96 - inner) / 2), width: inner, height: inner }).png().toBuffer();
  const last = await darkMask(await crop(lastPage), 32, 32, undefined, 200);
  const first = await darkMask(await crop(firstPage), 32, 32, undefined, 200);
  assert.ok(iou(last, picture) > 0.75, `it ends on the picture: IoU ${iou(last, picture)}`);
  assert.ok(iou(first, picture) < iou(last, picture) - 0.2, `and starts on noise: IoU ${iou(first, picture)}`);
  const conflicting = await runCli(['make', sample, '-o', gif, '--once', '--bounce']);
  assert.equal(conflicting.code, 2);
  assert.match(conflicting.stderr, /--once plays one way only; it cannot be combined with --bounce/);
  await fs.rm(dir, { recursive: true });
});

test('--canvas square frames a 5:1 banner in a square, centred, the background filling the padding', async () => {
  const dir = await tempDir();
  const banner = await writeTestPicture(dir, 'banner');
  const png = path.join(dir, 'square.png');
  const framed = await runCli(['frame', '--exact', banner, '--t', '1', '-o', png, '--canvas', 'square', '--size', '200', '--particles', '20000', '--colour', 'solid']);
  assert.equal(framed.code, 0, framed.stderr);
  const meta = await sharp(png).metadata();
  assert.deepEqual([meta.width, meta.height], [200, 200]);
  const mask = await darkMask(png, 200, 200);
  let [top, bottom, left, right] = [200, -1, 200, -1];
  let inkRows = 0;
  let sumX = 0;
  let sumY = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const [x, y] = [i % 200, Math.floor(i / 200)];
    [top, bottom, left, right] = [Math.min(top, y), Math.max(bottom, y), Math.min(left, x), Math.max(right, x)];
    inkRows++;
    sumX += x;
    sumY += y;
  }
  // The banner (600 × 120, its marks 20 px in from its edges) spans 182 × 36 px of the square
  // (its 5 % margin): rows ~82–118. Above and below is only background.
  assert.ok(top > 70 && bottom < 130, `ink rows ${top}–${bottom}`);
  assert.ok(Math.abs(top + bottom - 199) <= 4, `centred vertically: rows ${top}–${bottom}`);
  assert.ok(Math.abs(left + right - 199) <= 8 && right - left > 150, `centred across: columns ${left}–${right}`);
  assert.ok(Math.abs(sumY / inkRows - 99.5) < 4, `ink centroid row ${(sumY / inkRows).toFixed(1)}`);
  assert.ok(sumX / inkRows > 20 && sumX / inkRows < 180);
  const { data } = await sharp(png).extract({ left: 0, top: 0, width: 200, height: 60 }).raw().toBuffer({ resolveWithObject: true });
  assert.ok(data.every((v) => v === 255), 'the padding above is the white background');

  const exact = path.join(dir, 'exact.png');
  assert.equal((await runCli(['frame', '--exact', banner, '--t', '1', '-o', exact, '--canvas', '300x158', '--particles', '5000'])).code, 0);
  assert.deepEqual([(await sharp(exact).metadata()).width, (await sharp(exact).metadata()).height], [300, 158]);
  const both = await runCli(['frame', '--exact', banner, '--t', '1', '-o', exact, '--canvas', '300x158', '--size', '256']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--canvas 300x158 sets the size in pixels; leave out --size/);
  await fs.rm(dir, { recursive: true });
});

test('frame at t = 1 of the exact flow has the statistics of sample at t = 1; t = 0.5 works for exact and trained flows', async () => {
  const dir = await tempDir();
  const png = path.join(dir, 'f1.png');
  const csv = path.join(dir, 'p.csv');
  const size = 384;
  assert.equal((await runCli(['frame', '--exact', sample, '--t', '1', '-o', png, '--size', String(size), '--particles', '30000', '--colour', 'solid'])).code, 0);
  assert.equal((await runCli(['sample', '--exact', sample, '--n', '30000', '--t', '1', '-o', csv])).code, 0);

  const mask = await darkMask(png, size, size);
  const lines = (await fs.readFile(csv, 'utf8')).trim().split('\n').slice(1);
  // The frame frames the picture with a 5 % margin; map image pixels (384 px picture) into it.
  const scale = size / (384 * 1.1);
  const offset = (size - 384 * scale) / 2;
  const stats = (points: Array<[number, number]>): number[] => {
    const n = points.length;
    const mx = points.reduce((s, p) => s + p[0], 0) / n;
    const my = points.reduce((s, p) => s + p[1], 0) / n;
    const sx = Math.sqrt(points.reduce((s, p) => s + (p[0] - mx) ** 2, 0) / n);
    const sy = Math.sqrt(points.reduce((s, p) => s + (p[1] - my) ** 2, 0) / n);
    return [mx, my, sx, sy];
  };
  const fromCsv = stats(lines.map((l) => l.split(',').map(Number) as [number, number]).map(([x, y]) => [offset + x * scale, offset + y * scale]));
  const fromFrame: Array<[number, number]> = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) fromFrame.push([(i % size) + 0.5, Math.floor(i / size) + 0.5]);
  const framed = stats(fromFrame);
  for (let k = 0; k < 4; k++) assert.ok(Math.abs(framed[k]! - fromCsv[k]!) < 4, `stat ${k}: frame ${framed[k]} vs sample ${fromCsv[k]}`);

  const half = path.join(dir, 'half.png');
  assert.equal((await runCli(['frame', '--exact', sample, '--t', '0.5', '-o', half, '--size', '128', '--particles', '5000'])).code, 0);
  const model = path.join(dir, 'm.flow');
  assert.equal((await runCli(['train', sample, '-o', model, '--steps', '20'])).code, 0);
  const trainedHalf = path.join(dir, 'trained-half.png');
  const framed2 = await runCli(['frame', model, '--t', '0.5', '-o', trainedHalf, '--size', '128', '--particles', '5000', '--json']);
  assert.equal(framed2.code, 0, framed2.stderr);
  for (const file of [half, trainedHalf]) {
    const meta = await sharp(file).metadata();
    assert.equal(meta.width, 128);
    assert.equal(meta.height, 128);
  }
  await fs.rm(dir, { recursive: true });
});

test('cancelling an export with Ctrl-C leaves neither output nor temporary files', async () => {
  const dir = await tempDir();
  const gif = path.join(dir, 'c.gif');
  let sent = false;
  const cancelled = await runCli(['render', '--exact', sample, '-o', gif, '--fps', '30', '--seconds', '10', '--json'], {
    onStderr(chunk, child) {
      if (!sent && chunk.includes('"stage":"encode"')) {
        sent = true;
        child.kill('SIGINT');
      }
    },
  });
  assert.ok(sent, 'the export reached the encoder');
  assert.equal(cancelled.code, 130, cancelled.stderr);
  assert.deepEqual(await fs.readdir(dir), []);
  await fs.rm(dir, { recursive: true });
});

test('an unwritable folder and a missing encoder are clear one-line errors', async () => {
  const dir = await tempDir();
  const blocked = path.join(dir, 'file');
  await fs.writeFile(blocked, '');
  const unwritable = await runCli(['make', sample, '-o', path.join(blocked, 'out.gif')]);
  assert.equal(unwritable.code, 1);
  assert.match(unwritable.stderr, /^flowgif: Cannot write .*out\.gif: .* not a folder/);

  const { spawn } = await import('node:child_process');
  const { CLI_ENTRY } = await import('./cli-runner.test-util.js');
  const missing = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI_ENTRY, 'make', sample, '-o', path.join(dir, 'x.gif')], {
      env: { ...process.env, FLOWGIF_GIFSKI: path.join(dir, 'no-such-gifski') },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('close', (code) => resolve({ code, stderr }));
  });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /gifski/i);
  assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);
  assert.deepEqual((await fs.readdir(dir)).sort(), ['file']);
  await fs.rm(dir, { recursive: true });
});
