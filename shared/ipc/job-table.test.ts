import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jobKindOf, jobKinds, jobStartChannels, requestChannels } from './contract.js';
import { JobTable } from './job-table.js';

const progress = { stage: 'encode', done: 1, total: 10 } as const;

describe('JobTable', () => {
  it('tracks jobs from their start response to their end event', () => {
    const table = new JobTable<string>();
    table.started('export:start', { ok: true, value: { jobId: 'e1' } }, 'A');
    table.started('train:start', { ok: true, value: { jobId: 't1' } }, 'B');
    table.started('export:start', { ok: false, error: { name: 'FlowGifError', message: 'no' } }, 'A');
    table.started('app:info', { ok: true, value: { jobId: 'not-a-job' } }, 'A');
    assert.deepEqual(table.active('export'), [{ jobId: 'e1', kind: 'export' }]);
    assert.equal(table.active().length, 2);
    assert.deepEqual(table.observe({ jobId: 'e1', kind: 'export', type: 'progress', progress }).map((d) => d.owner), ['A']);
    assert.deepEqual(table.observe({ jobId: 'e1', kind: 'export', type: 'cancelled' }).map((d) => d.owner), ['A']);
    assert.deepEqual(table.active('export'), []);
  });

  it('does not resurrect a job whose end overtook its start response, and releases what came early', () => {
    const table = new JobTable<string>();
    assert.deepEqual(table.observe({ jobId: 'p1', kind: 'preview', type: 'failed', error: { name: 'Error', message: 'x' } }), []);
    assert.equal(table.started('preview:start', { ok: true, value: { jobId: 'p1' } }, 'A'), 'p1');
    assert.deepEqual(table.release('p1').map((d) => [d.message.type, d.owner]), [['failed', 'A']]);
    assert.deepEqual(table.active(), []);
    assert.deepEqual(table.release('p1'), [], 'released once');
  });

  it('fails every running job when the engine dies, each to its owner', () => {
    const table = new JobTable<string>();
    table.started('export:start', { ok: true, value: { jobId: 'e1' } }, 'A');
    table.started('train:start', { ok: true, value: { jobId: 't1' } }, undefined);
    const error = { name: 'EngineExited', message: 'gone' };
    const { failures, deliveries } = table.failAll(error);
    assert.deepEqual(failures, [
      { jobId: 'e1', kind: 'export', type: 'failed', error },
      { jobId: 't1', kind: 'train', type: 'failed', error },
    ]);
    assert.deepEqual(deliveries.map((d) => d.owner), ['A', undefined]);
    assert.deepEqual(table.active(), []);
  });

  it('forgets the oldest of too many jobs whose start answer never came', () => {
    const table = new JobTable<string>();
    for (let i = 0; i < 70; i++) table.observe({ jobId: `j${i}`, kind: 'export', type: 'progress', progress });
    const ids = table.active().map((j) => j.jobId);
    assert.equal(ids.length, 64);
    assert.equal(ids[0], 'j6');
  });
});

describe('jobStartChannels', () => {
  it('names request channels, and the job kinds are its values', () => {
    for (const channel of Object.keys(jobStartChannels)) assert.ok((requestChannels as readonly string[]).includes(channel), channel);
    assert.deepEqual(jobKinds, ['preview', 'train', 'export', 'estimate']);
    assert.equal(jobKindOf('train:start'), 'train');
    assert.equal(jobKindOf('export:estimate'), 'estimate');
    assert.equal(jobKindOf('project:save'), undefined);
    assert.equal(jobKindOf('toString' as never), undefined, 'no inherited keys');
  });
});
