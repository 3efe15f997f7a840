import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isFlowGifError } from '../../../shared/errors.js';
import { noopJobContext } from '../../../shared/job.js';
import { loadBundledSample } from '../../engine/flow/bundled-samples.js';
import { saveFlowFile } from '../../engine/project/flow-file.js';
import type { MlpArchitecture } from '../../engine/train/mlp-field.js';
import { createOrtField } from '../../engine/inference/ort-field.js';
import { createModelField } from '../../engine/inference/model-field.js';
import type { CommandIo } from '../command.js';
import { UsageError } from '../usage-error.js';
import { exportOnnxCommand } from './export-onnx.js';
import { untrainedFmModel } from '../../engine/train/untrained-model.test-util.js';

const arch: MlpArchitecture = { kind: 'fm-mlp', version: 1, width: 32, depth: 2, fourierFeatures: 16, fourierScale: 0.5, timeFrequencies: 4 };
const model = untrainedFmModel(arch, 6);

function io(): CommandIo & { results: Array<Readonly<Record<string, unknown>>> } {
  const results: Array<Readonly<Record<string, unknown>>> = [];
  return { ctx: noopJobContext, result: (_human, json) => results.push(json), note: () => {}, results };
}

test('export-onnx writes a model that onnxruntime runs and that matches the .flow model', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-export-onnx-'));
  try {
    const flowPath = path.join(dir, 'model.flow');
    await saveFlowFile(flowPath, model, await loadBundledSample('heart.png', 64));
    const outPath = path.join(dir, 'v.onnx');
    const cli = io();
    await exportOnnxCommand.run([flowPath, '-o', outPath], cli);
    assert.equal(cli.results[0]!['method'], 'fm');
    assert.equal(cli.results[0]!['output'], outPath);
    assert.deepEqual((await fs.readdir(dir)).sort(), ['model.flow', 'v.onnx'], 'no temporary file left beside it');

    // Through createOrtField, which keeps ORT's temp files out of the user's /tmp.
    const ortField = await createOrtField(await fs.readFile(outPath));
    const field = await createModelField(model);
    try {
      const points = Float64Array.from({ length: 64 }, (_, i) => Math.sin(i) * 3);
      const actual = new Float64Array(64);
      await ortField.velocityAsync(points, 0.4, actual);
      const expected = new Float64Array(64);
      field.velocity(points, 0.4, expected);
      for (let i = 0; i < 64; i++) assert.ok(Math.abs(actual[i]! - expected[i]!) < 1e-4);
    } finally {
      field.dispose();
      ortField.dispose();
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('export-onnx: usage errors and a missing model', async () => {
  await assert.rejects(exportOnnxCommand.run(['m.flow'], io()), UsageError);
  await assert.rejects(exportOnnxCommand.run(['-o', 'v.onnx'], io()), UsageError);
  await assert.rejects(exportOnnxCommand.run(['a.flow', 'b.flow', '-o', 'v.onnx'], io()), UsageError);
  const missing = path.join(os.tmpdir(), 'flowgif-no-such-model.flow');
  await assert.rejects(exportOnnxCommand.run([missing, '-o', path.join(os.tmpdir(), 'flowgif-unused.onnx')], io()), (e: unknown) => isFlowGifError(e) && e.code === 'MODEL_NOT_FOUND');
});
