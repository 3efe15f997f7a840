import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { ExportDone, TrainDone, TrajectoryData } from '../../shared/ipc/contract.js';
import { resolveRenderSettings } from '../../shared/render/render-settings.js';
import type { AsyncVelocityField } from '../engine/flow/velocity-field.js';
import { createInferenceField } from '../engine/inference/ort-field.js';
import type { TrainedModel } from '../engine/train/trained-model.js';
import { MAX_IMAGES } from './image-registry.js';
import { ok } from './job-watcher.test-util.js';
import { startTestService, stopTestService, type TestService } from './test-service.test-util.js';

/**
 * What the engine keeps in memory while jobs run: an evicted picture's exact flow lives as long
 * as the job using it, and a model has one inference session however many passes preview it.
 */

let running: TestService;
/** Inference sessions the engine asked for, counted at the seam it opens them through. */
let sessionsOpened = 0;

before(async () => {
  running = await startTestService('flowgif-service-memory-', {
    openInferenceField: async (model: TrainedModel, tempDir: string): Promise<AsyncVelocityField> => {
      sessionsOpened++;
      return (await createInferenceField(model, { tempDir })).field;
    },
  });
});

after(() => stopTestService(running));

/** Small pictures (a dark square on white, each a little bigger), made before they are needed. */
async function makePictures(count: number): Promise<Array<{ name: string; bytes: Uint8Array }>> {
  const pictures = [];
  for (let i = 0; i < count; i++) {
    const side = 24 + i;
    const rgb = Buffer.alloc(side * side * 3, 255);
    for (let y = 6; y < side - 6; y++) rgb.fill(0, (y * side + 6) * 3, (y * side + side - 6) * 3);
    pictures.push({ name: `square-${side}.png`, bytes: await sharp(rgb, { raw: { width: side, height: side, channels: 3 } }).png().toBuffer() });
  }
  return pictures;
}

/** Opens them all at once, as uploads: quick enough to land while a job runs. */
async function openPictures(pictures: ReadonlyArray<{ name: string; bytes: Uint8Array }>): Promise<void> {
  await Promise.all(pictures.map((p) => ok(running.service, 'image:open', { source: { kind: 'bytes', name: p.name, bytes: p.bytes } })));
}

function ended(jobId: string): boolean {
  return running.watcher.messages(jobId).some((m) => m.type === 'done' || m.type === 'failed' || m.type === 'cancelled');
}

/** Waits until the registries hold `count` exact flows (pictures' flows are built in the background). */
async function exactFlowsReach(count: number, what: string): Promise<void> {
  const deadline = performance.now() + 20_000;
  while (running.service.heldInMemory().exactFlows !== count) {
    if (performance.now() > deadline) assert.fail(`${what}: ${running.service.heldInMemory().exactFlows} exact flows held, expected ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('a preview keeps its evicted picture: done with the same paths as before, and its flow freed after', async () => {
  const { service, watcher } = running;
  const own = await ok(service, 'image:open', { source: { kind: 'sample', name: 'spiral.webp' } });
  const flow = { kind: 'exact', imageId: own.imageId } as const;
  // About 4 s of a 2-core machine: long enough for the pictures to open meanwhile.
  const request = { flow, particles: 250_000, seed: 7 };
  const pictures = await makePictures(MAX_IMAGES);
  const reference = await watcher.done<TrajectoryData>((await ok(service, 'preview:start', request)).jobId);

  const { jobId } = await ok(service, 'preview:start', request);
  await watcher.next(jobId, (m) => m.type === 'progress' && m.progress.stage === 'integrate');
  // MAX_IMAGES more: the spiral (and the heart opened before it) leave the open pictures.
  await openPictures(pictures);
  const stale = await service.invoke('preview:start', { flow, particles: 10, seed: 0 });
  assert.ok(!stale.ok && stale.error.code === 'NOT_FOUND', 'the spiral is no longer open');
  assert.equal(ended(jobId), false, 'the pictures opened while the preview still ran');
  assert.equal(service.heldInMemory().picturesKeptForJobs, 1, 'the spiral is kept for the preview');

  const data = await watcher.done<TrajectoryData>(jobId);
  assert.deepEqual(data.positions, reference.positions, 'the same paths as the preview before the eviction');
  assert.deepEqual(data.imageColours, reference.imageColours);
  assert.equal(service.heldInMemory().picturesKeptForJobs, 0, 'nothing kept once the preview ended');
  // The eight open pictures' flows only: the spiral's is gone.
  await exactFlowsReach(MAX_IMAGES, 'after the preview ended');
});

test('an export keeps its evicted picture, writes what it would have, and frees the flow after', async () => {
  const { service, watcher, root } = running;
  // About 4 s of solving: the pictures open while it runs.
  const settings = resolveRenderSettings({ size: 96, particles: 150_000, timeline: { durationSeconds: 0.5, fps: 10 } });
  const pictures = await makePictures(MAX_IMAGES);
  const own = await ok(service, 'image:open', { source: { kind: 'sample', name: 'star.jpg' } });
  const exportTo = (name: string) => ok(service, 'export:start', { flow: { kind: 'exact', imageId: own.imageId }, format: 'gif', outputPath: `${root}/${name}`, settings });
  const reference = await watcher.done<ExportDone>((await exportTo('reference.gif')).jobId);
  await exactFlowsReach(MAX_IMAGES, 'before the export');

  const started = await exportTo('crowded.gif');
  await watcher.next(started.jobId, (m) => m.type === 'progress' && m.progress.stage === 'integrate');
  await openPictures(pictures.map((p) => ({ ...p, name: `again-${p.name}` })));
  assert.equal(ended(started.jobId), false, 'the pictures opened while the export still ran');
  assert.equal(service.heldInMemory().picturesKeptForJobs, 1, 'the star is kept for the export');
  const done = await watcher.done<ExportDone>(started.jobId);
  const fs = await import('node:fs/promises');
  assert.deepEqual(await fs.readFile(done.outputPath), await fs.readFile(reference.outputPath), 'the same GIF as the export before the eviction');
  assert.equal(service.heldInMemory().picturesKeptForJobs, 0, 'nothing kept once the export ended');
  await exactFlowsReach(MAX_IMAGES, 'after the export ended');
});

test('a trained model opens one inference session for all its preview passes, its estimate and its export', async () => {
  const { service, watcher, root } = running;
  const image = await ok(service, 'image:open', { source: { kind: 'sample', name: 'heart.png' } });
  const before = sessionsOpened;
  const trained = await watcher.done<TrainDone>((await ok(service, 'train:start', { imageId: image.imageId, method: 'fm', seconds: 1, seed: 1 })).jobId);
  const flow = { kind: 'model', modelId: trained.modelId } as const;
  // The app's two passes (a coarse one, then the full one), then a second look.
  for (const particles of [600, 5000, 600]) {
    const data = await watcher.done<TrajectoryData>((await ok(service, 'preview:start', { flow, particles, seed: 0 })).jobId);
    assert.equal(data.particles, particles);
  }
  const settings = resolveRenderSettings({ size: 48, particles: 300, timeline: { durationSeconds: 0.5, fps: 10 } });
  await watcher.done((await ok(service, 'export:estimate', { flow, format: 'gif', settings })).jobId);
  await watcher.done<ExportDone>((await ok(service, 'export:start', { flow, format: 'gif', outputPath: `${root}/model.gif`, settings })).jobId);
  assert.equal(sessionsOpened - before, 1, 'one session for the model, opened when its training ended');
  assert.equal(service.heldInMemory().sessions, 1);
});
