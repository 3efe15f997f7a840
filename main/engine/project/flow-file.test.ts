import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDensity } from '../image/create-density.js';
import type { ImageDensity } from '../image/density.js';
import type { TrainedModel } from '../train/trained-model.js';
import { decodeFlowFile, encodeFlowFile, loadFlowFile, saveFlowFile } from './flow-file.js';

function smallDensity(): ImageDensity {
  const width = 6;
  const height = 4;
  const probabilities = new Float64Array(width * height);
  probabilities[7] = 0.25;
  probabilities[8] = 0.75;
  const colours = new Uint8ClampedArray(width * height * 4).map((_, i) => (i * 37) % 256);
  return createDensity({
    source: { path: '/somewhere/logo.png', sha256: 'ab'.repeat(32), format: 'png' },
    options: { invert: false, threshold: 3, maxSide: 512 },
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

test('foreign, truncated, tampered and future files are refused with the reason', () => {
  const bytes = encodeFlowFile(smallModel(), smallDensity());
  assert.throws(() => decodeFlowFile(new TextEncoder().encode('x,y\n1,2\n'), 'a.flow'), { code: 'MODEL_FOREIGN', message: /a\.flow is not a FlowGIF model/ });
  assert.throws(() => decodeFlowFile(new Uint8Array(0), 'empty.flow'), { code: 'MODEL_FOREIGN' });
  assert.throws(() => decodeFlowFile(bytes.subarray(0, bytes.length - 9), 'cut.flow'), { code: 'MODEL_CORRUPT', message: /cut\.flow is damaged/ });
  assert.throws(() => decodeFlowFile(bytes.subarray(0, 40), 'cut.flow'), { code: 'MODEL_CORRUPT' });

  const future = bytes.slice();
  new DataView(future.buffer).setUint32(8, 99, true);
  assert.throws(() => decodeFlowFile(future, 'new.flow'), { code: 'MODEL_VERSION', message: /version 99/ });

  const tampered = bytes.slice();
  const headerLength = new DataView(tampered.buffer).getUint32(12, true);
  const header = new TextDecoder().decode(tampered.subarray(16, 16 + headerLength)).replace('"method":"fm"', '"method":"xx"');
  tampered.set(new TextEncoder().encode(header), 16);
  assert.throws(() => decodeFlowFile(tampered, 't.flow'), { code: 'MODEL_CORRUPT', message: /method/ });
});

test('a missing model file is named in the error', async () => {
  await assert.rejects(loadFlowFile('/nonexistent/dir/model.flow'), { code: 'MODEL_NOT_FOUND', message: /model\.flow does not exist/ });
});
