import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JobMessage } from './contract.js';
import { FakeSocket } from './fake-socket.test-util.js';
import { createWsTransport } from './ws-transport.js';

test('requests sent before open are queued; responses resolve by id in any order', async () => {
  const socket = new FakeSocket();
  const api = createWsTransport(socket);
  assert.equal(socket.binaryType, 'arraybuffer');
  const cancel = api.invoke('job:cancel', { jobId: 'a' });
  const save = await api.invoke('project:save', { path: '/p.flowgif', project: undefined as never });
  assert.ok(!save.ok && save.error.code === 'IPC_INVALID', 'an invalid payload fails before it is sent');
  assert.equal(socket.sent.length, 0);
  socket.open();
  assert.equal(socket.sent.length, 1);
  const first = socket.sent[0]!;
  const info = api.invoke('job:cancel', { jobId: 'b' });
  const bRequest = socket.sent[1]!;
  assert.equal(bRequest.channel, 'job:cancel');
  socket.receive({ type: 'response', id: bRequest.id, result: { ok: true, value: { cancelled: false } } });
  socket.receive({ type: 'response', id: first.id, result: { ok: true, value: { cancelled: true } } });
  assert.deepEqual(await info, { ok: true, value: { cancelled: false } });
  assert.deepEqual(await cancel, { ok: true, value: { cancelled: true } });
});

test('job events reach every listener until it unsubscribes; a throwing listener does not starve others', () => {
  const socket = new FakeSocket();
  const errors: unknown[] = [];
  const api = createWsTransport(socket, { onError: (error) => errors.push(error) });
  socket.open();
  const a: JobMessage[] = [];
  const b: JobMessage[] = [];
  const offA = api.onDidJobEvent((m) => a.push(m));
  api.onDidJobEvent(() => {
    throw new Error('listener bug');
  });
  api.onDidJobEvent((m) => b.push(m));
  const message: JobMessage = { jobId: 'j', kind: 'train', type: 'samples', points: Float32Array.from([1, 2]), step: 3 };
  socket.receive({ type: 'job', message });
  offA();
  socket.receive({ type: 'job', message: { jobId: 'j', kind: 'train', type: 'cancelled' } });
  assert.equal(a.length, 1);
  assert.equal(b.length, 2);
  assert.ok(b[0]!.type === 'samples' && b[0]!.points instanceof Float32Array);
  assert.equal(errors.length, 2);
  assert.match(String(errors[0]), /listener bug/);
});

test('an invalid answer is the answer to its request', async () => {
  const socket = new FakeSocket();
  const api = createWsTransport(socket, { onError: () => assert.fail('answered, not reported') });
  socket.open();
  const pending = api.invoke('job:cancel', { jobId: 'a' });
  socket.receive({ type: 'response', id: socket.sent[0]!.id, result: { ok: true, value: { cancelled: 1 } } });
  const result = await pending;
  assert.ok(!result.ok && result.error.code === 'IPC_INVALID' && /job:cancel response/.test(result.error.message));
});

test('invalid server messages are reported, not delivered', () => {
  const socket = new FakeSocket();
  const errors: unknown[] = [];
  const api = createWsTransport(socket, { onError: (error) => errors.push(error) });
  socket.open();
  const seen: JobMessage[] = [];
  api.onDidJobEvent((m) => seen.push(m));
  socket.receive({ type: 'job', message: { jobId: 'j', kind: 'train', type: 'samples', points: [1, 2], step: 3 } });
  socket.receive({ type: 'response', id: 99, result: { ok: true, value: 1 } });
  assert.equal(seen.length, 0);
  assert.equal(errors.length, 2);
  assert.match(String(errors[0]), /points/);
});

test('a close answers pending requests and fails live jobs with a connection error, and later requests at once', async () => {
  const socket = new FakeSocket();
  const api = createWsTransport(socket);
  socket.open();
  const closes: string[] = [];
  const jobs: JobMessage[] = [];
  api.onDidClose((error) => closes.push(error.message));
  api.onDidJobEvent((m) => jobs.push(m));
  socket.receive({ type: 'job', message: { jobId: 't1', kind: 'train', type: 'progress', progress: { stage: 'train', done: 1, total: 9 } } });
  const pending = api.invoke('app:info', {});
  socket.close(1006, 'gone');
  const failed = jobs.at(-1);
  assert.ok(failed?.type === 'failed' && failed.jobId === 't1' && failed.error.name === 'ConnectionLostError', 'the job will never report: it failed');
  const result = await pending;
  assert.equal(result.ok, false);
  assert.ok(!result.ok && result.error.name === 'ConnectionLostError' && /1006: gone/.test(result.error.message));
  // The page maps the code to "FlowGIF stopped" and what to do (renderer error-table.ts).
  assert.ok(!result.ok && result.error.code === 'ENGINE_STOPPED' && result.error.hint === undefined);
  assert.equal(closes.length, 1);
  assert.equal(api.closed, true);
  const later = await api.invoke('app:info', {});
  assert.equal(later.ok, false);
});
