import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { checkOutputTarget } from '../engine/encode/encode.js';
import { bundledSamplePath } from '../engine/image/samples.js';
import { runCli } from './cli-runner.test-util.js';

const sample = bundledSamplePath('heart.png');
const small = ['--size', '96', '--particles', '3000'];

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-cli-outputs-'));
}

test('an export killed with SIGKILL leaves debris that the next export into that folder removes, here and in the temp folder', async () => {
  const dir = await tempDir();
  const out = path.join(dir, 'out');
  const tmp = path.join(dir, 'tmp');
  await fs.mkdir(out);
  await fs.mkdir(tmp);
  const env = { ...process.env, TMPDIR: tmp };
  const gif = path.join(out, 'flow.gif');
  let killed = false;
  const run = await runCli(['render', '--exact', sample, '-o', gif, '--fps', '20', '--seconds', '6', ...small, '--json'], {
    env,
    onStderr(chunk, child) {
      // Killed while the estimate's folder is in the temp folder or the frames are beside the GIF.
      if (!killed && chunk.includes('"stage":"encode"') && (readdirSync(out).length > 0 || readdirSync(tmp).length > 0)) {
        killed = true;
        child.kill('SIGKILL');
      }
    },
  });
  assert.ok(killed, run.stderr);
  assert.equal(run.signal, 'SIGKILL');
  const left = [...readdirSync(out), ...readdirSync(tmp)];
  assert.ok(left.length > 0, 'the kill left something to clean');

  const again = await runCli(['render', '--exact', sample, '-o', gif, '--fps', '10', '--seconds', '1', ...small], { env });
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(readdirSync(out), ['flow.gif']);
  assert.deepEqual(readdirSync(tmp), []);
  await fs.rm(dir, { recursive: true, force: true });
});

test('PNG frames go into a new, an empty or an earlier export\'s folder, twice over; a folder of other files is refused', async () => {
  const dir = await tempDir();
  const frames = path.join(dir, 'frames');
  for (let i = 0; i < 2; i++) {
    const made = await runCli(['make', sample, '-o', `${frames}/`]);
    assert.equal(made.code, 0, made.stderr);
    assert.equal(readdirSync(frames).length, 60);
  }
  const empty = path.join(dir, 'empty');
  await fs.mkdir(empty);
  assert.equal((await runCli(['make', sample, '-o', `${empty}/`])).code, 0);
  assert.equal(readdirSync(empty).length, 60);

  const mine = path.join(dir, 'mine');
  await fs.mkdir(mine);
  await fs.writeFile(path.join(mine, 'notes.txt'), 'keep me');
  const refused = await runCli(['make', sample, '-o', `${mine}/`]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^flowgif: Cannot write a PNG sequence to .*mine: the folder already holds other files \(notes\.txt\)/);
  assert.deepEqual(readdirSync(mine), ['notes.txt']);
  assert.deepEqual(readdirSync(dir).sort(), ['empty', 'frames', 'mine']);
  await fs.rm(dir, { recursive: true, force: true });
});

test('the engine never replaces a file whose name does not fit the format', async () => {
  const dir = await tempDir();
  const victim = path.join(dir, 'victim.docx');
  await fs.writeFile(victim, 'my thesis');
  await assert.rejects(checkOutputTarget('gif', victim), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'OUTPUT_UNWRITABLE');
    assert.match(error.message, /victim\.docx already exists and is not a GIF file/);
    return true;
  });
  await fs.writeFile(path.join(dir, 'no-extension'), 'x');
  await assert.rejects(checkOutputTarget('mp4', path.join(dir, 'no-extension')), /no-extension already exists/);
  await checkOutputTarget('gif', path.join(dir, 'new.gif'));
  await fs.writeFile(path.join(dir, 'old.gif'), 'GIF89a');
  await checkOutputTarget('gif', path.join(dir, 'old.gif'));
  assert.equal(await fs.readFile(victim, 'utf8'), 'my thesis');
  assert.deepEqual(readdirSync(dir).sort(), ['no-extension', 'old.gif', 'victim.docx']);
  await fs.rm(dir, { recursive: true, force: true });
});

test('a pseudo-file-system or a folder that vanishes mid-export is one clear line naming the path', { skip: !existsSync('/proc/self') && 'no /proc here' }, async () => {
  const proc = await runCli(['make', sample, '-o', '/proc/flow.gif']);
  assert.equal(proc.code, 1);
  assert.equal(proc.stderr, "flowgif: Cannot write /proc/flow.gif: the folder /proc does not accept new files. Choose a folder you can write to.\n");

  const dir = await tempDir();
  const sub = path.join(dir, 'sub');
  await fs.mkdir(sub);
  let announced = false;
  let removed = false;
  const vanished = await runCli(['render', '--exact', sample, '-o', path.join(sub, 'flow.gif'), '--fps', '20', '--seconds', '6', ...small, '--json'], {
    onStderr(chunk) {
      // Once the estimate is out, the next encode event is the real export writing its frames.
      if (chunk.includes('"type":"note"')) announced = true;
      else if (announced && !removed && chunk.includes('"stage":"encode"')) {
        removed = true;
        void fs.rm(sub, { recursive: true, force: true });
      }
    },
  });
  assert.ok(removed);
  assert.equal(vanished.code, 1, vanished.stderr);
  const lines = vanished.stderr.trim().split('\n').filter((line) => !line.startsWith('{'));
  assert.equal(lines.length, 1, vanished.stderr);
  assert.match(lines[0]!, /^flowgif: Cannot write .*sub[\\/]flow\.gif: the folder .*sub no longer exists\./);
  await fs.rm(dir, { recursive: true, force: true });
});
