import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { exportPresets, presetNames, type ExportPreset } from '../../shared/export-presets.js';
import { frameCount, resolveTimeline } from '../../shared/timeline.js';
import { ffmpegSkip, ffprobe, tempDir } from '../engine/encode/encode.test-util.js';
import { writeTestPicture } from '../tools/fixture-pictures.js';
import { runCli } from './cli-runner.test-util.js';

const run = promisify(execFile);

interface RenderJson {
  format: string;
  frames: number;
  width: number;
  height: number;
  particles: number;
  size_bytes: number;
  max_bytes?: number;
  budget_changes?: unknown[];
}

// The preset's own format, shape, fps and budget; fewer particles and a shorter pass keep each run to seconds.
const quick = ['--particles', '3000', '--seconds', '0.3', '--hold-end', '0.2'];
const quickTimeline = { durationSeconds: 0.3, holdEndSeconds: 0.2 };

function expectedShape(preset: ExportPreset, picture: { width: number; height: number }): { width: number; height: number } {
  if (typeof preset.canvas === 'object') return preset.canvas;
  if (preset.canvas === 'square') return { width: preset.size, height: preset.size };
  const scale = preset.size / Math.max(picture.width, picture.height);
  return { width: Math.round(picture.width * scale), height: Math.round(picture.height * scale) };
}

/** The share of clear pixels in the first frame, as the file's own decoder gives it. */
async function clearShare(file: string, format: string, width: number, height: number): Promise<number> {
  const rgba =
    format === 'webp' || format === 'gif'
      ? await sharp(file, { pages: 1 }).ensureAlpha().raw().toBuffer()
      : (await run('ffmpeg', ['-v', 'error', '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-'], { encoding: 'buffer', maxBuffer: 1 << 26 })).stdout;
  let clear = 0;
  for (let i = 3; i < width * height * 4; i += 4) if (rgba[i] === 0) clear++;
  return clear / (width * height);
}

for (const name of presetNames) {
  const preset = exportPresets[name];
  test(`--preset ${name} writes ${preset.format.toUpperCase()} at the preset's size, fps, background and budget`, async (t) => {
    const skip = await ffmpegSkip();
    if (skip) return t.skip(skip);
    const dir = await tempDir(t);
    // A wide picture: the picture's shape and a square canvas come out differently.
    const logo = await writeTestPicture(dir, 'banner');
    const picture = await sharp(logo).metadata();
    const out = path.join(dir, `${name}.${preset.format}`);
    const rendered = await runCli(['render', '--exact', logo, '--preset', name, ...quick, '-o', out, '--json']);
    assert.equal(rendered.code, 0, rendered.stderr);
    const result = JSON.parse(rendered.stdout) as RenderJson;
    const shape = expectedShape(preset, { width: picture.width!, height: picture.height! });
    // MP4's yuv420p needs even sides.
    const even = (n: number): number => (preset.format === 'mp4' ? n - (n % 2) : n);
    assert.deepEqual([result.format, result.width, result.height, result.particles], [preset.format, even(shape.width), even(shape.height), 3000]);
    const frames = frameCount(resolveTimeline({ ...preset.timeline, ...quickTimeline }));
    assert.equal(result.frames, frames, 'the timeline is the preset\'s: its fps, its loop or single pass');
    assert.equal(result.max_bytes, preset.maxBytes, 'the preset\'s size limit');
    if (preset.maxBytes !== undefined) assert.ok(result.size_bytes <= preset.maxBytes && result.budget_changes?.length === 0, `${result.size_bytes} bytes`);
    const bytes = (await fs.stat(out)).size;
    assert.equal(bytes, result.size_bytes);

    if (preset.format !== 'gif' && preset.format !== 'webp') {
      const [stream] = await ffprobe(out);
      const codec = { mp4: 'h264', mov: 'prores', webm: 'vp9', apng: 'apng', png: 'png' }[preset.format];
      assert.deepEqual([stream?.codec_name, stream?.r_frame_rate, Number(stream?.nb_read_frames)], [codec, `${preset.timeline.fps}/1`, frames]);
      if (preset.transparent) assert.match(stream!.pix_fmt, /^yuva444p/, 'ProRes 4444 with an alpha plane');
    } else {
      const meta = await sharp(out, { pages: -1 }).metadata();
      assert.equal(meta.format, preset.format);
      // Repeated frames are merged by the encoders; the distinct ones remain.
      assert.ok(meta.pages! > frames / 3 && meta.pages! <= frames, `${meta.pages} of ${frames} frames stored`);
    }
    const clear = preset.format === 'mp4' ? 0 : await clearShare(out, preset.format, result.width, result.height);
    t.diagnostic(`${name}: ${result.width}×${result.height}, ${result.frames} frames, ${bytes} bytes, first frame ${(clear * 100).toFixed(1)} % clear`);
    // 3000 particles of noise cover little of the frame: a transparent preset leaves most of it clear.
    if (preset.transparent) assert.ok(clear > 0.5, `${(clear * 100).toFixed(1)} % clear`);
    else assert.equal(clear, 0, 'an opaque preset has no clear pixels');
  });
}

test('a typed flag wins over the preset, and a typed --size replaces its exact canvas', async (t) => {
  const dir = await tempDir(t);
  const logo = await writeTestPicture(dir, 'colour-logo');
  const out = path.join(dir, 'slides.mov');
  const rendered = await runCli(['render', '--exact', logo, '--preset', 'slides', '--size', '96', '--fps', '10', '--background', 'white', ...quick, '-o', out, '--json']);
  assert.equal(rendered.code, 0, rendered.stderr);
  const result = JSON.parse(rendered.stdout) as RenderJson;
  assert.equal(Math.max(result.width, result.height), 96);
  assert.equal(result.frames, frameCount(resolveTimeline({ ...exportPresets.slides.timeline, fps: 10, ...quickTimeline })));
  assert.equal(await clearShare(out, 'mov', result.width, result.height), 0, 'the typed white background, not the preset\'s transparent one');
});

test('--max-size none lifts a preset\'s limit; a typed one replaces it', async (t) => {
  const dir = await tempDir(t);
  const logo = await writeTestPicture(dir, 'colour-logo');
  const lifted = await runCli(['render', '--exact', logo, '--preset', 'slack', ...quick, '--size', '64', '--max-size', 'none', '-o', path.join(dir, 'a.gif'), '--json']);
  assert.equal(lifted.code, 0, lifted.stderr);
  assert.equal((JSON.parse(lifted.stdout) as RenderJson).max_bytes, undefined);
  const typed = await runCli(['render', '--exact', logo, '--preset', 'slack', ...quick, '--size', '64', '--max-size', '2MB', '-o', path.join(dir, 'b.gif'), '--json']);
  assert.equal(typed.code, 0, typed.stderr);
  assert.equal((JSON.parse(typed.stdout) as RenderJson).max_bytes, 2_000_000);
});

test('an unknown preset, or -o naming another format than the preset\'s, is refused before any work', async (t) => {
  const dir = await tempDir(t);
  const logo = await writeTestPicture(dir, 'colour-logo');
  const unknown = await runCli(['render', '--exact', logo, '--preset', 'tiktok', '-o', path.join(dir, 'a.gif')]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--preset must be one of readme, slack, x, instagram, slides, web, not 'tiktok'\./);
  const mismatch = await runCli(['make', logo, '--preset', 'x', '-o', path.join(dir, 'a.gif')]);
  assert.equal(mismatch.code, 2);
  assert.match(mismatch.stderr, /--preset x writes MP4 \(H\.264\), but -o names GIF; end -o with \.mp4, or leave out --preset\./);
  assert.deepEqual(await fs.readdir(dir), [path.basename(logo)]);
});
