import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TrajectoryData } from '../../shared/ipc/contract.js';
import { ok } from './job-watcher.test-util.js';
import { startTestService, stopTestService, type TestService } from './test-service.test-util.js';

const services: TestService[] = [];
after(() => Promise.all(services.map(stopTestService)));

async function fresh(): Promise<TestService> {
  const running = await startTestService('flowgif-warm-up-');
  services.push(running);
  return running;
}

test('the warm-up runs to its end beside app:info, and logs nothing', async () => {
  const { service } = await fresh();
  const warming = service.warmUp();
  await ok(service, 'app:info', {});
  assert.equal(await warming, 'done');
  assert.equal(await service.warmUp(), 'stopped', 'one warm-up per engine');
});

test('the first request that is work stops the warm-up, and is answered', async () => {
  const { service, watcher } = await fresh();
  const warming = service.warmUp();
  const info = await ok(service, 'image:open', { source: { kind: 'sample', name: 'flowgif-mark.png' } });
  assert.equal(await warming, 'stopped');
  const { jobId } = await ok(service, 'preview:start', { flow: { kind: 'exact', imageId: info.imageId }, particles: 500, seed: 0 });
  const data = await watcher.done<TrajectoryData>(jobId);
  assert.equal(data.particles, 500);
});
