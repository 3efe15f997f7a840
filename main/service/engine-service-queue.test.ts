import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { ExportDone, ExportRequest, ImageInfo, JobMessage, SizeEstimate, TrainDone } from '../../shared/ipc/contract.js';
import { resolveRenderSettings } from '../../shared/render/render-settings.js';
import { EngineService } from './engine-service.js';
import { type JobWatcher, ok } from './job-watcher.test-util.js';
import { startTestService, stopTestService, type TestService } from './test-service.test-util.js';

/**
 * Heavy jobs under load, with real trainings and exports: they take turns, a waiting job says
 * so, a job's picture outlives eight more being opened, and one file takes one export at a time.
 */

let root: string;
let service: EngineService;
let watcher: JobWatcher;
let heart: ImageInfo;

/** Seconds of the queued training: shorter than the export ahead of it, which takes about 7 s. */
const TRAIN_SECONDS = 3;
/** Five seconds of a 2-core machine's time (measured 7 s), mostly solving paths: longer than a training's budget. */
const slowSettings = resolveRenderSettings({ size: 256, particles: 400_000, timeline: { durationSeconds: 3, fps: 10 } });
const quickSettings = resolveRenderSettings({ size: 48, particles: 300, timeline: { durationSeconds: 0.5, fps: 10 } });

let running: TestService;

before(async () => {
  running = await startTestService('flowgif-service-queue-');
  ({ root, service, watcher, heart } = running);
});

after(() => stopTestService(running));

function exportOf(image: ImageInfo, name: string, settings = slowSettings): ExportRequest {
  return { flow: { kind: 'exact', imageId: image.imageId }, format: 'gif', outputPath: path.join(root, name), settings };
}

/** Nine small pictures made here (a dark square on white, each a little bigger), opened as uploads. */
async function openNinePictures(): Promise<void> {
  for (let i = 0; i < 9; i++) {
    const side = 24 + i;
    const rgb = Buffer.alloc(side * side * 3, 255);
    for (let y = 6; y < side - 6; y++) rgb.fill(0, (y * side + 6) * 3, (y * side + side - 6) * 3);
    const bytes = await sharp(rgb, { raw: { width: side, height: side, channels: 3 } }).png().toBuffer();
    await ok(service, 'image:open', { source: { kind: 'bytes', name: `square-${side}.png`, bytes } });
  }
}

function stagesOf(jobId: string): string[] {
  return watcher.messages(jobId).flatMap((m) => (m.type === 'progress' ? [m.progress.stage] : []));
}

/** Index and arrival time (ms) of each message, in the order all of them arrived (the watcher keeps them per job). */
function order(): (m: JobMessage) => { index: number; at: number } {
  const all: JobMessage[] = [];
  const times: number[] = [];
  const unsubscribe = service.onDidJobEvent((m) => {
    all.push(m);
    times.push(performance.now());
  });
  return (m) => {
    unsubscribe();
    const index = all.indexOf(m);
    return { index, at: times[index] ?? Number.NaN };
  };
}

test('a training queued behind an export waits, says so, and then has its whole budget', async () => {
  const placeOf = order();
  const exported = await ok(service, 'export:start', exportOf(heart, 'while-training.gif'));
  const { jobId } = await ok(service, 'train:start', { imageId: heart.imageId, method: 'fm', seconds: TRAIN_SECONDS, seed: 1 });
  const queued = await watcher.next(jobId, (m) => m.type === 'progress');
  assert.ok(queued.type === 'progress' && queued.progress.stage === 'queued' && queued.progress.done === 0, `the first report is 'queued': ${JSON.stringify(queued)}`);
  assert.equal(queued.progress.metrics?.['ahead'], 1, 'one job (the export) ahead');
  assert.deepEqual(service.runningJobs('train'), [jobId], 'a queued training counts as not ended');

  const exportEnd = await watcher.ended(exported.jobId);
  assert.equal(exportEnd.type, 'done');
  const behind = await watcher.done<TrainDone>(jobId);
  const firstTraining = watcher.messages(jobId).find((m) => m.type === 'progress' && m.progress.stage === 'train')!;
  const trainingEnd = watcher.messages(jobId).at(-1)!;
  const [exportEnded, trainingStarted, trainingEnded] = [exportEnd, firstTraining, trainingEnd].map(placeOf);
  assert.ok(exportEnded!.index < trainingStarted!.index, 'the training ran only after the export ended');
  assert.deepEqual(stagesOf(jobId).slice(0, 2), ['queued', 'queued'], 'queued, then queued done when its turn came');

  // Its budget counts from its turn, not from when it was asked for: the export alone outlasts
  // the budget, so a budget counted from the ask would end the training as soon as it began
  // (75 of 380 steps in the issue). A lower bound on time, which a loaded machine only lengthens.
  const ranSeconds = (trainingEnded!.at - exportEnded!.at) / 1000;
  assert.ok(ranSeconds >= 0.95 * TRAIN_SECONDS, `the training ran ${ranSeconds.toFixed(2)} s after the export ended, under its ${TRAIN_SECONDS} s budget`);
  assert.ok(behind.seconds >= 0.95 * TRAIN_SECONDS && behind.steps > 0, `it reports ${behind.steps} steps in ${behind.seconds} s`);
});

test('a second training queues instead of being refused, and both finish', async () => {
  const first = await ok(service, 'train:start', { imageId: heart.imageId, method: 'fm', seconds: 1, seed: 2 });
  const second = await ok(service, 'train:start', { imageId: heart.imageId, method: 'fm', seconds: 1, seed: 3 });
  const [a, b] = await Promise.all([watcher.done<TrainDone>(first.jobId), watcher.done<TrainDone>(second.jobId)]);
  assert.ok(a.steps > 0 && b.steps > 0 && a.modelId !== b.modelId);
  assert.equal(stagesOf(second.jobId)[0], 'queued');
});

test('cancelling queued jobs: each ends cancelled without running, and the job ahead still finishes', async () => {
  const ahead = await ok(service, 'export:start', exportOf(heart, 'ahead.gif'));
  const training = await ok(service, 'train:start', { imageId: heart.imageId, method: 'fm', seconds: 60, seed: 4 });
  const waitingExport = await ok(service, 'export:start', exportOf(heart, 'never.gif', quickSettings));
  await watcher.next(waitingExport.jobId, (m) => m.type === 'progress' && m.progress.stage === 'queued');
  const queuedPlaces = watcher.messages(waitingExport.jobId).flatMap((m) => (m.type === 'progress' ? [m.progress.metrics?.['ahead']] : []));
  assert.deepEqual(queuedPlaces, [2], 'the export waits behind the export and the training');

  assert.deepEqual(await ok(service, 'job:cancel', { jobId: training.jobId }), { cancelled: true });
  assert.equal((await watcher.ended(training.jobId)).type, 'cancelled');
  // The export moved up a place.
  await watcher.next(waitingExport.jobId, (m) => m.type === 'progress' && m.progress.metrics?.['ahead'] === 1);
  assert.deepEqual(await ok(service, 'job:cancel', { jobId: waitingExport.jobId }), { cancelled: true });
  assert.equal((await watcher.ended(waitingExport.jobId)).type, 'cancelled');

  for (const jobId of [training.jobId, waitingExport.jobId]) assert.ok(stagesOf(jobId).every((s) => s === 'queued'), `${jobId} never ran: ${stagesOf(jobId).join(', ')}`);
  assert.deepEqual(await ok(service, 'job:cancel', { jobId: training.jobId }), { cancelled: false }, 'an ended job cannot be cancelled again');
  await watcher.done<ExportDone>(ahead.jobId);
  await assert.rejects(fs.stat(path.join(root, 'never.gif')), { code: 'ENOENT' });
});

test('opening nine pictures while an export solves its paths leaves the export done', async () => {
  const own = await ok(service, 'image:open', { source: { kind: 'sample', name: 'heart.png' } });
  const started = await ok(service, 'export:start', exportOf(own, 'crowded.gif'));
  await watcher.next(started.jobId, (m) => m.type === 'progress' && m.progress.stage === 'integrate');
  // Eight are kept in memory: the ninth pushes the export's picture out.
  await openNinePictures();
  assert.equal(stagesOf(started.jobId).includes('encode'), false, 'the pictures opened while the export still used its flow');
  const done = await watcher.done<ExportDone>(started.jobId);
  assert.equal((await fs.stat(done.outputPath)).size, done.sizeBytes);
  // The picture itself is gone from the open ones, as before.
  const stale = await service.invoke('preview:start', { flow: { kind: 'exact', imageId: own.imageId }, particles: 10, seed: 0 });
  assert.ok(!stale.ok && stale.error.code === 'NOT_FOUND');
});

test('a queued export keeps its picture while nine more open, and runs when its turn comes', async () => {
  heart = await ok(service, 'image:open', { source: { kind: 'sample', name: 'heart.png' } });
  const own = await ok(service, 'image:open', { source: { kind: 'sample', name: 'spiral.webp' } });
  const ahead = await ok(service, 'export:start', exportOf(heart, 'ahead-of-queued.gif'));
  const queued = await ok(service, 'export:start', exportOf(own, 'queued.gif', quickSettings));
  await watcher.next(queued.jobId, (m) => m.type === 'progress' && m.progress.stage === 'queued');
  await openNinePictures();
  await ok(service, 'job:cancel', { jobId: ahead.jobId });
  const done = await watcher.done<ExportDone>(queued.jobId);
  // 5 frames there, 10 on the picture, 3 back: the default loop.
  assert.equal(done.frames, 5 + 10 + 3);
});

test('two exports to one file: the second is refused while the first is queued or running', async () => {
  heart = await ok(service, 'image:open', { source: { kind: 'sample', name: 'heart.png' } });
  const ahead = await ok(service, 'export:start', exportOf(heart, 'first-in-line.gif'));
  const first = await ok(service, 'export:start', exportOf(heart, 'same.gif', quickSettings));
  const refuse = async (outputPath: string): Promise<void> => {
    const second = await service.invoke('export:start', { ...exportOf(heart, 'same.gif', quickSettings), outputPath, replace: true });
    assert.ok(!second.ok, 'refused');
    assert.equal(second.error.code, 'ENGINE_BUSY');
    assert.equal(second.error.file, path.join(root, 'same.gif'));
    assert.match(second.error.message, new RegExp(`export to ${path.join(root, 'same.gif').replace(/[.\\/]/g, '\\$&')} is already under way`));
  };
  await refuse(path.join(root, 'same.gif'));
  // Another spelling of the same file is the same file.
  await refuse(path.join(root, '.', 'sub', '..', 'same.gif'));
  await watcher.next(ahead.jobId, (m) => m.type === 'progress' && m.progress.stage === 'integrate');
  assert.equal(stagesOf(first.jobId).at(-1), 'queued');
  await ok(service, 'job:cancel', { jobId: ahead.jobId });
  await watcher.next(first.jobId, (m) => m.type === 'progress' && m.progress.stage !== 'queued');
  await refuse(path.join(root, 'same.gif'));
  const done = await watcher.done<ExportDone>(first.jobId);
  assert.equal((await fs.stat(done.outputPath)).size, done.sizeBytes, 'the size reported is the file on disk');
  // Ended: the file may be written again (with consent, as it exists now).
  const again = await ok(service, 'export:start', { ...exportOf(heart, 'same.gif', quickSettings), replace: true });
  await watcher.done<ExportDone>(again.jobId);
});

test('a size estimate is a queued job: it waits for the export ahead; a newer one of the same flow cancels one waiting; the export of the flow cancels its estimate', async () => {
  heart = await ok(service, 'image:open', { source: { kind: 'sample', name: 'heart.png' } });
  const ahead = await ok(service, 'export:start', exportOf(heart, 'before-estimates.gif'));
  await watcher.next(ahead.jobId, (m) => m.type === 'progress');
  const flow = { kind: 'exact', imageId: heart.imageId } as const;
  const older = await ok(service, 'export:estimate', { flow, format: 'gif', settings: quickSettings });
  const newer = await ok(service, 'export:estimate', { flow, format: 'mp4', settings: quickSettings });
  const placeOf = order();
  const replaced = await watcher.ended(older.jobId);
  assert.equal(replaced.type, 'cancelled', 'the newer estimate of the same flow cancelled the older');
  assert.ok(stagesOf(older.jobId).every((s) => s === 'queued'), `it never ran: ${stagesOf(older.jobId).join(', ')}`);
  const waitingTurn = await watcher.next(newer.jobId, (m) => m.type === 'progress');
  assert.ok(waitingTurn.type === 'progress' && waitingTurn.progress.stage === 'queued', 'the newer one waits behind the export');
  const estimate = await watcher.done<SizeEstimate>(newer.jobId);
  assert.ok(estimate.bytes > 0 && estimate.lowBytes <= estimate.bytes && estimate.bytes <= estimate.highBytes, JSON.stringify(estimate));
  const exportEnd = await watcher.ended(ahead.jobId);
  assert.equal(exportEnd.type, 'done');
  const [exportEnded, answered] = [exportEnd, watcher.messages(newer.jobId).at(-1)!].map(placeOf);
  assert.ok(exportEnded!.index < answered!.index, 'answered only after the export ended');

  // An estimate waiting behind a training is cancelled by the export of its flow, and a cancel request ends one too.
  const training = await ok(service, 'train:start', { imageId: heart.imageId, method: 'fm', seconds: 60, seed: 5 });
  const waiting = await ok(service, 'export:estimate', { flow, format: 'gif', settings: quickSettings });
  await watcher.next(waiting.jobId, (m) => m.type === 'progress' && m.progress.stage === 'queued');
  const exported = await ok(service, 'export:start', exportOf(heart, 'after-estimate.gif', quickSettings));
  assert.equal((await watcher.ended(waiting.jobId)).type, 'cancelled', 'the export of the flow cancelled its estimate');
  const other = await ok(service, 'export:estimate', { flow: { kind: 'exact', imageId: (await ok(service, 'image:open', { source: { kind: 'sample', name: 'star.jpg' } })).imageId }, format: 'gif', settings: quickSettings });
  assert.deepEqual(await ok(service, 'job:cancel', { jobId: other.jobId }), { cancelled: true });
  assert.equal((await watcher.ended(other.jobId)).type, 'cancelled');
  await ok(service, 'job:cancel', { jobId: training.jobId });
  await watcher.done<ExportDone>(exported.jobId);
  assert.deepEqual(service.runningJobs(), []);
});
