import { test } from 'node:test';
import assert from 'node:assert/strict';
import { noopJobContext } from '../../shared/job.js';
import { loadBundledSample } from '../engine/flow/bundled-samples.js';
import type { VelocityField } from '../engine/flow/velocity-field.js';
import { ImageRegistry, MAX_IMAGES } from './image-registry.js';

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('an evicted picture keeps its exact flow for the job holding it; the flow is freed when that job ends', async () => {
  const registry = new ImageRegistry();
  const heart = await loadBundledSample('heart.png', 64);
  const star = await loadBundledSample('star.jpg', 32);
  const own = registry.add({ density: heart, name: 'heart.png', path: undefined, bytes: undefined });
  const lease = registry.lease(own.imageId);
  const field = (await lease.opened(noopJobContext)).field as VelocityField;
  const points = Float64Array.of(0.5, -0.25, 1, 1);
  const before = new Float64Array(4);
  field.velocity(points, 0.7, before);
  assert.equal(registry.liveFlows, 1);

  for (let i = 0; i < MAX_IMAGES; i++) registry.add({ density: star, name: `star-${i}.jpg`, path: undefined, bytes: undefined });
  assert.throws(() => registry.get(own.imageId), /not open/);
  await settle();
  assert.equal(registry.liveFlows, 1, 'still held by the job');
  const after = new Float64Array(4);
  field.velocity(points, 0.7, after);
  assert.deepEqual([...after], [...before], 'the same flow, still usable');

  lease.release();
  await settle();
  assert.equal(registry.liveFlows, 0, 'freed when the job ended');
  assert.throws(() => field.velocity(points, 0.7, after), /after dispose/);
  registry.dispose();
});

test('a picture kept open keeps its exact flow after its jobs end, and dispose frees it', async () => {
  const registry = new ImageRegistry();
  const info = registry.add({ density: await loadBundledSample('heart.png', 64), name: 'heart.png', path: undefined, bytes: undefined });
  const first = registry.lease(info.imageId);
  const a = (await first.opened(noopJobContext)).field;
  first.release();
  const second = registry.lease(info.imageId);
  assert.equal((await second.opened(noopJobContext)).field, a, 'built once, shared');
  second.release();
  await settle();
  assert.equal(registry.liveFlows, 1);
  registry.dispose();
  await settle();
  assert.equal(registry.liveFlows, 0);
});
