import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { bundledSamplePath } from '../engine/image/samples.js';
import { runCli } from './cli-runner.test-util.js';
import { execFileSync } from 'node:child_process';
import { loadDensity } from '../engine/image/load-density.js';
import { encodeFlowFile } from '../engine/project/flow-file.js';
import { deflatedZeros, joinFlowFile, splitFlowFile } from '../engine/project/flow-file.test-util.js';
import type { TrainedModel } from '../engine/train/trained-model.js';
import { ROUND_NOISE } from '../engine/flow/noise-source.js';

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
    assert.match(run.stderr + run.stdout, /Usage: flowgif|Run 'flowgif \w+ --help' for usage\./);
  }
});

test('a usage error is one line, and numbers are plain decimals', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['sample', '--exact', sample, '--n', '-5', '-o', 'x.csv'], /^flowgif: --n needs a value; to give one starting with a dash, write --n=-5\. Run 'flowgif sample --help' for usage\.$/],
    [['sample', '--exact', sample, '--n', '0x10', '-o', 'x.csv'], /^flowgif: --n must be a whole number, not '0x10'\./],
    [['sample', '--exact', sample, '--n', '10', '--t', '0x1', '-o', 'x.csv'], /^flowgif: --t must be a decimal number, not '0x1'\./],
    [['sample', '--exact', sample, '--n', ' 10', '-o', 'x.csv'], /^flowgif: --n must be a whole number/],
    [['sample', '--exact', sample, '--bogus', '-o', 'x.csv'], /^flowgif: Unknown option '--bogus'\. Run/],
    [['sample', '--exact', sample, '--n', '10', '--noise', 'oval', '-o', 'x.csv'], /^flowgif: --noise must be fitted or round, not 'oval'\. Run/],
    [['sample', 'm.flow', '--n', '10', '--noise', 'round', '-o', 'x.csv'], /^flowgif: --noise applies to images; a model starts from the noise it was trained with\./],
    [['sample', '--exact', sample, '--mass', 'bright', '--n', '10', '-o', 'x.csv'], /^flowgif: --mass must be one of auto, dark, light, not 'bright'\./],
    [['sample', '--exact', sample, '--mass', 'dark', '--invert', '--n', '10', '-o', 'x.csv'], /^flowgif: --invert means --mass light; it cannot go with --mass dark\./],
    [['frame', '--exact', sample, '--t', '1', '--background', 'grey', '-o', 'x.png'], /^flowgif: --background must be auto, white, black, transparent or a colour like #ffffff/],
  ];
  for (const [args, pattern] of cases) {
    const run = await runCli(args);
    assert.equal(run.code, 2, `${args.join(' ')} → ${run.code}\n${run.stderr}`);
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line expected, got:\n${run.stderr}`);
    assert.match(lines[0]!, pattern);
  }
});

test('FIFOs, /dev/zero, a .flow bomb and a secret text file each fail at once with one line', async () => {
  const dir = await tempDir();
  const fifoImage = path.join(dir, 'pipe.png');
  const fifoModel = path.join(dir, 'pipe.flow');
  execFileSync('mkfifo', [fifoImage]);
  execFileSync('mkfifo', [fifoModel]);
  const parts = splitFlowFile(encodeFlowFile(tinyModel(), await loadDensity(sample)));
  const bomb = path.join(dir, 'bomb.flow');
  await fs.writeFile(bomb, joinFlowFile({ ...parts, compressed: await deflatedZeros(1000) }));
  const shadow = path.join(dir, 'shadow.flow');
  await fs.writeFile(shadow, 'root:$6$Zq8sEcReT$hash:19000:0:99999:7:::\n');
  const shadowPng = path.join(dir, 'shadow.png');
  await fs.writeFile(shadowPng, 'root:$6$Zq8sEcReT$hash:19000:0:99999:7:::\n');
  const out = path.join(dir, 'out');
  const cases: Array<[string[], string, RegExp]> = [
    [['sample', '--exact', fifoImage, '--n', '10', '-o', `${out}.csv`], 'pipe.png', /is a pipe \(FIFO\), not an image file/],
    [['make', fifoImage, '-o', `${out}.gif`], 'pipe.png', /is a pipe \(FIFO\), not an image file/],
    [['eval', fifoModel], 'pipe.flow', /is a pipe \(FIFO\), not a \.flow model file/],
    [['sample', '--exact', '/dev/zero', '--n', '10', '-o', `${out}.csv`], '/dev/zero', /is a device, not an image file/],
    [['make', '/dev/zero', '-o', `${out}.gif`], '/dev/zero', /is a device, not an image file/],
    [['train', '/dev/zero', '-o', `${out}.flow`, '--steps', '1'], '/dev/zero', /is a device, not an image file/],
    [['eval', bomb], 'bomb.flow', /damaged: the weights decompress to more than the header declares/],
    [['eval', shadow], 'shadow.flow', /not a FlowGIF model/],
    [['sample', '--exact', shadowPng, '--n', '10', '-o', `${out}.csv`], 'shadow.png', /not an image/],
  ];
  for (const [args, name, pattern] of cases) {
    const run = await runCli(args);
    assertCleanFailure(run, name, pattern);
    assert.ok(!(run.stderr + run.stdout).includes('Zq8sEcReT'), run.stderr);
  }
  assert.deepEqual((await fs.readdir(dir)).filter((f) => f.startsWith('out')), [], 'no output left behind');
  await fs.rm(dir, { recursive: true });
});

test('a picture reduced a lot says so on stderr in one line; --json keeps stdout to the result', async () => {
  const dir = await tempDir();
  const strip = path.join(dir, 'strip.png');
  // All black: with --mass auto it would be all background; --mass dark gives it mass.
  await sharp({ create: { width: 65535, height: 1, channels: 3, background: '#000000' } }).png().toFile(strip);
  const plain = await runCli(['sample', '--exact', strip, '--mass', 'dark', '--n', '10', '-o', path.join(dir, 'a.csv')]);
  assert.equal(plain.code, 0, plain.stderr);
  assert.deepEqual(plain.stderr.trim().split('\n'), [
    'Note: strip.png is 65535 × 1 pixels; FlowGIF works on it reduced to 512 × 1 (128× smaller), so finer detail is lost.',
  ]);
  const json = await runCli(['sample', '--exact', strip, '--mass', 'dark', '--n', '10', '-o', path.join(dir, 'b.csv'), '--json']);
  assert.equal(json.code, 0, json.stderr);
  const stdoutLines = json.stdout.trim().split('\n');
  assert.equal(stdoutLines.length, 1);
  assert.ok(!('note' in (JSON.parse(stdoutLines[0]!) as object)));
  const notes = json.stderr.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>).filter((event) => event['type'] === 'note');
  assert.deepEqual(notes, [{ type: 'note', note: 'image-reduced', file: strip, originalWidth: 65535, originalHeight: 1, workingWidth: 512, workingHeight: 1, factor: 65535 / 512 }]);
  // A picture used near its own size gets no note.
  const small = await runCli(['sample', '--exact', sample, '--n', '10', '-o', path.join(dir, 'c.csv')]);
  assert.equal(small.code, 0, small.stderr);
  assert.equal(small.stderr, '');
  await fs.rm(dir, { recursive: true });
});

/** The smallest model the decoder accepts: the bomb's header must be ours in every other respect. */
function tinyModel(): TrainedModel {
  return {
    method: 'fm',
    architecture: { width: 1 },
    weights: [{ name: 'w0', shape: [1], data: Float32Array.from([1]) }],
    training: { preset: 'fast', backend: 'wasm', seed: 0, steps: 1, seconds: 0.1, finalLoss: 1, history: [] },
    noise: ROUND_NOISE,
  };
}

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
