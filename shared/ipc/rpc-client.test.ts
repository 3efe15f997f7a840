import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultRenderSettings } from '../render/render-settings.js';
import type { ExportRequest, JobMessage, Result } from './contract.js';
import { RpcClient } from './rpc-client.js';
import type { WireRequest } from './wire.js';

const progress = (jobId: string, done: number): JobMessage => ({ jobId, kind: 'export', type: 'progress', progress: { stage: 'encode', done, total: 10 } });
const exportDone = { outputPath: '/tmp/a.gif', sizeBytes: 10, frames: 2, width: 4, height: 4 };
const settled = () => new Promise((resolve) => setImmediate(resolve));
const exportRequest: ExportRequest = { flow: { kind: 'exact', imageId: 'i' }, format: 'gif', outputPath: '/tmp/a.gif', settings: defaultRenderSettings };

/** A core whose far end is the test: it sees each request and answers when told. */
function harness() {
  const sent: WireRequest[] = [];
  const errors: unknown[] = [];
  const client = new RpcClient<string>({ post: (request) => void sent.push(request), onError: (error) => errors.push(error) });
  const all: JobMessage[] = [];
  client.onDidJobEvent((message) => all.push(message));
  const heard = (owner: string): JobMessage[] => {
    const list: JobMessage[] = [];
    client.onDidOwnJobEvent(owner, (message) => list.push(message));
    return list;
  };
  const answer = (request: WireRequest | undefined, result: Result<unknown>) => client.receive({ type: 'response', id: request!.id, result });
  const event = (message: JobMessage) => client.receive({ type: 'job', message });
  return { client, sent, errors, all, heard, answer, event };
}

describe('RpcClient', () => {
  it('matches answers to requests in any order, each checked against its own channel', async () => {
    const { client, sent, answer } = harness();
    const cancel = client.invoke('job:cancel', { jobId: 'a' });
    const info = client.invoke('job:cancel', { jobId: 'b' });
    const misanswered = client.invoke('export:estimate', { flow: exportRequest.flow, format: 'gif', settings: defaultRenderSettings });
    assert.deepEqual(sent.map((r) => r.id), [1, 2, 3]);
    answer(sent[2], { ok: true, value: { cancelled: true } });
    answer(sent[1], { ok: true, value: { cancelled: false } });
    answer(sent[0], { ok: true, value: { cancelled: true } });
    assert.deepEqual(await info, { ok: true, value: { cancelled: false } });
    assert.deepEqual(await cancel, { ok: true, value: { cancelled: true } });
    const wrong = await misanswered;
    assert.ok(!wrong.ok && wrong.error.code === 'IPC_INVALID' && /export:estimate response/.test(wrong.error.message), 'a job:cancel answer is no estimate');
  });

  it('an invalid message is answered to its request; one that answers nothing is reported', async () => {
    const { client, sent, errors, all, answer, event } = harness();
    const pending = client.invoke('job:cancel', { jobId: 'a' });
    answer(sent[0], { ok: true, value: { cancelled: 'yes' } });
    const result = await pending;
    assert.ok(!result.ok && result.error.code === 'IPC_INVALID' && /cancelled/.test(result.error.message));
    assert.deepEqual(errors, [], 'answered, so not reported besides');
    answer({ type: 'request', id: 99, channel: 'app:info', payload: {} }, { ok: true, value: {} });
    event({ jobId: 'j', kind: 'train', type: 'samples', points: [1, 2] as never, step: 3 });
    assert.equal(errors.length, 2);
    assert.match(String(errors[0]), /unknown request 99/);
    assert.match(String(errors[1]), /points/);
    assert.deepEqual(all, [], 'nothing invalid is delivered');
  });

  it('a bad payload, or a post that throws or rejects, is answered without a round trip', async () => {
    const bad = await harness().client.invoke('train:start', { imageId: 'i', method: 'fm', seconds: -1, seed: 0 });
    assert.ok(!bad.ok && bad.error.code === 'IPC_INVALID');
    const throwing = new RpcClient({ post: () => { throw new Error('no process'); }, onError: () => {} });
    const thrown = await throwing.invoke('app:info', {});
    assert.ok(!thrown.ok && thrown.error.message === 'no process');
    const rejecting = new RpcClient({ post: () => Promise.reject(new Error('channel closed')), onError: () => {} });
    const rejected = await rejecting.invoke('app:info', {});
    assert.ok(!rejected.ok && rejected.error.message === 'channel closed');
  });

  it('closed answers every pending request and fails every live job, to everyone and to its owner', async () => {
    const { client, sent, all, heard, answer, event } = harness();
    const a = heard('A');
    const started = client.invoke('export:start', exportRequest, 'A');
    answer(sent[0], { ok: true, value: { jobId: 'e1' } });
    await started;
    event(progress('e1', 1));
    event(progress('other', 1));
    const info = client.invoke('app:info', {});
    const cancel = client.invoke('job:cancel', { jobId: 'e1' });
    assert.deepEqual(client.activeJobs().map((j) => j.jobId).sort(), ['e1', 'other']);
    const error = { name: 'EngineExited', message: 'gone' };
    client.closed(error);
    assert.deepEqual(await info, { ok: false, error });
    assert.deepEqual(await cancel, { ok: false, error });
    assert.deepEqual(client.activeJobs(), []);
    const failed = all.filter((m) => m.type === 'failed');
    assert.deepEqual(failed.map((m) => m.jobId).sort(), ['e1', 'other']);
    assert.deepEqual(a, [progress('e1', 1), { jobId: 'e1', kind: 'export', type: 'failed', error }], 'the owner hears only its own job');
    client.closed(error);
    assert.equal(all.filter((m) => m.type === 'failed').length, 2, 'an ended job is not failed twice');
  });

  it('events that overtake their start answer reach the owner after it, in order; everyone else at once', async () => {
    const { client, sent, all, heard, answer, event } = harness();
    const a = heard('A');
    const b = heard('B');
    const order: string[] = [];
    client.onDidOwnJobEvent('A', (m) => order.push(`event ${m.type}`));
    const started = client.invoke('export:start', exportRequest, 'A').then((result) => {
      order.push('answer');
      return result;
    });
    event(progress('e1', 1));
    assert.equal(all.length, 1, 'every-event listeners hear it at once');
    assert.deepEqual(client.activeJobs(), [{ jobId: 'e1', kind: 'export' }], 'live from its first event');
    answer(sent[0], { ok: true, value: { jobId: 'e1' } });
    event(progress('e1', 2));
    assert.deepEqual(a, [], 'held until the answer has been passed on');
    await started;
    await settled();
    assert.deepEqual(a, [progress('e1', 1), progress('e1', 2)]);
    assert.deepEqual(order, ['answer', 'event progress', 'event progress']);
    event({ jobId: 'e1', kind: 'export', type: 'done', value: exportDone });
    assert.equal(a.length, 3);
    assert.deepEqual(b, [], "B never hears A's job");
    assert.deepEqual(client.activeJobs(), []);
  });

  it('a job that ended before its start answer came is not live afterwards, and its owner hears it all', async () => {
    const { client, sent, heard, answer, event } = harness();
    const a = heard('A');
    const started = client.invoke('export:start', exportRequest, 'A');
    event(progress('e1', 1));
    event({ jobId: 'e1', kind: 'export', type: 'cancelled' });
    assert.deepEqual(client.activeJobs(), []);
    answer(sent[0], { ok: true, value: { jobId: 'e1' } });
    await started;
    await settled();
    assert.deepEqual(client.activeJobs(), []);
    assert.deepEqual(a.map((m) => m.type), ['progress', 'cancelled']);
  });

  it('a start answered without an owner goes to every-event listeners only; the disposer unsubscribes', async () => {
    const { client, sent, all, heard, answer, event } = harness();
    const a = heard('A');
    const seen: JobMessage[] = [];
    const off = client.onDidJobEvent((m) => seen.push(m));
    const started = client.invoke('train:start', { imageId: 'i', method: 'fm', seconds: 1, seed: 0 });
    answer(sent[0], { ok: true, value: { jobId: 't1' } });
    await started;
    event({ jobId: 't1', kind: 'train', type: 'cancelled' });
    off();
    event({ jobId: 't2', kind: 'train', type: 'cancelled' });
    assert.deepEqual(a, []);
    assert.equal(seen.length, 1);
    assert.equal(all.length, 2);
  });
});
