import { test } from 'node:test';
import assert from 'node:assert/strict';
import { noopJobContext } from '../../shared/job.js';
import { ROUND_NOISE } from '../engine/flow/noise-source.js';
import type { AsyncVelocityField } from '../engine/flow/velocity-field.js';
import { loadBundledSample } from '../engine/flow/bundled-samples.js';
import type { TrainedModel } from '../engine/train/trained-model.js';
import { MAX_MODELS, ModelRegistry, type StoredModel } from './model-registry.js';

/** An opener that counts the sessions it opens and the ones freed, standing in for onnxruntime. */
function countingOpener(): { open: (model: TrainedModel) => Promise<AsyncVelocityField>; opened: number; freed: number } {
  const counts = {
    opened: 0,
    freed: 0,
    open: async (model: TrainedModel): Promise<AsyncVelocityField> => {
      counts.opened++;
      let live = true;
      return {
        kind: model.method,
        source: model.noise,
        velocityAsync: async (_points, t, out) => {
          if (!live) throw new Error('session used after it was freed');
          out.fill(t);
        },
        dispose: () => {
          live = false;
          counts.freed++;
        },
      };
    },
  };
  return counts;
}

async function storedModel(): Promise<StoredModel> {
  const model: TrainedModel = {
    method: 'fm',
    architecture: {},
    weights: [],
    training: { preset: 'test', backend: 'test', seed: 0, steps: 0, seconds: 0, finalLoss: 0, history: [] },
    noise: ROUND_NOISE,
  };
  return { model, density: await loadBundledSample('heart.png', 32), file: '/nowhere/model.flow', imageId: undefined };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('one session per model, however many jobs and passes use it', async () => {
  const opener = countingOpener();
  const registry = new ModelRegistry(opener.open);
  registry.add('m', await storedModel());
  registry.warm('m');
  for (let pass = 0; pass < 3; pass++) {
    const lease = registry.lease('m');
    const { field } = await lease.opened(noopJobContext);
    const out = new Float64Array(2);
    await (field as AsyncVelocityField).velocityAsync(new Float64Array(2), 0.5, out);
    lease.release();
  }
  assert.equal(opener.opened, 1);
  assert.equal(registry.liveSessions, 1);
  registry.dispose();
  await settle();
  assert.equal(opener.freed, 1, 'freed on dispose');
  assert.equal(registry.liveSessions, 0);
});

test('a dropped model keeps its session for the job using it, and frees it when that job ends', async () => {
  const opener = countingOpener();
  const registry = new ModelRegistry(opener.open);
  const stored = await storedModel();
  registry.add('first', stored);
  const lease = registry.lease('first');
  const { field } = await lease.opened(noopJobContext);
  for (let i = 0; i < MAX_MODELS; i++) registry.add(`later-${i}`, stored);
  assert.throws(() => registry.get('first'), /not loaded/);
  await settle();
  assert.equal(opener.freed, 0, 'kept while the job runs');
  const out = new Float64Array(2);
  await (field as AsyncVelocityField).velocityAsync(new Float64Array(2), 0.25, out);
  assert.deepEqual([...out], [0.25, 0.25]);
  lease.release();
  lease.release();
  await settle();
  assert.equal(opener.freed, 1, 'freed once, when the last lease ended');
  assert.equal(registry.liveSessions, 0);
  // A dropped model never used opens nothing and frees nothing.
  for (let i = 0; i < MAX_MODELS; i++) registry.add(`more-${i}`, stored);
  await settle();
  assert.deepEqual([opener.opened, opener.freed], [1, 1]);
});

test('a session that fails to open is not kept: the next job opens it again', async () => {
  const opener = countingOpener();
  let failures = 1;
  const registry = new ModelRegistry(async (model) => {
    if (failures-- > 0) throw new Error('onnxruntime could not load the graph');
    return opener.open(model);
  });
  registry.add('m', await storedModel());
  await assert.rejects(registry.lease('m').opened(noopJobContext), /could not load/);
  const { field } = await registry.lease('m').opened(noopJobContext);
  assert.equal(field.kind, 'fm');
  assert.deepEqual([opener.opened, registry.liveSessions], [1, 1]);
  registry.dispose();
});
