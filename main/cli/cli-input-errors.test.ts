import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { bundledSamplePath } from '../engine/image/samples.js';
import { runCli } from './cli-runner.test-util.js';

const sample = bundledSamplePath('flowgif-mark.png');

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-cli-'));
}

/** A failure a user can act on: exit 1, one line on stderr naming the file, no stack trace. */
function assertCleanFailure(run: { code: number | null; stderr: string }, fileName: string, pattern: RegExp): void {
  assert.equal(run.code, 1, run.stderr);
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line expected, got:\n${run.stderr}`);
  assert.match(lines[0]!, /^flowgif: /);
  assert.ok(lines[0]!.includes(fileName), `the message names ${fileName}: ${lines[0]}`);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
}

test('bad usage exits 2 with the usage line', async () => {
  for (const args of [[], ['frobnicate'], ['sample', '--exact', sample, '--n', '10'], ['sample', '--exact', sample, '--n', 'many', '-o', 'x.csv'], ['train', sample], ['eval', 'a.flow', '--exact', sample], ['train', sample, '-o', 'm.flow', '--seconds', '3', '--steps', '4']]) {
    const run = await runCli(args);
    assert.equal(run.code, 2, `${args.join(' ')} → ${run.code}\n${run.stderr}`);
    assert.match(run.stderr + run.stdout, /Usage: flowgif/);
  }
});

test('each kind of bad image gets a clear one-line message naming the file', async () => {
  const dir = await tempDir();
  const png = await fs.readFile(sample);
  const cases: Array<[string, Uint8Array | null, RegExp]> = [
    ['missing.png', null, /does not exist|not found/i],
    ['empty.png', new Uint8Array(0), /empty/i],
    ['truncated.png', png.subarray(0, Math.floor(png.length / 2)), /corrupt|truncated|damaged/i],
    ['notes.png', new TextEncoder().encode('this is not a picture\n'), /not an image/i],
    ['white.png', await sharp({ create: { width: 64, height: 48, channels: 3, background: '#ffffff' } }).png().toBuffer(), /no (dark|mass)|white|empty of/i],
  ];
  for (const [name, bytes, pattern] of cases) {
    const file = path.join(dir, name);
    if (bytes !== null) await fs.writeFile(file, bytes);
    assertCleanFailure(await runCli(['sample', '--exact', file, '--n', '100', '-o', path.join(dir, 'out.csv')]), name, pattern);
    assertCleanFailure(await runCli(['train', file, '-o', path.join(dir, 'out.flow'), '--steps', '1']), name, pattern);
  }
  assert.deepEqual((await fs.readdir(dir)).filter((f) => f.startsWith('out') || f.includes('partial')), [], 'no output left behind');
  await fs.rm(dir, { recursive: true });
});

test('a model path that is not a model, and an unwritable output, are clear errors', async () => {
  const dir = await tempDir();
  const fake = path.join(dir, 'fake.flow');
  await fs.writeFile(fake, 'x,y\n1,2\n');
  assertCleanFailure(await runCli(['eval', fake]), 'fake.flow', /not a FlowGIF model/);
  assertCleanFailure(await runCli(['eval', path.join(dir, 'absent.flow')]), 'absent.flow', /does not exist/);
  const blocked = path.join(dir, 'a-file');
  await fs.writeFile(blocked, '');
  assertCleanFailure(await runCli(['sample', '--exact', sample, '--n', '10', '-o', path.join(blocked, 'out.csv')]), 'out.csv', /not a folder/);
  await fs.rm(dir, { recursive: true });
});
