import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JobHandlers } from './jobs.js';
import { JobRouter } from './jobs.js';
import { FakeApi, trajectory } from './fake-api.test-util.js';

/** Handlers that write down what reached them, in order. */
function recorder(): { seen: string[]; handlers: JobHandlers<'preview'> } {
  const seen: string[] = [];
  return {
    seen,
    handlers: {
      progress: (p) => seen.push(`progress ${p.done}`),
      done: (value) => seen.push(`done ${value.particles}`),
      failed: (error) => seen.push(`failed ${error.message}`),
      cancelled: () => seen.push('cancelled'),
    },
  };
}

const step = (done: number) => ({ stage: 'integrate', done, total: 10 }) as const;

test('events that arrive before a job is watched are delivered, in order, once it is', () => {
  const api = new FakeApi();
  const router = new JobRouter(api);
  api.progress('j', 'preview', step(1));
  api.progress('j', 'preview', step(2));
  api.done('j', 'preview', trajectory(3));
  const { seen, handlers } = recorder();
  router.watch('j', handlers);
  assert.deepEqual(seen, ['progress 1', 'progress 2', 'done 3']);
});

test("a watched job's events go to its handlers only, and nothing after it has ended", () => {
  const api = new FakeApi();
  const router = new JobRouter(api);
  const a = recorder();
  const b = recorder();
  router.watch('a', a.handlers);
  router.watch('b', b.handlers);
  api.progress('a', 'preview', step(4));
  api.failed('b', 'preview', { name: 'Error', message: 'boom' });
  api.done('a', 'preview', trajectory(5));
  api.done('a', 'preview', trajectory(6));
  api.jobCancelled('b', 'preview');
  assert.deepEqual(a.seen, ['progress 4', 'done 5']);
  assert.deepEqual(b.seen, ['failed boom']);
});

test('forget drops what a job sent before and ignores what it sends after', () => {
  const api = new FakeApi();
  const router = new JobRouter(api);
  api.progress('old', 'preview', step(1));
  router.forget('old');
  api.done('old', 'preview', trajectory(7));
  const { seen, handlers } = recorder();
  router.watch('old', handlers);
  assert.deepEqual(seen, []);

  // A watched job that is forgotten hears nothing more either.
  const live = recorder();
  router.watch('live', live.handlers);
  api.progress('live', 'preview', step(2));
  router.forget('live');
  api.done('live', 'preview', trajectory(8));
  assert.deepEqual(live.seen, ['progress 2']);
});

test('forgotten jobs take no room in the early buffer', () => {
  const api = new FakeApi();
  const router = new JobRouter(api);
  api.progress('mine', 'preview', step(1));
  // 64 superseded jobs, each with an event buffered before it was given up on.
  for (let i = 0; i < 64; i++) {
    api.progress(`gone-${i}`, 'preview', step(i));
    router.forget(`gone-${i}`);
  }
  const { seen, handlers } = recorder();
  router.watch('mine', handlers);
  assert.deepEqual(seen, ['progress 1']);
});

test('the early buffer is bounded: 64 events a job, 64 jobs nobody watches', () => {
  const api = new FakeApi();
  const router = new JobRouter(api);
  for (let i = 0; i < 100; i++) api.progress('busy', 'preview', step(i));
  const busy = recorder();
  router.watch('busy', busy.handlers);
  assert.equal(busy.seen.length, 64);
  assert.equal(busy.seen[63], 'progress 63');

  // Another window's jobs: one event each for 65 ids, so the oldest id is let go.
  for (let i = 0; i <= 64; i++) api.progress(`other-${i}`, 'preview', step(i));
  const first = recorder();
  const second = recorder();
  const last = recorder();
  router.watch('other-0', first.handlers);
  router.watch('other-1', second.handlers);
  router.watch('other-64', last.handlers);
  assert.deepEqual(first.seen, []);
  assert.deepEqual(second.seen, ['progress 1']);
  assert.deepEqual(last.seen, ['progress 64']);
});

test('dispose unsubscribes from the host', () => {
  const api = new FakeApi();
  const router = new JobRouter(api);
  assert.equal(api.listening, 1);
  router.dispose();
  assert.equal(api.listening, 0);
});
