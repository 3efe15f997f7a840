import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JobTable } from './job-table.js';

const progress = { stage: 'encode', done: 1, total: 10 } as const;

describe('JobTable', () => {
  it('tracks jobs from their start response to their end event', () => {
    const table = new JobTable();
    table.started('export:start', { ok: true, value: { jobId: 'e1' } });
    table.started('train:start', { ok: true, value: { jobId: 't1' } });
    table.started('export:start', { ok: false, error: { name: 'FlowGifError', message: 'no' } });
    table.started('app:info', { ok: true, value: { jobId: 'not-a-job' } });
    assert.deepEqual(table.active('export'), [{ jobId: 'e1', kind: 'export' }]);
    assert.equal(table.active().length, 2);
    table.observe({ jobId: 'e1', kind: 'export', type: 'progress', progress });
    table.observe({ jobId: 'e1', kind: 'export', type: 'cancelled' });
    assert.deepEqual(table.active('export'), []);
  });

  it('does not resurrect a job whose end overtook its start response', () => {
    const table = new JobTable();
    table.observe({ jobId: 'p1', kind: 'preview', type: 'failed', error: { name: 'Error', message: 'x' } });
    table.started('preview:start', { ok: true, value: { jobId: 'p1' } });
    assert.deepEqual(table.active(), []);
  });

  it('fails every running job when the engine dies', () => {
    const table = new JobTable();
    table.started('export:start', { ok: true, value: { jobId: 'e1' } });
    table.started('train:start', { ok: true, value: { jobId: 't1' } });
    const error = { name: 'EngineExited', message: 'gone' };
    const messages = table.failAll(error);
    assert.deepEqual(messages, [
      { jobId: 'e1', kind: 'export', type: 'failed', error },
      { jobId: 't1', kind: 'train', type: 'failed', error },
    ]);
    assert.deepEqual(table.active(), []);
  });
});
