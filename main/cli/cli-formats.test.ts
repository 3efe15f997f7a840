import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { writeTestPicture } from '../tools/fixture-pictures.js';
import { runCli } from './cli-runner.test-util.js';

const run = promisify(execFile);

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-formats-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

async function hasFfmpeg(): Promise<boolean> {
  return run('ffprobe', ['-version']).then(
    () => true,
    () => false,
  );
}

const small = ['--fps', '5', '--seconds', '1', '--size', '64', '--particles', '2000'];

test('render -o out.webm --background transparent writes a VP9 WebM with an alpha plane, clear where no particle is', async (t) => {
  if (!(await hasFfmpeg())) return t.skip('ffmpeg/ffprobe not installed (apt-get install ffmpeg)');
  const dir = await tempDir(t);
  const logo = await writeTestPicture(dir, 'line-drawing');
  const webm = path.join(dir, 'out.webm');
  const rendered = await runCli(['render', '--exact', logo, '-o', webm, '--background', 'transparent', ...small, '--json']);
  assert.equal(rendered.code, 0, rendered.stderr);
  const result = JSON.parse(rendered.stdout) as { frames: number; width: number; height: number };
  const { stdout } = await run('ffprobe', ['-v', 'error', '-count_frames', '-show_streams', '-of', 'json', webm]);
  const stream = (JSON.parse(stdout) as { streams: Array<Record<string, unknown>> }).streams[0]!;
  assert.deepEqual(
    [stream['codec_name'], (stream['tags'] as Record<string, string> | undefined)?.['alpha_mode'], Number(stream['nb_read_frames'])],
    ['vp9', '1', result.frames],
  );
  // VP9's alpha is a side stream that only libvpx's decoder reads.
  const { stdout: rgba } = await run('ffmpeg', ['-v', 'error', '-c:v', 'libvpx-vp9', '-i', webm, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-'], {
    encoding: 'buffer',
    maxBuffer: 1 << 24,
  });
  assert.equal(rgba.length, result.width * result.height * 4);
  let clear = 0;
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] === 0) clear++;
  const share = clear / (result.width * result.height);
  t.diagnostic(`first frame: ${(share * 100).toFixed(1)} % of pixels clear`);
  // 2000 particles of noise on 64²: most pixels have none (measured about 0.6).
  assert.ok(share > 0.3 && share < 0.95, `clear share ${share}`);
});

test('render -o out.mp4 with a see-through background (#RRGGBBAA) is refused at once, naming formats that keep it', async (t) => {
  const dir = await tempDir(t);
  const logo = await writeTestPicture(dir, 'line-drawing');
  const mp4 = path.join(dir, 'out.mp4');
  const refused = await runCli(['render', '--exact', logo, '-o', mp4, '--background', '#ffffff80', ...small]);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /MP4 \(H\.264\) has no transparency/);
  assert.match(refused.stderr, /WebM \(VP9\).*Animated WebP.*APNG/);
  assert.deepEqual((await fs.readdir(dir)).sort(), [path.basename(logo)], 'nothing is written');
});
