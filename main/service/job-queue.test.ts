import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobQueue } from './job-queue.js';

/** A body that runs until the test lets it finish, recording when it started. */
function gate(log: string[], name: string): { body: () => Promise<string>; open: () => void } {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    body: async () => {
      log.push(`start ${name}`);
      await opened;
      log.push(`end ${name}`);
      return name;
    },
    open: () => open(),
  };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('one body at a time, in the order they came; waiters hear their place as the queue moves', async () => {
  const queue = new JobQueue();
  const log: string[] = [];
  const [a, b, c] = [gate(log, 'a'), gate(log, 'b'), gate(log, 'c')];
  const places: Record<string, number[]> = { a: [], b: [], c: [] };
  const signal = new AbortController().signal;
  const runs = [a, b, c].map((g, i) => queue.run(signal, g.body, (ahead) => places['abc'[i]!]!.push(ahead)));
  await turn();
  assert.deepEqual(log, ['start a']);
  assert.equal(queue.length, 3);
  c.open();
  b.open();
  await turn();
  assert.deepEqual(log, ['start a'], 'the others wait even when ready');
  a.open();
  assert.deepEqual(await Promise.all(runs), ['a', 'b', 'c']);
  assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  assert.deepEqual(places, { a: [], b: [1], c: [2, 1] });
  assert.equal(queue.length, 0);
});

test('a waiter whose signal fires leaves at once with the reason; the ones behind move up; a failing body passes the turn on', async () => {
  const queue = new JobQueue();
  const log: string[] = [];
  const first = gate(log, 'first');
  const running = queue.run(new AbortController().signal, first.body);
  const leaving = new AbortController();
  const places: number[] = [];
  const left = queue.run(leaving.signal, async () => log.push('never'));
  const behind = queue.run(new AbortController().signal, async () => {
    throw new Error('broken body');
  }, (ahead) => places.push(ahead));
  const last = queue.run(new AbortController().signal, async () => 'last');
  await turn();
  leaving.abort(new Error('gone'));
  await assert.rejects(left, /gone/);
  assert.deepEqual(places, [2, 1]);
  first.open();
  await assert.rejects(behind, /broken body/);
  assert.equal(await last, 'last');
  assert.equal(await running, 'first');
  assert.ok(!log.includes('never'));
  assert.equal(queue.length, 0);

  const aborted = new AbortController();
  aborted.abort(new Error('already'));
  await assert.rejects(queue.run(aborted.signal, async () => 'no'), /already/);
  assert.equal(queue.length, 0, 'an aborted caller never takes the turn');
});
