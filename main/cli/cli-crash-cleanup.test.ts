import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bundledSamplePath } from '../engine/image/samples.js';
import { CLI_ENTRY, runCli } from './cli-runner.test-util.js';

const sample = bundledSamplePath('flowgif-mark.png');

/**
 * Runs the CLI with its own system temp folder and SIGKILLs it (no handler runs, no finally)
 * once `when` holds for what it has printed on stderr so far.
 */
function runAndKill(args: readonly string[], tmp: string, when: (stderr: string) => boolean): Promise<{ killed: boolean; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_ENTRY, ...args, '--json'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TMPDIR: tmp } });
    let stderr = '';
    let killed = false;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (!killed && when(stderr)) killed = child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', () => resolve({ killed, stderr }));
  });
}

function rerun(args: readonly string[], tmp: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TMPDIR: tmp } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** Progress lines of the full encode (after the size estimate's note) that have written frames. */
function encodingFrames(stderr: string): boolean {
  const after = stderr.split('"estimate_bytes"')[1];
  return after !== undefined && /"stage":"encode","done":([1-9]\d+)/.test(after);
}

test('a GIF export killed with SIGKILL mid-encode: the next export into that folder leaves nothing stale there or in the temp folder', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-crash-'));
  const out = path.join(root, 'out');
  const tmp = path.join(root, 'tmp');
  await fs.mkdir(out);
  await fs.mkdir(tmp);
  const args = ['make', sample, '-o', path.join(out, 'out.gif'), '--fps', '30', '--seconds', '6'];
  const killed = await runAndKill(args, tmp, encodingFrames);
  assert.ok(killed.killed, killed.stderr);
  // The kill did leave debris (else this test proves nothing): the frames folder gifski reads.
  assert.ok((await fs.readdir(out)).some((name) => name.startsWith('.flowgif-frames-')), (await fs.readdir(out)).join(', '));

  const again = await rerun(args, tmp);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(await fs.readdir(out), ['out.gif']);
  assert.deepEqual(await fs.readdir(tmp), []);
  await fs.rm(root, { recursive: true });
});

test('killed during the size estimate: the estimate folder in the temp folder goes at the next start', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-crash-'));
  const tmp = path.join(root, 'tmp');
  await fs.mkdir(tmp);
  const args = ['make', sample, '-o', path.join(root, 'out.gif')];
  const killed = await runAndKill(args, tmp, (stderr) => !stderr.includes('"estimate_bytes"') && /"stage":"encode","done":[1-9]/.test(stderr));
  assert.ok(killed.killed, killed.stderr);
  assert.ok((await fs.readdir(tmp)).some((name) => name.startsWith('flowgif-estimate-')), (await fs.readdir(tmp)).join(', '));
  // Any command starts the engine; this one fails at once and still sweeps.
  const other = await runCli(['frame', '--exact', sample, '--t', '1', '-o', path.join(root, 'missing', 'f.png')]);
  assert.equal(other.code, 1);
  const again = await rerun(['frame', '--exact', sample, '--t', '1', '-o', path.join(root, 'f.png')], tmp);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(await fs.readdir(tmp), []);
  await fs.rm(root, { recursive: true });
});

test('make -o DIR/ into the same folder twice succeeds both times; a folder of other files is refused by name', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-dir-'));
  const dir = path.join(root, 'frames');
  await fs.mkdir(dir);
  const args = ['make', sample, '-o', `${dir}/`, '--fps', '5', '--seconds', '1', '--size', '64'];
  for (const round of [1, 2]) {
    const run = await runCli(args);
    assert.equal(run.code, 0, `round ${round}: ${run.stderr}`);
    // The default loop: 5 frames there, 5 on the picture, 3 back; every one a file of its own.
    const frames = Array.from({ length: 5 + 5 + 3 }, (_, i) => `frame-${String(i + 1).padStart(4, '0')}.png`);
    assert.deepEqual((await fs.readdir(dir)).sort(), ['.flowgif-export.json', ...frames]);
  }
  assert.deepEqual(await fs.readdir(root), ['frames']);
  const other = path.join(root, 'other');
  await fs.mkdir(other);
  await fs.writeFile(path.join(other, 'notes.txt'), 'mine');
  const refused = await runCli(['make', sample, '-o', `${other}/`, '--json']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, new RegExp(`^flowgif: Cannot write PNG frames to ${other}: the folder already holds other files \\(notes\\.txt\\)`));
  assert.ok(!refused.stderr.includes('"stage"'), 'refused before any work');
  await fs.rm(root, { recursive: true });
});

test('/proc and a folder that vanishes mid-export are one clear line naming the path', async (t) => {
  if (process.platform === 'linux') {
    const proc = await runCli(['make', sample, '-o', '/proc/out.gif', '--json']);
    assert.equal(proc.code, 1);
    assert.match(proc.stderr, /^flowgif: Cannot write \/proc\/out\.gif: the folder \/proc does not accept new files/);
    assert.ok(!proc.stderr.includes('"stage"'), `failed before any work: ${proc.stderr}`);
  } else t.diagnostic('no /proc here');

  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-vanish-'));
  const dir = path.join(root, 'gone');
  await fs.mkdir(dir);
  let removed = false;
  let seen = '';
  const run = await runCli(['make', sample, '-o', path.join(dir, 'out.gif'), '--json'], {
    onStderr(chunk) {
      seen += chunk;
      if (!removed && encodingFrames(seen)) {
        removed = true;
        // Moved away in one step: rm would race the frames still being written into it.
        void fs.rename(dir, path.join(root, 'moved'));
      }
    },
  });
  assert.ok(removed);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, new RegExp(`flowgif: Cannot write ${dir}/out\\.gif: the folder ${dir} does not exist`));
  await fs.rm(root, { recursive: true });
});
