import assert from 'node:assert/strict';
import type { FlowGifApi, JobMessage, RequestChannel, RequestPayload, ResponseValue } from '../../shared/ipc/contract.js';
import { isJobEnding } from '../../shared/ipc/job-table.js';

type Ending = Extract<JobMessage, { type: 'done' | 'failed' | 'cancelled' }>;

/** Records every job message of an api, by job, and waits for jobs to end or reach a message. */
export class JobWatcher {
  readonly #byJob = new Map<string, JobMessage[]>();
  readonly #waiters: Array<{ jobId: string; test: (m: JobMessage) => boolean; resolve: (m: JobMessage) => void }> = [];
  readonly unsubscribe: () => void;

  constructor(api: FlowGifApi) {
    this.unsubscribe = api.onDidJobEvent((message) => {
      const list = this.#byJob.get(message.jobId) ?? [];
      list.push(message);
      this.#byJob.set(message.jobId, list);
      for (const waiter of [...this.#waiters]) {
        if (waiter.jobId === message.jobId && waiter.test(message)) {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    });
  }

  messages(jobId: string): JobMessage[] {
    return this.#byJob.get(jobId) ?? [];
  }

  /** The first message of the job that passes `test`, seen already or still to come. */
  next(jobId: string, test: (m: JobMessage) => boolean): Promise<JobMessage> {
    const seen = this.messages(jobId).find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.push({ jobId, test, resolve }));
  }

  ended(jobId: string): Promise<Ending> {
    return this.next(jobId, isJobEnding) as Promise<Ending>;
  }

  /** The job's value; anything but done fails the test with the job's own error. */
  async done<T>(jobId: string): Promise<T> {
    const end = await this.ended(jobId);
    assert.equal(end.type, 'done', end.type === 'failed' ? `${end.error.code ?? end.error.name}: ${end.error.message}` : end.type);
    return (end as Extract<JobMessage, { type: 'done' }>).value as T;
  }
}

/** The value of a request that must succeed; the error's code and message otherwise. */
export async function ok<C extends RequestChannel>(api: FlowGifApi, channel: C, payload: RequestPayload<C>): Promise<ResponseValue<C>> {
  const result = await api.invoke(channel, payload);
  assert.ok(result.ok, result.ok ? '' : `${channel}: ${result.error.code ?? result.error.name}: ${result.error.message}`);
  return result.value;
}
