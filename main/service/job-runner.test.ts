import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FlowGifError } from '../../shared/errors.js';
import type { JobId, JobMessage } from '../../shared/ipc/contract.js';
import { isJobEnding } from '../../shared/ipc/job-table.js';
import { JobQueue } from './job-queue.js';
import { JobRunner } from './job-runner.js';

const exportDone = { outputPath: '/tmp/x.gif', sizeBytes: 10, frames: 2, width: 4, height: 4 };

/** A runner whose events and logged bugs are recorded, each message with the jobs running as it is told. */
function recordingRunner() {
  const told: Array<{ message: JobMessage; runningThen: JobId[]; cancelThen: boolean | undefined }> = [];
  const bugs: unknown[] = [];
  const runner: JobRunner = new JobRunner(
    // Cancelling only at an ending: earlier it would stop the job.
    (message) => told.push({ message, runningThen: runner.running(), cancelThen: isJobEnding(message) ? runner.cancel(message.jobId) : undefined }),
    (error) => bugs.push(error),
    new JobQueue(),
  );
  const ended = (jobId: JobId) =>
    new Promise<JobMessage>((resolve) => {
      const poll = (): void => {
        const end = told.find((t) => t.message.jobId === jobId && isJobEnding(t.message));
        if (end !== undefined) resolve(end.message);
        else setImmediate(poll);
      };
      poll();
    });
  return { runner, told, bugs, ended };
}

describe('JobRunner', () => {
  it('tells each ending once, after the job has left the table', async () => {
    const { runner, told, ended } = recordingRunner();
    const order: string[] = [];
    const jobId = runner.start('export', async () => exportDone, { onDidEnd: () => order.push('ended') });
    assert.deepEqual(runner.running(), [jobId], 'running from the moment it is started');
    // The host answers { jobId } some microtasks after start() returns; no event may come first.
    for (let i = 0; i < 20; i++) await null;
    assert.equal(told.length, 0, 'nothing is told before the start answer has left');
    assert.deepEqual(await ended(jobId), { jobId, kind: 'export', type: 'done', value: exportDone });
    const ending = told.at(-1)!;
    assert.deepEqual(ending.runningThen, [], 'whoever hears the ending finds the job gone');
    assert.equal(ending.cancelThen, false, 'an ended job cannot be cancelled');
    assert.deepEqual(order, ['ended']);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(told.filter((t) => t.message.jobId === jobId).length, 1, 'one message: its ending');
  });

  it('a failure is failed (a bug logged unless it is a FlowGifError); a cancel is cancelled, never failed', async () => {
    const { runner, bugs, ended } = recordingRunner();
    const bug = runner.start('train', async () => {
      throw new TypeError('boom');
    });
    const expected = runner.start('train', async () => {
      throw new FlowGifError('INVALID_ARGUMENT', 'no');
    });
    const end = await ended(bug);
    assert.ok(end.type === 'failed' && end.error.message === 'boom');
    assert.equal((await ended(expected)).type, 'failed');
    assert.equal(bugs.length, 1);
    const cancelled = runner.start('preview', (ctx) => new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('stopped')))));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(runner.cancel(cancelled), true);
    assert.equal(runner.cancel(cancelled), false, 'already being stopped');
    assert.deepEqual(await ended(cancelled), { jobId: cancelled, kind: 'preview', type: 'cancelled' });
    assert.equal(bugs.length, 1, 'a cancel is no bug');
    assert.deepEqual(runner.running(), []);
  });

  it('a queued job cancelled while it waits ends cancelled without its body ever running', async () => {
    const { runner, told, ended } = recordingRunner();
    let release!: () => void;
    const first = runner.start('train', () => new Promise<never>((_resolve, reject) => (release = () => reject(new FlowGifError('INVALID_ARGUMENT', 'done with it')))), { queued: true });
    let ran = false;
    const second = runner.start('export', async () => {
      ran = true;
      return exportDone;
    }, { queued: true });
    await new Promise((resolve) => setImmediate(resolve));
    const waiting = told.find((t) => t.message.jobId === second);
    assert.ok(waiting?.message.type === 'progress' && waiting.message.progress.stage === 'queued' && waiting.message.progress.metrics?.['ahead'] === 1);
    assert.deepEqual(runner.running().sort(), [first, second].sort(), 'a queued job counts as not ended');
    assert.equal(runner.cancel(second), true);
    assert.equal((await ended(second)).type, 'cancelled');
    assert.deepEqual(runner.running(), [first]);
    release();
    assert.equal((await ended(first)).type, 'failed');
    assert.equal(ran, false);
  });
});
