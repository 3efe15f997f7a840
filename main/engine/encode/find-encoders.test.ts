import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { FlowGifError } from '../../../shared/errors.js';
import { ffmpegSkip, tempDir } from './encode.test-util.js';
import { findFfmpeg, findGifski, parseFfmpegEncoders, parseLongFlags, parseVersion } from './find-encoders.js';

test('gifski is found in the npm package, executable, with its version and flags', async (t) => {
  if (process.env['FLOWGIF_GIFSKI']) t.diagnostic('FLOWGIF_GIFSKI is set; testing that binary');
  const gifski = await findGifski();
  assert.match(gifski.version, /^\d+\.\d+/);
  for (const flag of ['--fps', '--quality', '--width', '--output']) assert.ok(gifski.flags.has(flag), flag);
  await fs.access(gifski.path, fs.constants.X_OK);
});

test('an override pointing nowhere is ENCODER_MISSING, never a silent fallback', async () => {
  await assert.rejects(findGifski({ gifski: '/nonexistent/gifski' }), (error: unknown) => {
    assert.ok(error instanceof FlowGifError);
    assert.equal(error.code, 'ENCODER_MISSING');
    assert.match(error.message, /gifski was not found at \/nonexistent\/gifski/);
    assert.match(error.hint ?? '', /FLOWGIF_GIFSKI/);
    return true;
  });
  const saved = process.env['FLOWGIF_FFMPEG'];
  process.env['FLOWGIF_FFMPEG'] = '/nonexistent/ffmpeg';
  try {
    await assert.rejects(findFfmpeg(), {
      code: 'ENCODER_MISSING',
      message: /ffmpeg was not found at \/nonexistent\/ffmpeg \(from FLOWGIF_FFMPEG\)/,
    });
  } finally {
    if (saved === undefined) delete process.env['FLOWGIF_FFMPEG'];
    else process.env['FLOWGIF_FFMPEG'] = saved;
  }
});

test('a binary that lost its executable bit is made executable again', async (t) => {
  const dir = await tempDir(t);
  const copy = path.join(dir, 'gifski');
  await fs.copyFile((await findGifski()).path, copy);
  await fs.chmod(copy, 0o644);
  const found = await findGifski({ gifski: copy });
  assert.equal(found.origin, 'option');
  await fs.access(copy, fs.constants.X_OK);
});

test('a resources folder is preferred to PATH for ffmpeg', async (t) => {
  const skip = await ffmpegSkip();
  if (skip) return t.skip(skip);
  const system = await findFfmpeg();
  assert.ok(system.encoders.has('libx264') || system.encoders.size > 0);
  const resources = await tempDir(t);
  await fs.mkdir(path.join(resources, 'bin'));
  await fs.symlink(system.path, path.join(resources, 'bin', process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg'));
  const bundled = await findFfmpeg({ resourcesDir: resources });
  assert.equal(bundled.origin, 'resources');
  assert.equal(bundled.version, system.version);
});

test('version, flag and encoder listings parse', () => {
  assert.equal(parseVersion('gifski 1.7.1\n', 'gifski'), '1.7.1');
  assert.equal(parseVersion('ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000', 'ffmpeg'), '5.1.9-0+deb12u1');
  assert.equal(parseVersion('something else', 'ffmpeg'), 'unknown');
  const flags = parseLongFlags('    -r, --fps <num>   Frame rate\n        --repeat <num>  Number\n  --no-sort  x');
  assert.deepEqual([...flags].sort(), ['--fps', '--no-sort', '--repeat']);
  const encoders = parseFfmpegEncoders(
    'Encoders:\n V..... = Video\n ------\n V....D libx264              libx264 H.264\n A....D aac   AAC\n',
  );
  assert.deepEqual([...encoders], ['libx264', 'aac']);
});
