import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JobMessage } from './contract.js';
import { FakeSocket } from './fake-socket.test-util.js';
import { createReconnectingTransport } from './reconnecting-transport.js';
import { createWsTransport } from './ws-transport.js';

/** Timers the test runs by hand: each pending one with its delay. */
function manualTimers() {
  const pending: { run: () => void; ms: number }[] = [];
  return {
    pending,
    set: (run: () => void, ms: number) => {
      const timer = { run, ms };
      pending.push(timer);
      return timer;
    },
    clear: (handle: unknown) => {
      const i = pending.indexOf(handle as { run: () => void; ms: number });
      if (i >= 0) pending.splice(i, 1);
    },
    /** Runs the oldest pending timer and returns its delay. */
    next(): number {
      const timer = pending.shift();
      assert.ok(timer !== undefined, 'a retry is scheduled');
      timer.run();
      return timer.ms;
    },
  };
}

function setUp() {
  const first = new FakeSocket();
  first.open();
  const opened: FakeSocket[] = [];
  const timers = manualTimers();
  const api = createReconnectingTransport(createWsTransport(first), {
    open: () => {
      const socket = new FakeSocket();
      opened.push(socket);
      return socket;
    },
    retryMs: [10, 20, 50],
    timers,
    onError: (error) => {
      throw error;
    },
  });
  return { first, opened, timers, api };
}

test('a lost host is reported once, retried with growing pauses, and the new connection takes the requests', async () => {
  const { first, opened, timers, api } = setUp();
  const disconnects: string[] = [];
  let reconnects = 0;
  api.onDidDisconnect((error) => disconnects.push(error.code ?? ''));
  api.onDidReconnect(() => reconnects++);
  assert.equal(api.connected, true);

  first.close(1006, '');
  assert.deepEqual(disconnects, ['ENGINE_STOPPED']);
  assert.equal(api.connected, false);
  const meanwhile = await api.invoke('app:info', {});
  assert.ok(!meanwhile.ok && meanwhile.error.code === 'ENGINE_STOPPED', 'requests while down fail at once with the stopped code');

  // The host is still down: each try is refused, and the pauses grow to their last and stay there.
  const pauses = [timers.next()];
  opened.at(-1)!.close(1006, '');
  pauses.push(timers.next());
  opened.at(-1)!.close(1006, '');
  pauses.push(timers.next());
  opened.at(-1)!.close(1006, '');
  pauses.push(timers.next());
  assert.deepEqual(pauses, [10, 20, 50, 50]);
  assert.equal(reconnects, 0);

  const back = opened.at(-1)!;
  back.open();
  assert.equal(reconnects, 1);
  assert.equal(api.connected, true);
  assert.equal(timers.pending.length, 0, 'no more tries once connected');
  const answer = api.invoke('job:cancel', { jobId: 'j' });
  const request = back.sent.at(-1)!;
  assert.equal(request.channel, 'job:cancel');
  back.receive({ type: 'response', id: request.id, result: { ok: true, value: { cancelled: false } } });
  assert.deepEqual(await answer, { ok: true, value: { cancelled: false } });

  // And it survives a second restart the same way.
  back.close(1006, '');
  assert.deepEqual(disconnects, ['ENGINE_STOPPED', 'ENGINE_STOPPED']);
  timers.next();
  opened.at(-1)!.open();
  assert.equal(reconnects, 2);
});

test('job listeners keep hearing events across a reconnect, from the new connection only', () => {
  const { first, opened, timers, api } = setUp();
  const heard: string[] = [];
  api.onDidJobEvent((message) => heard.push(message.jobId));
  const event = (jobId: string): JobMessage => ({ jobId, kind: 'preview', type: 'cancelled' });
  // The transport learns job ids from start answers; an event of an unknown job is dropped, so start one.
  void api.invoke('preview:start', { flow: { kind: 'exact', imageId: 'i' }, particles: 10, seed: 0 });
  first.receive({ type: 'response', id: first.sent.at(-1)!.id, result: { ok: true, value: { jobId: 'a' } } });
  first.receive({ type: 'job', message: event('a') });
  first.close(1006, '');
  timers.next();
  const back = opened.at(-1)!;
  back.open();
  void api.invoke('preview:start', { flow: { kind: 'exact', imageId: 'i' }, particles: 10, seed: 0 });
  back.receive({ type: 'response', id: back.sent.at(-1)!.id, result: { ok: true, value: { jobId: 'b' } } });
  back.receive({ type: 'job', message: event('b') });
  assert.deepEqual(heard, ['a', 'b']);
});

test('dispose stops the tries and closes the socket being tried', () => {
  const { first, opened, timers, api } = setUp();
  first.close(1006, '');
  timers.next();
  const trying = opened.at(-1)!;
  api.dispose();
  assert.equal(trying.readyState, 3, 'the socket being tried is closed');
  assert.equal(timers.pending.length, 0);
  let reconnects = 0;
  api.onDidReconnect(() => reconnects++);
  trying.open();
  assert.equal(reconnects, 0);
});
