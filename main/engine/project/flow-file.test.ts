import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDensity } from '../image/create-density.js';
import type { ImageDensity } from '../image/density.js';
import type { TrainedModel } from '../train/trained-model.js';
import { decodeFlowFile, encodeFlowFile, loadFlowFile, saveFlowFile } from './flow-file.js';
import { deflatedZeros, joinFlowFile, splitFlowFile } from './flow-file.test-util.js';
import { serializeError, type FlowGifError } from '../../../shared/errors.js';
import { execFileSync } from 'node:child_process';
import { noiseSourceFor, ROUND_NOISE } from '../flow/noise-source.js';

function smallDensity(): ImageDensity {
  const width = 6;
  const height = 4;
  const probabilities = new Float64Array(width * height);
  probabilities[7] = 0.25;
  probabilities[8] = 0.75;
  const colours = new Uint8ClampedArray(width * height * 4).map((_, i) => (i * 37) % 256);
  return createDensity({
    source: { path: '/somewhere/logo.png', sha256: 'ab'.repeat(32), format: 'png' },
    options: { mass: 'dark', threshold: 3, maxSide: 512 },
    originalWidth: 60,
    originalHeight: 40,
    width,
    height,
    probabilities,
    colours,
  });
}

function smallModel(): TrainedModel {
  return {
    method: 'fm',
    architecture: { width: 3, depth: 1 },
    weights: [
      { name: 'w0', shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 0.25, 1e-7, -8]) },
      { name: 'b0', shape: [3], data: Float32Array.from([0.5, 0, -0.5]) },
    ],
    training: { preset: 'fast', backend: 'wasm', seed: 3, steps: 10, seconds: 1.5, finalLoss: 0.7, history: [{ step: 10, seconds: 1.5, loss: 0.7 }] },
    noise: noiseSourceFor('fitted', smallDensity().mapping),
  };
}

test('a model and its density survive a save and load unchanged', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-flowfile-'));
  const file = path.join(dir, 'm.flow');
  await saveFlowFile(file, smallModel(), smallDensity());
  const loaded = await loadFlowFile(file);
  assert.deepEqual(loaded.model, smallModel());
  const density = smallDensity();
  assert.deepEqual(loaded.density.mapping, density.mapping);
  assert.deepEqual(Array.from(loaded.density.colours), Array.from(density.colours));
  assert.ok(Math.abs(loaded.density.probabilities[8]! - 0.75) < 1e-7);
  assert.equal(loaded.density.source.path, 'logo.png');
  assert.deepEqual(await fs.readdir(dir), ['m.flow'], 'no temporary file is left behind');
  await fs.rm(dir, { recursive: true });
});

test('the source noise is recorded; a file written before it was recorded loads as round N(0, I)', () => {
  const model = smallModel();
  assert.equal(model.noise.shape, 'fitted');
  assert.ok(model.noise.stdY < model.noise.stdX, 'the small density is wider than tall');
  const parts = splitFlowFile(encodeFlowFile(model, smallDensity()));
  assert.deepEqual(parts.header['noise'], { ...model.noise });
  // Earlier FlowGIF wrote no noise field: those models were trained from N(0, I).
  const { noise: _recorded, ...olderHeader } = parts.header;
  const older = decodeFlowFile(joinFlowFile({ ...parts, header: olderHeader }), 'older.flow');
  assert.deepEqual(older.model.noise, ROUND_NOISE);
  for (const noise of [{ shape: 'fitted', stdX: 1, stdY: 0 }, { shape: 'fitted', stdX: -1, stdY: 1 }, { shape: 'oval', stdX: 1, stdY: 1 }]) {
    assert.throws(() => decodeFlowFile(joinFlowFile({ ...parts, header: { ...parts.header, noise } }), 'n.flow'), { code: 'MODEL_CORRUPT', message: /noise/ });
  }
});

test('a file written before mass and background were recorded loads as it was weighed: by luma on white', () => {
  const parts = splitFlowFile(encodeFlowFile(smallModel(), smallDensity()));
  const image = parts.header['image'] as Record<string, unknown>;
  const { background: _background, ...olderImage } = image;
  const { mass: _mass, ...olderOptions } = image['options'] as Record<string, unknown>;
  for (const [invert, mass] of [[false, 'dark'], [true, 'light']] as const) {
    const header = { ...parts.header, image: { ...olderImage, options: { ...olderOptions, invert } } };
    const older = decodeFlowFile(joinFlowFile({ ...parts, header }), 'older.flow');
    assert.equal(older.density.options.mass, mass, `invert: ${invert} was ${mass} mass`);
    assert.deepEqual(Array.from(older.density.background.rgba), [255, 255, 255, 255], 'earlier pictures were composited over white');
    assert.equal(older.density.background.transparent, false);
  }
});

test('foreign, truncated, tampered and future files are refused with the reason', () => {
  const bytes = encodeFlowFile(smallModel(), smallDensity());
  assert.throws(() => decodeFlowFile(new TextEncoder().encode('x,y\n1,2\n'), 'a.flow'), { code: 'MODEL_FOREIGN', message: /a\.flow is not a FlowGIF model/ });
  assert.throws(() => decodeFlowFile(new Uint8Array(0), 'empty.flow'), { code: 'MODEL_FOREIGN' });
  assert.throws(() => decodeFlowFile(bytes.subarray(0, bytes.length - 9), 'cut.flow'), { code: 'MODEL_CORRUPT', message: /cut\.flow is damaged/ });
  assert.throws(() => decodeFlowFile(bytes.subarray(0, 40), 'cut.flow'), { code: 'MODEL_CORRUPT' });

  const future = bytes.slice();
  new DataView(future.buffer).setUint32(8, 99, true);
  assert.throws(() => decodeFlowFile(future, 'new.flow'), { code: 'MODEL_VERSION', message: /version 99/ });

  // A header rewritten with a correct digest still has its fields checked.
  const parts = splitFlowFile(bytes);
  const tampered = joinFlowFile({ ...parts, header: { ...parts.header, method: 'xx' } });
  assert.throws(() => decodeFlowFile(tampered, 't.flow'), { code: 'MODEL_CORRUPT', message: /method/ });
});

test('one flipped bit in the header (originalWidth) is refused, not loaded with shifted samples', () => {
  const bytes = encodeFlowFile(smallModel(), smallDensity());
  const headerLength = new DataView(bytes.buffer).getUint32(12, true);
  const header = new TextDecoder().decode(bytes.subarray(16, 16 + headerLength));
  const at = 16 + header.indexOf('"originalWidth":60') + '"originalWidth":'.length;
  const flipped = bytes.slice();
  flipped[at] = flipped[at]! ^ 0x01; // '6' (0x36) → '7' (0x37): 70, still a valid header
  assert.throws(() => decodeFlowFile(flipped, 'flip.flow'), { code: 'MODEL_CORRUPT', message: /flip\.flow is damaged: the header does not match its checksum/ });
});

test('a version 1 file is refused with MODEL_VERSION and the advice to train again', () => {
  const parts = splitFlowFile(encodeFlowFile(smallModel(), smallDensity()));
  const old = joinFlowFile({ ...parts, version: 1 });
  assert.throws(() => decodeFlowFile(old, 'old.flow'), (error: FlowGifError) => {
    assert.equal(error.code, 'MODEL_VERSION');
    assert.match(error.message, /old\.flow is a version 1 model; this FlowGIF reads version 2/);
    assert.match(error.hint ?? '', /Train the model again/);
    return true;
  });
});

test('a deflate bomb stops at the size its header declares', async () => {
  const parts = splitFlowFile(encodeFlowFile(smallModel(), smallDensity()));
  // 300 MB of zeros in about 300 KB, behind a header that declares a 200-byte payload.
  const bomb = joinFlowFile({ ...parts, compressed: await deflatedZeros(300) });
  assert.throws(() => decodeFlowFile(bomb, 'bomb.flow'), { code: 'MODEL_CORRUPT', message: /bomb\.flow is damaged: the weights decompress to more than the header declares/ });

  // The largest size a header may declare is bounded too: a 4096² grid, far below the bomb.
  const big = { ...(parts.header.image as Record<string, unknown>) };
  big['mapping'] = { originalWidth: 16384, originalHeight: 16384, workingWidth: 4096, workingHeight: 4096, modelPerPixel: 8 / 4096 };
  const densityOffset = parts.header['densityOffset'] as number;
  const pixels = 4096 * 4096;
  const header = { ...parts.header, image: big, coloursOffset: densityOffset + 4 * pixels, payloadBytes: densityOffset + 8 * pixels };
  const bigBomb = joinFlowFile({ ...parts, header, compressed: await deflatedZeros(300) });
  assert.throws(() => decodeFlowFile(bigBomb, 'big.flow'), { code: 'MODEL_CORRUPT', message: /more than the header declares/ });
  const huge = { ...big, mapping: { originalWidth: 65536, originalHeight: 65536, workingWidth: 65536, workingHeight: 65536, modelPerPixel: 8 / 65536 } };
  assert.throws(() => decodeFlowFile(joinFlowFile({ ...parts, header: { ...parts.header, image: huge } }), 'huge.flow'), { code: 'MODEL_CORRUPT', message: /impossible size/ });
});

test('negative or non-finite stored probabilities and weights are refused', () => {
  for (const [bad, pattern] of [[-0.5, /probabilities that are negative or not finite/], [Number.NaN, /probabilities that are negative or not finite/]] as const) {
    const density = smallDensity();
    const probabilities = Float64Array.from(density.probabilities);
    probabilities[3] = bad;
    assert.throws(() => decodeFlowFile(encodeFlowFile(smallModel(), { ...density, probabilities }), 'p.flow'), { code: 'MODEL_CORRUPT', message: pattern });
  }
  const model = smallModel();
  const weights = model.weights.map((w, i) => (i === 1 ? { ...w, data: Float32Array.from([0, Number.POSITIVE_INFINITY, 0]) } : w));
  assert.throws(() => decodeFlowFile(encodeFlowFile({ ...model, weights }, smallDensity()), 'w.flow'), { code: 'MODEL_CORRUPT', message: /tensor 2 holds values that are not finite/ });
});

test('no message quotes the file: a secret-looking header value or a text file', async () => {
  const secret = 'root:$6$Zq8sEcReT$hash:19000:0:99999:7:::';
  const parts = splitFlowFile(encodeFlowFile(smallModel(), smallDensity()));
  for (const header of [{ ...parts.header, method: secret }, { ...parts.header, [secret]: 1, training: secret }]) {
    assert.throws(() => decodeFlowFile(joinFlowFile({ ...parts, header }), 's.flow'), (error: FlowGifError) => {
      assert.equal(error.code, 'MODEL_CORRUPT');
      assert.ok(!JSON.stringify(serializeError(error)).includes('Zq8sEcReT'), error.message);
      return true;
    });
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-flowfile-'));
  const text = path.join(dir, 'shadow.flow');
  await fs.writeFile(text, `${secret}\n`);
  await assert.rejects(loadFlowFile(text), (error: FlowGifError) => !error.message.includes('Zq8sEcReT') && error.code === 'MODEL_FOREIGN');
  await fs.rm(dir, { recursive: true });
});

test('a FIFO or /dev/zero named as a model is refused without being read', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-flowfile-'));
  const fifo = path.join(dir, 'pipe.flow');
  execFileSync('mkfifo', [fifo]);
  await assert.rejects(loadFlowFile(fifo), { code: 'MODEL_FOREIGN', message: /pipe\.flow is a pipe \(FIFO\), not a \.flow model file/ });
  await assert.rejects(loadFlowFile('/dev/zero'), { code: 'MODEL_FOREIGN', message: /\/dev\/zero is a device/ });
  await fs.rm(dir, { recursive: true });
});

test('a missing model file is named in the error', async () => {
  await assert.rejects(loadFlowFile('/nonexistent/dir/model.flow'), { code: 'MODEL_NOT_FOUND', message: /model\.flow does not exist/ });
});
