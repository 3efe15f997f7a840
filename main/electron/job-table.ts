import type { SerializedError } from '../../shared/errors.js';
import type { JobKind, JobMessage, RequestChannel, Result } from '../../shared/ipc/contract.js';

const startChannels: Readonly<Partial<Record<RequestChannel, JobKind>>> = {
  'preview:start': 'preview',
  'train:start': 'train',
  'export:start': 'export',
};

export interface ActiveJob {
  readonly jobId: string;
  readonly kind: JobKind;
}

/**
 * The shell's view of the engine's jobs, learnt from start responses and job events. It lets
 * the shell ask before quitting mid-export and fail jobs cleanly when the engine process dies.
 */
export class JobTable {
  readonly #jobs = new Map<string, JobKind>();
  /** Jobs that finished before their start response arrived (events can overtake it). */
  readonly #finishedEarly = new Set<string>();

  started(channel: RequestChannel, result: Result<unknown>): void {
    const kind = startChannels[channel];
    if (kind === undefined || !result.ok) return;
    const jobId = (result.value as { jobId?: unknown }).jobId;
    if (typeof jobId !== 'string') return;
    if (this.#finishedEarly.delete(jobId)) return;
    this.#jobs.set(jobId, kind);
  }

  observe(message: JobMessage): void {
    if (message.type === 'progress' || message.type === 'samples') {
      if (!this.#jobs.has(message.jobId)) this.#jobs.set(message.jobId, message.kind);
      return;
    }
    if (this.#jobs.delete(message.jobId)) return;
    this.#finishedEarly.add(message.jobId);
    // Only a start response still in flight needs this; a stale id is harmless, so keep few.
    if (this.#finishedEarly.size > 64) this.#finishedEarly.delete(this.#finishedEarly.values().next().value as string);
  }

  active(kind?: JobKind): ActiveJob[] {
    return [...this.#jobs].filter(([, k]) => kind === undefined || k === kind).map(([jobId, k]) => ({ jobId, kind: k }));
  }

  /** The engine is gone: every job it had becomes a failure the renderer is told about. */
  failAll(error: SerializedError): JobMessage[] {
    const messages = this.active().map((job): JobMessage => ({ jobId: job.jobId, kind: job.kind, type: 'failed', error }));
    this.#jobs.clear();
    this.#finishedEarly.clear();
    return messages;
  }
}
