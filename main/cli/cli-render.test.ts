import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { bundledSamplePath } from '../engine/image/samples.js';
import { runCli } from './cli-runner.test-util.js';

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

function iou(a: Uint8Array, b: Uint8Array): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    inter += a[i]! & b[i]!;
    union += a[i]! | b[i]!;
  }
  return union === 0 ? 0 : inter / union;
}

test('make with defaults writes a 60-frame 512 px GIF from noise to the picture', async () => {
  const dir = await tempDir();
  const gif = path.join(dir, 'out.gif');
  const made = await runCli(['make', sample, '-o', gif]);
  assert.equal(made.code, 0, made.stderr);
  assert.ok(made.stdout.includes(gif), `prints where the file is: ${made.stdout}`);
  const meta = await sharp(gif, { animated: true }).metadata();
  assert.equal(meta.format, 'gif');
  assert.equal(meta.pages, 60);
  assert.equal(meta.width, 512);
  assert.equal(meta.pageHeight, 512);
  assert.equal(meta.loop, 0);

  // Ink: anything clearly off the white background, in the picture and in the frames.
  const picture = await darkMask(sample, 64, 64, undefined, 200);
  // Frames show the picture inside a 5 % margin on every side (the default framing).
  const inner = Math.round(512 / 1.1);
  const pictureArea = async (page: number): Promise<Buffer> =>
    sharp(gif, { page }).extract({ left: Math.round((512 - inner) / 2), top: Math.round((512 - inner) / 2), width: inner, height: inner }).png().toBuffer();
  const last = await darkMask(await pictureArea(59), 64, 64, undefined, 200);
  const first = await darkMask(await pictureArea(0), 64, 64, undefined, 200);
  assert.ok(iou(last, picture) > 0.85, `last frame matches the picture: IoU ${iou(last, picture)}`);
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
  assert.equal(result.frames, 5);
  assert.equal((await sharp(gif, { animated: true }).metadata()).pages, 5);
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
  assert.equal(Number(stream['nb_read_frames']), 20);
  assert.equal(stream['width'], 256);
  assert.equal(stream['height'], 256);
  // The size was estimated from a few frames before the encode, and within a sensible factor.
  const note = rendered.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { type: string; estimate_bytes?: number }).find((e) => e.type === 'note');
  const actual = (await fs.stat(mp4)).size;
  assert.ok(note?.estimate_bytes !== undefined, 'an estimate is announced');
  assert.ok(note.estimate_bytes > actual / 1.5 && note.estimate_bytes < actual * 1.5, `estimate ${note.estimate_bytes} vs ${actual} bytes`);
  await fs.rm(dir, { recursive: true });
});

test('render to a folder writes one PNG per frame, with bounce', async () => {
  const dir = await tempDir();
  const frames = path.join(dir, 'frames') + path.sep;
  const rendered = await runCli(['render', '--exact', sample, '-o', frames, '--fps', '5', '--seconds', '1', '--size', '64', '--particles', '2000', '--bounce']);
  assert.equal(rendered.code, 0, rendered.stderr);
  const files = (await fs.readdir(frames)).filter((name) => name.endsWith('.png')).sort();
  assert.equal(files.length, 5 + 4);
  assert.equal(files[0], 'frame-0001.png');
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
