import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { encodeAnimation } from './encode.js';
import { decodeRgba, ffmpegSkip, ffprobe, listAll, recordingContext, tempDir } from './encode.test-util.js';
import type { FrameSource } from './frame-source.js';
import { flowingDots } from './synthetic-frames.js';

// Odd sides on purpose: these formats take them as they are (no even padding as for H.264).
const [width, height, count] = [63, 47, 10];
const dots = (transparent: boolean): FrameSource => flowingDots({ width, height, count, fps: 20, seed: 7, transparent });

async function allFrames(frames: FrameSource): Promise<Buffer> {
  const signal = new AbortController().signal;
  const out: Buffer[] = [];
  for (let i = 0; i < frames.count; i++) out.push(Buffer.from(await frames.frame(i, signal)));
  return Buffer.concat(out);
}

/**
 * How the decoded alpha follows the source's: the share of the source's clear pixels (no dot)
 * that decode clear (alpha 0), and of its dots that decode mostly opaque (alpha ≥ 128).
 */
function alphaAgreement(source: Buffer, decoded: Buffer): { clear: number; dots: number } {
  assert.equal(decoded.length, source.length, 'every frame decoded, at the source size');
  let clear = 0;
  let clearKept = 0;
  let dotsTotal = 0;
  let dotsKept = 0;
  for (let i = 3; i < source.length; i += 4) {
    if (source[i] === 0) {
      clear++;
      if (decoded[i] === 0) clearKept++;
    } else {
      dotsTotal++;
      if (decoded[i]! >= 128) dotsKept++;
    }
  }
  return { clear: clearKept / clear, dots: dotsKept / dotsTotal };
}

function allOpaque(decoded: Buffer): boolean {
  for (let i = 3; i < decoded.length; i += 4) if (decoded[i] !== 255) return false;
  return true;
}

/** An APNG's acTL chunk: frames and plays (0 = forever) as the file declares them. */
async function apngControl(file: string): Promise<{ frames: number; plays: number }> {
  const data = await fs.readFile(file);
  const at = data.indexOf('acTL', 0, 'latin1');
  assert.ok(at > 0, 'the file has an acTL chunk');
  return { frames: data.readUInt32BE(at + 4), plays: data.readUInt32BE(at + 8) };
}

async function encode(format: 'webm' | 'mov' | 'webp' | 'apng' | 'gif', dir: string, name: string, frames: FrameSource, loop?: number) {
  const ctx = recordingContext();
  const result = await encodeAnimation({ format, outputPath: path.join(dir, `${name}.${format}`), quality: 70, frames, ...(loop === undefined ? {} : { loop }) }, ctx);
  ctx.assertCompleted();
  assert.equal(ctx.events.at(-1)?.bytes, result.sizeBytes);
  assert.equal(result.sizeBytes, (await fs.stat(result.outputPath)).size);
  assert.equal(result.frames, count);
  return result;
}

test('WebM: VP9, every frame, alpha_mode 1 and clear pixels where the background is transparent', async (t) => {
  const skip = await ffmpegSkip();
  if (skip) return t.skip(skip);
  const dir = await tempDir(t);
  const clear = await encode('webm', dir, 'clear', dots(true));
  const [video, ...others] = await ffprobe(clear.outputPath);
  assert.equal(others.length, 0, 'one stream, no audio');
  assert.deepEqual(
    [video?.codec_name, video?.pix_fmt, video?.width, video?.height, video?.nb_read_frames, video?.tags?.alpha_mode],
    ['vp9', 'yuv420p', width, height, String(count), '1'],
  );
  const agreement = alphaAgreement(await allFrames(dots(true)), await decodeRgba(clear.outputPath, 'libvpx-vp9'));
  t.diagnostic(`webm alpha: ${JSON.stringify(agreement)}`);
  // Lossy alpha blurs round one-pixel dots: measured 0.89 of the clear pixels stay exactly clear.
  assert.ok(agreement.clear > 0.85 && agreement.dots > 0.9, JSON.stringify(agreement));

  const opaque = await encode('webm', dir, 'opaque', dots(false));
  const [plain] = await ffprobe(opaque.outputPath);
  assert.equal(plain?.tags?.alpha_mode, undefined, 'no alpha plane for an opaque background');
  assert.ok(allOpaque(await decodeRgba(opaque.outputPath, 'libvpx-vp9')));
  assert.deepEqual(await listAll(dir), ['clear.webm', 'opaque.webm'], 'no temporary files are left');
});

test('MOV: ProRes 4444, every frame, and an alpha plane exactly clear where the background is transparent', async (t) => {
  const skip = await ffmpegSkip();
  if (skip) return t.skip(skip);
  const dir = await tempDir(t);
  const clear = await encode('mov', dir, 'clear', dots(true));
  const [video, ...others] = await ffprobe(clear.outputPath);
  assert.equal(others.length, 0, 'one stream, no audio');
  // Written as yuva444p10le; ffmpeg's ProRes decoder reports 4444 as 12-bit (yuva444p12le).
  assert.deepEqual(
    [video?.codec_name, video?.profile, video?.pix_fmt.startsWith('yuva444p'), video?.width, video?.height, video?.nb_read_frames],
    ['prores', '4444', true, width, height, String(count)],
  );
  const agreement = alphaAgreement(await allFrames(dots(true)), await decodeRgba(clear.outputPath));
  t.diagnostic(`mov alpha: ${JSON.stringify(agreement)}`);
  assert.deepEqual(agreement, { clear: 1, dots: 1 });

  const opaque = await encode('mov', dir, 'opaque', dots(false));
  const [plain] = await ffprobe(opaque.outputPath);
  assert.equal(plain?.pix_fmt.startsWith('yuv444p'), true, `no alpha plane for an opaque background (${plain?.pix_fmt})`);
  assert.ok(allOpaque(await decodeRgba(opaque.outputPath)));
});

test('APNG: every frame, the play count, and alpha exactly where the source has it', async (t) => {
  const skip = await ffmpegSkip();
  if (skip) return t.skip(skip);
  const dir = await tempDir(t);
  const clear = await encode('apng', dir, 'clear', dots(true), 3);
  const [video] = await ffprobe(clear.outputPath);
  assert.deepEqual([video?.codec_name, video?.pix_fmt, video?.width, video?.height, video?.nb_read_frames], ['apng', 'rgba', width, height, String(count)]);
  assert.deepEqual(await apngControl(clear.outputPath), { frames: count, plays: 3 });
  // Lossless: the decoded frames are the source's, byte for byte.
  assert.ok((await decodeRgba(clear.outputPath)).equals(await allFrames(dots(true))));

  const opaque = await encode('apng', dir, 'opaque', dots(false));
  const [plain] = await ffprobe(opaque.outputPath);
  assert.equal(plain?.pix_fmt, 'rgb24', 'no alpha channel for an opaque background');
  assert.deepEqual(await apngControl(opaque.outputPath), { frames: count, plays: 0 });
  assert.ok((await decodeRgba(opaque.outputPath)).equals(await allFrames(dots(false))));
});

/** ffmpeg cannot decode animated WebP (its decoder skips ANIM frames), so sharp (libwebp) reads it. */
test('WebP: every frame, its delay, the loop count, and clear pixels where the background is transparent', async (t) => {
  const skip = await ffmpegSkip();
  if (skip) return t.skip(skip);
  const dir = await tempDir(t);
  const clear = await encode('webp', dir, 'clear', dots(true), 2);
  const meta = await sharp(clear.outputPath, { animated: true }).metadata();
  assert.deepEqual([meta.format, meta.pages, meta.width, meta.pageHeight, meta.loop], ['webp', count, width, height, 2]);
  assert.ok(meta.delay?.every((ms) => ms === 50), `delays ${String(meta.delay)}`);
  const decoded = await sharp(clear.outputPath, { animated: true }).ensureAlpha().raw().toBuffer();
  const agreement = alphaAgreement(await allFrames(dots(true)), decoded);
  t.diagnostic(`webp alpha: ${JSON.stringify(agreement)}`);
  // libwebp keeps alpha losslessly by default: measured 1 and 1.
  assert.ok(agreement.clear > 0.99 && agreement.dots > 0.99, JSON.stringify(agreement));

  const opaque = await encode('webp', dir, 'opaque', dots(false));
  assert.equal((await sharp(opaque.outputPath, { animated: true }).metadata()).loop, 0);
  assert.ok(allOpaque(await sharp(opaque.outputPath, { animated: true }).ensureAlpha().raw().toBuffer()));
});

test('GIF: pixels with no dot on a transparent background are transparent', async (t) => {
  const dir = await tempDir(t);
  const clear = await encode('gif', dir, 'clear', dots(true));
  const decoded = await sharp(clear.outputPath, { animated: true }).ensureAlpha().raw().toBuffer();
  const agreement = alphaAgreement(await allFrames(dots(true)), decoded);
  t.diagnostic(`gif alpha: ${JSON.stringify(agreement)}`);
  assert.deepEqual(agreement, { clear: 1, dots: 1 });
  const opaque = await encode('gif', dir, 'opaque', dots(false));
  assert.ok(allOpaque(await sharp(opaque.outputPath, { animated: true }).ensureAlpha().raw().toBuffer()));
});
