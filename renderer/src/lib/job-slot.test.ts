import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SerializedError } from '../../../shared/errors.js';
import type { JobId, Result } from '../../../shared/ipc/contract.js';
import { JobRouter } from './jobs.js';
import { JobSlot, type JobOutcome } from './job-slot.svelte.js';
import { FakeApi, fail, ok, settle, trajectory } from './fake-api.test-util.js';

function setup(): { api: FakeApi; slot: JobSlot<'preview'>; reported: SerializedError[] } {
  const api = new FakeApi();
  const reported: SerializedError[] = [];
  const slot = new JobSlot<'preview'>(api, new JobRouter(api), (error) => reported.push(error));
  return { api, slot, reported };
}

/** A slot whose preview job is running: the job's id, what its handlers saw, its outcome to come. */
async function running(): Promise<ReturnType<typeof setup> & { jobId: JobId; seen: string[]; outcome: Promise<JobOutcome<'preview'>> }> {
  const parts = setup();
  const seen: string[] = [];
  const outcome = startPreview(parts.api, parts.slot, 1, seen);
  await settle();
  return { ...parts, jobId: parts.api.lastJob('preview').jobId, seen, outcome };
}

function startPreview(api: FakeApi, slot: JobSlot<'preview'>, particles: number, seen: string[] = []): Promise<JobOutcome<'preview'>> {
  return slot.start(() => api.invoke('preview:start', { flow: { kind: 'exact', imageId: 'i' }, particles, seed: 0 }), {
    progress: (p) => seen.push(`progress ${p.done}`),
    done: (value) => seen.push(`done ${value.particles}`),
    failed: (error) => seen.push(`failed ${error.title}`),
    cancelled: () => seen.push('cancelled'),
  });
}

test('a job runs: running with its progress, then done with its value', async () => {
  const { api, slot } = setup();
  const seen: string[] = [];
  const outcome = startPreview(api, slot, 10, seen);
  assert.equal(slot.status, 'running');
  await settle();
  const job = api.lastJob('preview');
  api.progress(job.jobId, 'preview', { stage: 'integrate', done: 3, total: 4 });
  assert.equal(slot.fraction, 0.75);
  const data = trajectory(10);
  api.done(job.jobId, 'preview', data);
  assert.equal(slot.status, 'done');
  assert.equal(slot.value, data);
  assert.deepEqual(await outcome, { status: 'done', value: data });
  assert.deepEqual(seen, ['progress 3', 'done 10']);
});

test('a newer start cancels and forgets the running job: its late events change nothing', async () => {
  const { api, slot } = setup();
  const seen: string[] = [];
  const first = startPreview(api, slot, 1, seen);
  await settle();
  const second = startPreview(api, slot, 2);
  assert.deepEqual(await first, { status: 'superseded' });
  await settle();
  const [old, current] = api.jobs('preview');
  assert.ok(old !== undefined && current !== undefined);
  assert.deepEqual(api.cancelled(), [old.jobId]);

  api.progress(old.jobId, 'preview', { stage: 'integrate', done: 9, total: 10 });
  api.done(old.jobId, 'preview', trajectory(1));
  assert.equal(slot.status, 'running');
  assert.equal(slot.value, undefined);
  assert.equal(slot.fraction, 0);
  assert.deepEqual(seen, []);

  const data = trajectory(2);
  api.done(current.jobId, 'preview', data);
  assert.deepEqual(await second, { status: 'done', value: data });
});

test('a start superseded before its job id arrived cancels that job as soon as it is known', async () => {
  const { api, slot } = setup();
  let answerFirst: (result: Result<{ jobId: JobId }>) => void = () => {};
  const first = slot.start(() => new Promise((resolve) => (answerFirst = resolve)));
  const second = startPreview(api, slot, 2);
  answerFirst(ok({ jobId: 'slow' }));
  assert.deepEqual(await first, { status: 'superseded' });
  await settle();
  assert.deepEqual(api.cancelled(), ['slow']);
  api.done('slow', 'preview', trajectory(1));
  assert.equal(slot.status, 'running');
  const [current] = api.jobs('preview');
  assert.ok(current !== undefined);
  api.done(current.jobId, 'preview', trajectory(2));
  assert.equal((await second).status, 'done');
});

test('a refused request fails the slot with the described error', async () => {
  const { api, slot } = setup();
  api.answer('preview:start', () => fail({ name: 'FlowGifError', message: 'gone', code: 'MODEL_NOT_FOUND' }));
  const seen: string[] = [];
  const outcome = await startPreview(api, slot, 1, seen);
  assert.equal(outcome.status, 'failed');
  assert.equal(slot.status, 'failed');
  assert.equal(slot.error?.code, 'MODEL_NOT_FOUND');
  assert.deepEqual(seen, ['failed Model not found']);
});

test('a request that throws (the transport went away) fails the slot as an unexpected error', async () => {
  const { slot } = setup();
  await slot.start(() => Promise.reject(new Error('socket closed')));
  assert.equal(slot.status, 'failed');
  assert.equal(slot.error?.unexpected, true);
  assert.equal(slot.error?.message, 'socket closed');
});

test('a job that fails with an AbortError was cancelled, not failed', async () => {
  const { api, slot, jobId, seen, outcome } = await running();
  api.failed(jobId, 'preview', { name: 'AbortError', message: 'aborted' });
  assert.equal(slot.status, 'cancelled');
  assert.equal(slot.error, undefined);
  assert.deepEqual(await outcome, { status: 'cancelled' });
  assert.deepEqual(seen, ['cancelled']);
});

test('cancel asks the engine, and the slot moves when the engine says the job stopped', async () => {
  const { api, slot, jobId, outcome } = await running();
  slot.cancel();
  await settle();
  assert.deepEqual(api.cancelled(), [jobId]);
  assert.equal(slot.status, 'running');
  api.jobCancelled(jobId, 'preview');
  assert.equal(slot.status, 'cancelled');
  assert.deepEqual(await outcome, { status: 'cancelled' });
});

test('a cancel pressed before the job id arrived cancels the job once it is known', async () => {
  const { api, slot } = setup();
  let answer: (result: Result<{ jobId: JobId }>) => void = () => {};
  void slot.start(() => new Promise((resolve) => (answer = resolve)));
  slot.cancel();
  assert.deepEqual(api.cancelled(), []);
  answer(ok({ jobId: 'late' }));
  await settle();
  assert.deepEqual(api.cancelled(), ['late']);
});

test("a failed cancel request is reported; a superseded job's is not", async () => {
  const { api, slot, reported } = setup();
  api.answer('job:cancel', () => fail({ name: 'FlowGifError', message: 'no such job', code: 'NOT_FOUND' }));
  void startPreview(api, slot, 1);
  await settle();
  void startPreview(api, slot, 2);
  await settle();
  assert.equal(api.cancelled().length, 1);
  assert.equal(reported.length, 0);
  slot.cancel();
  await settle();
  assert.deepEqual(reported.map((e) => e.code), ['NOT_FOUND']);
});

test('reset clears a settled slot and leaves a running one alone', async () => {
  const { api, slot } = setup();
  api.answer('preview:start', () => fail({ name: 'Error', message: 'x' }));
  await startPreview(api, slot, 1);
  slot.reset();
  assert.equal(slot.status, 'idle');
  assert.equal(slot.error, undefined);
  api.answer('preview:start', () => ok({ jobId: 'r' }));
  void startPreview(api, slot, 1);
  slot.reset();
  assert.equal(slot.status, 'running');
});

test('forget gives the job up: cancelled, its late events ignored, the slot idle', async () => {
  const { api, slot, jobId, seen, outcome } = await running();
  slot.forget();
  assert.equal(slot.status, 'idle');
  assert.deepEqual(await outcome, { status: 'superseded' });
  await settle();
  assert.deepEqual(api.cancelled(), [jobId]);
  api.done(jobId, 'preview', trajectory(1));
  assert.equal(slot.status, 'idle');
  assert.equal(slot.value, undefined);
  assert.deepEqual(seen, []);

  // Given up before its id arrived: the job is cancelled once it is known.
  let answer: (result: Result<{ jobId: JobId }>) => void = () => {};
  const waiting = slot.start(() => new Promise((resolve) => (answer = resolve)));
  slot.forget();
  answer(ok({ jobId: 'unwanted' }));
  assert.deepEqual(await waiting, { status: 'superseded' });
  await settle();
  assert.deepEqual(api.cancelled(), [jobId, 'unwanted']);
  assert.equal(slot.status, 'idle');
});
