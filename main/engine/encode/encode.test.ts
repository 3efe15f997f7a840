import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { FlowGifError } from '../../../shared/errors.js';
import { noopJobContext, type CancelSignal } from '../../../shared/job.js';
import { encodeAnimation, estimateSize, type EncodeRequest } from './encode.js';
import { decodeRgba, ffmpegSkip, ffprobe, listAll, recordingContext, tempDir, topLevelBoxes, watchedSource } from './encode.test-util.js';
import { mp4Stream } from './mp4-encoder.js';
import { flowingDots } from './synthetic-frames.js';

const small = (width = 64, height = 48, count = 12) => flowingDots({ width, height, count, fps: 20, seed: 7 });

test('GIF: every frame, the exact size, the frame delay and the loop count', async (t) => {
  const dir = await tempDir(t);
  const ctx = recordingContext();
  const frames = small();
  const result = await encodeAnimation({ format: 'gif', outputPath: path.join(dir, 'out.gif'), quality: 80, frames }, ctx);
  assert.deepEqual({ frames: result.frames, durationMs: result.durationMs }, { frames: 12, durationMs: 600 });
  const meta = await sharp(result.outputPath, { animated: true }).metadata();
  assert.equal(meta.format, 'gif');
  assert.equal(meta.pages, 12);
  assert.equal(meta.width, 64);
  assert.equal(meta.pageHeight, 48);
  assert.equal(meta.loop, 0);
  assert.ok(meta.delay?.every((ms) => ms === 50), `delays ${String(meta.delay)}`);
  assert.equal(result.sizeBytes, (await fs.stat(result.outputPath)).size);
  ctx.assertCompleted();
  assert.equal(ctx.events.at(-1)?.bytes, result.sizeBytes);
  assert.deepEqual(await listAll(dir), ['out.gif'], 'no temporary files or folders are left');

  const once = await encodeAnimation({ format: 'gif', outputPath: path.join(dir, 'once.gif'), quality: 50, loop: 3, frames }, noopJobContext);
  assert.equal((await sharp(once.outputPath, { animated: true }).metadata()).loop, 3);
});

test('GIF: frames that repeat earlier ones (a there-and-back) are drawn once and play in order', async (t) => {
  const dir = await tempDir(t);
  const there = small(64, 48, 6);
  // 0 1 2 3 4 5 4 3 2 1: the way back repeats the way there.
  const order = [0, 1, 2, 3, 4, 5, 4, 3, 2, 1];
  const source = watchedSource({ ...there, count: order.length, frame: (i, signal) => there.frame(order[i]!, signal) });
  const frames = { ...source, repeatOf: (i: number) => (i > 5 ? order[i] : undefined) };
  const result = await encodeAnimation({ format: 'gif', outputPath: path.join(dir, 'back.gif'), quality: 80, frames }, noopJobContext);
  assert.equal(result.frames, 10);
  assert.equal(source.rendered(), 6);
  const { data, info } = await sharp(result.outputPath, { animated: true }).raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.pages, 10);
  const page = (i: number): Buffer => data.subarray(i * 64 * 48 * 4, (i + 1) * 64 * 48 * 4);
  const difference = (a: Buffer, b: Buffer): number => a.reduce((sum, v, k) => sum + Math.abs(v - b[k]!), 0) / a.length;
  // gifski's palettes depend on the frames around, so a repeat matches closely, not bit for bit.
  for (let i = 6; i < 10; i++) {
    const same = difference(page(i), page(order[i]!));
    assert.ok(same < difference(page(i), page(order[i]! + 1)) / 4, `page ${i} shows frame ${order[i]}: ${same}`);
  }
});

test('GIF: a one-frame animation and a size above gifski’s default cap keep their size', async (t) => {
  const dir = await tempDir(t);
  const single = await encodeAnimation(
    { format: 'gif', outputPath: path.join(dir, 'one.gif'), quality: 60, frames: flowingDots({ width: 900, height: 40, count: 1 }) },
    noopJobContext,
  );
  const meta = await sharp(single.outputPath, { animated: true }).metadata();
  assert.deepEqual([meta.pages, meta.width, meta.pageHeight ?? meta.height], [1, 900, 40]);
});

test('MP4: H.264, yuv420p, every frame, even sides, moov before mdat', async (t) => {
  const skip = await ffmpegSkip();
  if (skip) return t.skip(skip);
  const dir = await tempDir(t);
  const ctx = recordingContext();
  // Odd on purpose: yuv420p needs even sides, so 63×47 becomes 64×48.
  const result = await encodeAnimation(
    { format: 'mp4', outputPath: path.join(dir, 'out.mp4'), quality: 70, frames: small(63, 47, 15) },
    ctx,
  );
  const [video, ...others] = await ffprobe(result.outputPath);
  assert.equal(others.length, 0, 'one stream, no audio');
  assert.ok(video);
  assert.equal(video.codec_name, 'h264');
  assert.equal(video.pix_fmt, 'yuv420p');
  assert.deepEqual([video.width, video.height], [64, 48]);
  assert.equal(Number(video.nb_read_frames), 15);
  assert.equal(video.r_frame_rate, '20/1');
  const boxes = await topLevelBoxes(result.outputPath);
  assert.ok(boxes.indexOf('moov') >= 0 && boxes.indexOf('moov') < boxes.indexOf('mdat'), `boxes ${boxes.join(',')}`);
  ctx.assertCompleted();
  assert.deepEqual(await listAll(dir), ['out.mp4']);
});

test('MP4: opaque even frames go to ffmpeg as RGBA and decode to the same picture as the flattened path', async (t) => {
  const skip = await ffmpegSkip();
  if (skip) return t.skip(skip);
  const dir = await tempDir(t);
  const even = small(64, 48, 6);
  const first = await even.frame(0, noopJobContext.signal);
  assert.equal(mp4Stream(even, first, 70).inputPixFmt, 'rgba');
  assert.equal(mp4Stream(small(63, 47, 6), await small(63, 47, 6).frame(0, noopJobContext.signal), 70).inputPixFmt, 'rgb24', 'odd sides are padded here');
  const seeThrough = first.slice();
  seeThrough[3] = 128;
  assert.equal(mp4Stream(even, seeThrough, 70).inputPixFmt, 'rgb24', 'a frame with alpha is flattened over white here');

  const direct = await encodeAnimation({ format: 'mp4', outputPath: path.join(dir, 'direct.mp4'), quality: 90, frames: even }, noopJobContext);
  // The same frames with one pixel a shade short of opaque take the flattened rgb24 path.
  const flattenedFrames = { ...even, frame: async (i: number, signal: CancelSignal) => {
    const rgba = (await even.frame(i, signal)).slice();
    rgba[3] = 254;
    return rgba;
  } };
  const flattened = await encodeAnimation({ format: 'mp4', outputPath: path.join(dir, 'flat.mp4'), quality: 90, frames: flattenedFrames }, noopJobContext);
  const [a, b] = [await decodeRgba(direct.outputPath), await decodeRgba(flattened.outputPath)];
  assert.equal(a.length, 6 * 64 * 48 * 4);
  let differ = 0;
  for (let i = 0; i < a.length; i++) differ += Math.abs(a[i]! - b[i]!);
  // Measured 0 (Debian's ffmpeg 5.1): the same YUV either way; a little room for another swscale's rounding.
  assert.ok(differ / a.length < 0.05, `the two paths decode alike: ${differ / a.length}`);
});

test('PNG sequence: numbered frames in a new folder; our own old frames are replaced, other files refused', async (t) => {
  const dir = await tempDir(t);
  const target = path.join(dir, 'frames');
  const ctx = recordingContext();
  const result = await encodeAnimation({ format: 'png', outputPath: target + path.sep, quality: 100, frames: small(64, 48, 10) }, ctx);
  assert.equal(result.outputPath, target);
  const names = await fs.readdir(target);
  assert.deepEqual(names.sort(), ['.flowgif-export.json', ...Array.from({ length: 10 }, (_, i) => `frame-${String(i + 1).padStart(4, '0')}.png`)]);
  const meta = await sharp(path.join(target, 'frame-0001.png')).metadata();
  assert.deepEqual([meta.width, meta.height, meta.channels], [64, 48, 4]);
  ctx.assertCompleted();

  // A shorter export over the old one leaves exactly its own frames.
  await encodeAnimation({ format: 'png', outputPath: target, quality: 100, frames: small(64, 48, 3) }, noopJobContext);
  assert.deepEqual((await fs.readdir(target)).sort(), ['.flowgif-export.json', 'frame-0001.png', 'frame-0002.png', 'frame-0003.png']);

  await fs.writeFile(path.join(target, 'notes.txt'), 'mine');
  const frames = watchedSource(small());
  await assert.rejects(encodeAnimation({ format: 'png', outputPath: target, quality: 100, frames }, noopJobContext), {
    code: 'OUTPUT_UNWRITABLE',
    message: /already holds other files \(notes\.txt\)/,
  });
  assert.equal(frames.rendered(), 0);
  assert.deepEqual(await listAll(dir), ['frames', 'frames/.flowgif-export.json', 'frames/frame-0001.png', 'frames/frame-0002.png', 'frames/frame-0003.png', 'frames/notes.txt']);
});

test('PNG sequence: an empty folder is taken; frames FlowGIF did not write are refused, naming the folder', async (t) => {
  const dir = await tempDir(t);
  const empty = path.join(dir, 'empty');
  await fs.mkdir(empty);
  await encodeAnimation({ format: 'png', outputPath: empty, quality: 100, frames: small(16, 16, 2) }, noopJobContext);
  assert.deepEqual((await fs.readdir(empty)).sort(), ['.flowgif-export.json', 'frame-0001.png', 'frame-0002.png']);

  const foreign = path.join(dir, 'foreign');
  await fs.mkdir(foreign);
  await fs.writeFile(path.join(foreign, 'frame-0001.png'), 'not ours');
  await assert.rejects(encodeAnimation({ format: 'png', outputPath: foreign, quality: 100, frames: small(16, 16, 2) }, noopJobContext), {
    code: 'OUTPUT_UNWRITABLE',
    message: new RegExp(`${foreign.replaceAll('/', '\\/')}: the folder holds frames that FlowGIF did not write`),
  });
  assert.equal(await fs.readFile(path.join(foreign, 'frame-0001.png'), 'utf8'), 'not ours');
});

test('a GIF never replaces a file of another kind (victim.docx stays as it was)', async (t) => {
  const dir = await tempDir(t);
  const victim = path.join(dir, 'victim.docx');
  await fs.writeFile(victim, 'my thesis');
  const frames = watchedSource(small());
  await assert.rejects(encodeAnimation({ format: 'gif', outputPath: victim, quality: 90, frames }, noopJobContext), {
    code: 'OUTPUT_UNWRITABLE',
    message: /Cannot write a GIF to .*victim\.docx: a file of that name exists and is not a GIF \(\.docx\)/,
  });
  assert.equal(frames.rendered(), 0);
  assert.equal(await fs.readFile(victim, 'utf8'), 'my thesis');
  assert.deepEqual(await listAll(dir), ['victim.docx']);
});

for (const format of ['gif', 'mp4', 'webm', 'mov', 'webp', 'apng', 'png'] as const) {
  test(`${format}: cancelling mid-encode rejects with AbortError and leaves nothing behind`, async (t) => {
    if (format !== 'gif' && format !== 'png') {
      const skip = await ffmpegSkip();
      if (skip) return t.skip(skip);
    }
    const dir = await tempDir(t);
    const ctx = recordingContext();
    const frames = watchedSource(small(64, 48, 20), (index) => {
      if (index === 4) ctx.controller.abort();
    });
    const outputPath = path.join(dir, format === 'png' ? 'frames' : `out.${format}`);
    await assert.rejects(encodeAnimation({ format, outputPath, quality: 80, frames }, ctx), { name: 'AbortError' });
    assert.ok(frames.rendered() < 20, 'rendering stopped early');
    assert.deepEqual(await listAll(dir), []);
  });
}

test('gif: cancelling while gifski runs kills it and leaves nothing behind', async (t) => {
  const dir = await tempDir(t);
  const ctx = recordingContext();
  const count = 12;
  const cancelOnEncode = { ...ctx, progress: (p: { done: number }) => p.done > count && ctx.controller.abort() };
  await assert.rejects(
    encodeAnimation({ format: 'gif', outputPath: path.join(dir, 'out.gif'), quality: 80, frames: small(64, 48, count) }, cancelOnEncode),
    { name: 'AbortError' },
  );
  assert.deepEqual(await listAll(dir), []);
});

test('a missing encoder is ENCODER_MISSING with the fix, before any frame is rendered', async (t) => {
  const dir = await tempDir(t);
  for (const [format, encoders] of [
    ['gif', { gifski: path.join(dir, 'no-gifski') }],
    ['mp4', { ffmpeg: path.join(dir, 'no-ffmpeg') }],
  ] as const) {
    const frames = watchedSource(small());
    await assert.rejects(
      encodeAnimation({ format, outputPath: path.join(dir, `out.${format}`), quality: 80, frames, encoders }, noopJobContext),
      (error: unknown) => {
        assert.ok(error instanceof FlowGifError);
        assert.equal(error.code, 'ENCODER_MISSING');
        assert.match(error.message, /(gifski|ffmpeg) was not found at .*no-(gifski|ffmpeg)/);
        assert.ok((error.hint ?? '').length > 20);
        return true;
      },
    );
    assert.equal(frames.rendered(), 0);
  }
  assert.deepEqual(await listAll(dir), []);
});

test('an unwritable destination is OUTPUT_UNWRITABLE before any frame is rendered', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'a-file');
  await fs.writeFile(file, '');
  for (const [format, outputPath] of [
    ['gif', path.join(file, 'out.gif')],
    ['mp4', path.join(dir, 'missing', 'out.mp4')],
    ['png', path.join(file, 'frames')],
    ['png', file],
  ] as const) {
    const frames = watchedSource(small());
    await assert.rejects(encodeAnimation({ format, outputPath, quality: 80, frames }, noopJobContext), {
      code: 'OUTPUT_UNWRITABLE',
    });
    assert.equal(frames.rendered(), 0, `${format} → ${outputPath}`);
  }
  assert.deepEqual(await listAll(dir), ['a-file']);
});

test('unsupported combinations fail loudly before anything runs', async () => {
  const base: EncodeRequest = { format: 'gif', outputPath: '/tmp/never-written.gif', quality: 80, frames: small() };
  const cases: [Partial<EncodeRequest> & Record<string, unknown>, RegExp][] = [
    [{ format: 'avi' as 'gif' }, /Unknown output format "avi"/],
    [{ format: 'webm' }, /never-written\.gif names a GIF, but the format is WebM \(VP9\)/],
    [{ format: 'webm', outputPath: '/tmp/never.webm', loop: 2 }, /WebM \(VP9\) has no loop count/],
    [{ quality: 0 }, /Quality must be a whole number from 1 to 100/],
    [{ quality: 50.5 }, /Quality/],
    [{ loop: -1 }, /Loop must be 0/],
    [{ format: 'mp4', outputPath: '/tmp/never.mp4', loop: 2 }, /MP4 \(H\.264\) has no loop count/],
    [{ outputPath: '/tmp/never.mp4' }, /names an MP4, but the format is GIF/],
    [{ format: 'mp4', outputPath: '/tmp/never.mov' }, /names a QuickTime movie, but the format is MP4 \(H\.264\)/],
    [{ format: 'png', outputPath: '/tmp/never.png' }, /names a single PNG file, but the format is PNG sequence/],
    [{ frames: flowingDots({ width: 8, height: 8, count: 2, fps: 120 }) }, /GIF plays at most 100 frames per second/],
    [{ frames: { ...small(), count: 0 } }, /frame count must be a whole number ≥ 1/],
  ];
  for (const [change, message] of cases) {
    await assert.rejects(encodeAnimation({ ...base, ...change }, noopJobContext), { code: 'INVALID_ARGUMENT', message });
  }
});

test('estimateSize is close to the real size, from a few frames, leaving no files', async (t) => {
  const dir = await tempDir(t);
  const estimateFolders = async () => (await fs.readdir(os.tmpdir())).filter((name) => name.startsWith('flowgif-estimate-'));
  const before = await estimateFolders();
  const skip = await ffmpegSkip();
  const formats = skip ? (['gif', 'png'] as const) : (['gif', 'mp4', 'webm', 'mov', 'webp', 'apng', 'png'] as const);
  if (skip) t.diagnostic(skip);
  for (const format of formats) {
    const frames = watchedSource(flowingDots({ width: 96, height: 64, count: 60, fps: 25 }));
    const request = { format, quality: 80, frames } as const;
    const ctx = recordingContext();
    const estimate = await estimateSize(request, ctx, { sampleFrames: 6 });
    assert.equal(estimate.sampledFrames, 6);
    assert.equal(frames.rendered(), 6, 'each sampled frame is rendered once');
    ctx.assertCompleted();
    const outputPath = path.join(dir, format === 'png' ? 'frames' : `real.${format}`);
    const real = await encodeAnimation({ ...request, outputPath }, noopJobContext);
    const ratio = real.sizeBytes / estimate.bytes;
    t.diagnostic(`${format}: real ${real.sizeBytes} B, estimate ${estimate.bytes} B (${estimate.lowBytes}–${estimate.highBytes}), ratio ${ratio.toFixed(2)}`);
    assert.ok(ratio > 1 / 2 && ratio < 2, `${format}: real/estimate = ${ratio}`);
    assert.ok(estimate.lowBytes <= estimate.bytes && estimate.bytes <= estimate.highBytes);
  }
  // A sample as long as the animation is the animation: exact.
  const short = flowingDots({ width: 32, height: 32, count: 4 });
  const exact = await estimateSize({ format: 'png', quality: 80, frames: short }, noopJobContext);
  const real = await encodeAnimation({ format: 'png', quality: 80, frames: short, outputPath: path.join(dir, 'short') }, noopJobContext);
  assert.deepEqual([exact.bytes, exact.lowBytes, exact.highBytes], [real.sizeBytes, real.sizeBytes, real.sizeBytes]);
  assert.deepEqual(await estimateFolders(), before, 'the sample encodes are removed');
});
