import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SerializedError } from '../../shared/errors.js';
import type { TrajectoryData } from '../../shared/ipc/contract.js';
import { JobWatcher, ok } from './job-watcher.test-util.js';
import { WorkerClient } from './worker-client.js';

let root: string;
let client: WorkerClient;
let watcher: JobWatcher;
const crashes: SerializedError[] = [];

before(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-worker-'));
  client = new WorkerClient({
    host: 'web',
    resourcesDir: fileURLToPath(new URL('../../../resources/', import.meta.url)),
    dataDir: path.join(root, 'data'),
    tempDir: path.join(root, 'temp'),
    version: '9.9.9',
    onDidCrash: (error) => crashes.push(error),
  });
  watcher = new JobWatcher(client);
});

after(async () => {
  await client.dispose();
  await fs.rm(root, { recursive: true, force: true });
});

test('the forked engine answers app:info and a preview, typed arrays intact', async () => {
  const info = await ok(client, 'app:info', {});
  assert.equal(info.version, '9.9.9');
  assert.equal(info.host, 'web');
  assert.ok(info.samples.some((s) => s.name === 'heart.png'));
  const image = await ok(client, 'image:open', { source: { kind: 'sample', name: 'heart.png' } });
  assert.ok(image.densityPreview.rgba instanceof Uint8Array);
  const { jobId } = await ok(client, 'preview:start', { flow: { kind: 'exact', imageId: image.imageId }, particles: 200, seed: 0 });
  const data = await watcher.done<TrajectoryData>(jobId);
  assert.ok(data.positions instanceof Float32Array && data.times instanceof Float64Array && data.imageColours instanceof Uint8Array);
  assert.equal(data.positions.length, data.times.length * 200 * 2);
  const bad = await client.invoke('image:open', { source: { kind: 'sample', name: 'x/../y' } });
  assert.ok(!bad.ok && bad.error.code === 'IPC_INVALID');
});

test('a worker killed mid-job: the job fails clearly, requests in flight fail, the next request gets a new worker', async () => {
  const image = await ok(client, 'image:open', { source: { kind: 'sample', name: 'star.jpg' } });
  const { jobId } = await ok(client, 'train:start', { imageId: image.imageId, method: 'fm', seconds: 600, seed: 0 });
  await watcher.next(jobId, (m) => m.type === 'progress');
  const pid = client.pid!;
  const inFlight = client.invoke('app:info', {});
  process.kill(pid, 'SIGKILL');
  const end = await watcher.ended(jobId);
  assert.equal(end.type, 'failed');
  assert.ok(end.type === 'failed' && end.error.name === 'EngineExited' && /killed \(SIGKILL\)/.test(end.error.message), JSON.stringify(end));
  const answer = await inFlight;
  // It may have been answered just before the kill; if not, it fails with the same clear error.
  if (!answer.ok) assert.equal(answer.error.name, 'EngineExited');
  assert.equal(crashes.length, 1);
  assert.deepEqual(client.activeJobs(), []);

  const again = await ok(client, 'app:info', {});
  assert.equal(again.host, 'web');
  assert.notEqual(client.pid, pid);
  const gone = await client.invoke('preview:start', { flow: { kind: 'exact', imageId: image.imageId }, particles: 10, seed: 0 });
  assert.ok(!gone.ok && gone.error.code === 'NOT_FOUND', 'the new engine does not know the old one\'s images');
});

test('dispose cancels running jobs in the worker before it exits', async () => {
  const image = await ok(client, 'image:open', { source: { kind: 'sample', name: 'heart.png' } });
  const { jobId } = await ok(client, 'train:start', { imageId: image.imageId, method: 'fm', seconds: 600, seed: 0 });
  await watcher.next(jobId, (m) => m.type === 'progress');
  await client.dispose();
  assert.equal((await watcher.ended(jobId)).type, 'cancelled');
  const refused = await client.invoke('app:info', {});
  assert.ok(!refused.ok && /shut down/.test(refused.error.message));
});
