import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createRandom } from '../../shared/random.js';
import { bundledSamplePath } from '../engine/image/samples.js';
import { runCli } from './cli-runner.test-util.js';
import { loadFlowFile } from '../engine/project/flow-file.js';

const sample = bundledSamplePath('flowgif-mark.png');

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-cli-'));
}

function readCsv(text: string): Float64Array {
  const lines = text.trim().split('\n');
  assert.equal(lines[0], 'x,y');
  const out = new Float64Array(2 * (lines.length - 1));
  for (let i = 1; i < lines.length; i++) {
    const [x, y] = lines[i]!.split(',').map(Number);
    out[2 * (i - 1)] = x!;
    out[2 * (i - 1) + 1] = y!;
  }
  return out;
}

/**
 * The quality metric computed a second way, from the CSV alone and the image's own pixels,
 * in image space with sharp: weights 255 − luma over white, 64 square bins over the longer side.
 */
async function independentScore(imagePath: string, imageXY: Float64Array, bins = 64): Promise<{ tv: number; tvTrue: number; tvBlob: number; score: number }> {
  const { data, info } = await sharp(imagePath).flatten({ background: '#ffffff' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const side = Math.max(width, height);
  const x0 = (width - side) / 2;
  const y0 = (height - side) / 2;
  const binOf = (x: number, y: number): number => {
    const bx = Math.floor(((x - x0) / side) * bins);
    const by = Math.floor(((y - y0) / side) * bins);
    return bx >= 0 && bx < bins && by >= 0 && by < bins ? by * bins + bx : -1;
  };
  const weights = new Float64Array(width * height);
  const reference = new Float64Array(bins * bins);
  let total = 0;
  for (let i = 0; i < width * height; i++) {
    const luma = 0.299 * data[3 * i]! + 0.587 * data[3 * i + 1]! + 0.114 * data[3 * i + 2]!;
    weights[i] = 255 - luma;
    total += weights[i]!;
  }
  for (let i = 0; i < weights.length; i++) reference[binOf((i % width) + 0.5, Math.floor(i / width) + 0.5)]! += weights[i]! / total;
  const tvOf = (points: Float64Array): number => {
    const counts = new Float64Array(bins * bins);
    let outside = 0;
    const n = points.length / 2;
    for (let k = 0; k < n; k++) {
      const b = binOf(points[2 * k]!, points[2 * k + 1]!);
      if (b < 0) outside += 1 / n;
      else counts[b]! += 1 / n;
    }
    let sum = outside;
    for (let b = 0; b < counts.length; b++) sum += Math.abs(counts[b]! - reference[b]!);
    return sum / 2;
  };
  const n = imageXY.length / 2;
  const random = createRandom(12345);
  // True samples by inverse CDF over pixels, uniform within the pixel.
  const cdf = new Float64Array(weights.length);
  let acc = 0;
  for (let i = 0; i < weights.length; i++) cdf[i] = acc += weights[i]! / total;
  const truth = new Float64Array(2 * n);
  const blob = new Float64Array(2 * n);
  let mx = 0;
  let my = 0;
  for (let i = 0; i < weights.length; i++) {
    mx += ((i % width) + 0.5) * (weights[i]! / total);
    my += (Math.floor(i / width) + 0.5) * (weights[i]! / total);
  }
  for (let k = 0; k < n; k++) {
    const u = random.next();
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    truth[2 * k] = (lo % width) + random.next();
    truth[2 * k + 1] = Math.floor(lo / width) + random.next();
    blob[2 * k] = mx + (random.normal() * side) / 8;
    blob[2 * k + 1] = my + (random.normal() * side) / 8;
  }
  const tv = tvOf(imageXY);
  const tvTrue = tvOf(truth);
  const tvBlob = tvOf(blob);
  return { tv, tvTrue, tvBlob, score: (tv - tvTrue) / (tvBlob - tvTrue) };
}

test('sample --exact writes image-space points that draw the picture, and eval agrees with them', async () => {
  const dir = await tempDir();
  const csv = path.join(dir, 'points.csv');
  const sampled = await runCli(['sample', '--exact', sample, '--n', '20000', '--seed', '5', '-o', csv, '--json']);
  assert.equal(sampled.code, 0, sampled.stderr);
  const info = JSON.parse(sampled.stdout) as { space: string; n: number; width: number; height: number };
  assert.equal(info.space, 'image');
  assert.equal(info.n, 20000);
  const points = readCsv(await fs.readFile(csv, 'utf8'));
  assert.equal(points.length, 40000);

  const evaluated = await runCli(['eval', '--exact', sample, '--n', '20000', '--seed', '5', '--json']);
  assert.equal(evaluated.code, 0, evaluated.stderr);
  const report = JSON.parse(evaluated.stdout) as { score: number; tv: number; tv_true: number; tv_blob: number; nll: number };
  assert.ok(report.score < 0.05, `exact flow score ${report.score}`);
  assert.ok(report.tv_true < report.tv_blob);
  assert.ok(Number.isFinite(report.nll));

  const independent = await independentScore(sample, points);
  assert.ok(Math.abs(independent.tv - report.tv) < 0.01, `tv ${independent.tv} vs eval ${report.tv}`);
  assert.ok(Math.abs(independent.score - report.score) < 0.03, `score ${independent.score} vs eval ${report.score}`);
  assert.ok(Math.abs(independent.tvBlob - report.tv_blob) < 0.05, `blob floor ${independent.tvBlob} vs eval ${report.tv_blob}`);
  await fs.rm(dir, { recursive: true });
});

test('sample at t = 0 is the seeded noise, in image space', async () => {
  const dir = await tempDir();
  const csv = path.join(dir, 'noise.csv');
  const run = await runCli(['sample', '--exact', sample, '--n', '4000', '--t', '0', '-o', csv]);
  assert.equal(run.code, 0, run.stderr);
  const points = readCsv(await fs.readFile(csv, 'utf8'));
  // N(0, I) in model space: 1 model unit = 384 / 8 = 48 pixels, centred on the image.
  let sx = 0;
  let sxx = 0;
  for (let k = 0; k < points.length; k += 2) {
    sx += points[k]!;
    sxx += points[k]! ** 2;
  }
  const n = points.length / 2;
  const mean = sx / n;
  const std = Math.sqrt(sxx / n - mean * mean);
  assert.ok(Math.abs(mean - 192) < 3, `mean ${mean}`);
  assert.ok(Math.abs(std - 48) < 2, `std ${std}`);
  await fs.rm(dir, { recursive: true });
});

test('train fm with a tiny budget writes a model that samples and evaluates', async () => {
  const dir = await tempDir();
  const model = path.join(dir, 'm.flow');
  const trained = await runCli(['train', sample, '-o', model, '--steps', '30', '--seed', '1', '--json']);
  assert.equal(trained.code, 0, trained.stderr);
  const summary = JSON.parse(trained.stdout) as { steps: number; backend: string; output: string };
  assert.equal(summary.steps, 30);
  assert.equal(summary.output, path.resolve(model));
  assert.match(trained.stderr, /"type":"progress"/, 'progress is reported as JSON lines');

  const evaluated = await runCli(['eval', model, '--n', '2000', '--json']);
  assert.equal(evaluated.code, 0, evaluated.stderr);
  const report = JSON.parse(evaluated.stdout) as { score: number; nll: number | null; method: string };
  assert.equal(report.method, 'fm');
  assert.equal(report.nll, null);
  assert.ok(Number.isFinite(report.score));

  const csv = path.join(dir, 'p.csv');
  const sampled = await runCli(['sample', model, '--n', '500', '--t', '0.5', '-o', csv]);
  assert.equal(sampled.code, 0, sampled.stderr);
  assert.equal(readCsv(await fs.readFile(csv, 'utf8')).length, 1000);
  await fs.rm(dir, { recursive: true });
});

test('train ffjord with a tiny budget reports a held-out NLL; ffjord is "FFJORD, fast", ffjord-seed the seed’s settings', async () => {
  const dir = await tempDir();
  const model = path.join(dir, 'f.flow');
  const trained = await runCli(['train', sample, '--method', 'ffjord', '-o', model, '--steps', '2', '--json']);
  assert.equal(trained.code, 0, trained.stderr);
  const fast = JSON.parse(trained.stdout) as { preset: string; nll: number };
  assert.equal(fast.preset, 'ffjord-fast');
  assert.ok(Number.isFinite(fast.nll), 'train reports the held-out NLL it measured');
  assert.equal((await loadFlowFile(model)).model.architecture['atol'], 1e-3);
  const seedModel = path.join(dir, 's.flow');
  const seedRun = await runCli(['train', sample, '--method', 'ffjord-seed', '-o', seedModel, '--steps', '1', '--json']);
  assert.equal(seedRun.code, 0, seedRun.stderr);
  assert.equal((JSON.parse(seedRun.stdout) as { preset: string }).preset, 'ffjord-seed');
  const seedArchitecture = (await loadFlowFile(seedModel)).model.architecture;
  assert.deepEqual([seedArchitecture['batchSize'], seedArchitecture['atol'], seedArchitecture['learningRate']], [1000, 1e-5, 1e-3]);
  const evaluated = await runCli(['eval', model, '--n', '500', '--json']);
  assert.equal(evaluated.code, 0, evaluated.stderr);
  const report = JSON.parse(evaluated.stdout) as { nll: number; nll_floor: number; method: string };
  assert.equal(report.method, 'ffjord');
  assert.ok(Number.isFinite(report.nll) && report.nll > report.nll_floor, `nll ${report.nll} floor ${report.nll_floor}`);
  await fs.rm(dir, { recursive: true });
});

test('Ctrl-C during training exits 130 and leaves no file behind', async () => {
  const dir = await tempDir();
  const model = path.join(dir, 'c.flow');
  let sent = false;
  const run = await runCli(['train', sample, '-o', model, '--seconds', '120', '--json'], {
    onStderr(chunk, child) {
      if (!sent && chunk.includes('"stage":"train"')) {
        sent = true;
        child.kill('SIGINT');
      }
    },
  });
  assert.ok(sent, 'training reported progress');
  assert.equal(run.code, 130, run.stderr);
  assert.match(run.stderr, /cancelled/);
  assert.deepEqual(await fs.readdir(dir), []);
  await fs.rm(dir, { recursive: true });
});
