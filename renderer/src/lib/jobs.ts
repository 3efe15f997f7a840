import type { FlowGifApi, JobDoneMap, JobId, JobKind, JobMessage } from '../../../shared/ipc/contract.js';
import type { SerializedError } from '../../../shared/errors.js';
import type { Progress } from '../../../shared/job.js';

export interface JobHandlers<K extends JobKind> {
  readonly progress?: (progress: Progress) => void;
  readonly samples?: (points: Float32Array, step: number) => void;
  readonly done: (value: JobDoneMap[K]) => void;
  readonly failed: (error: SerializedError) => void;
  readonly cancelled: () => void;
}

/** Events of a job that arrive before its id is known (the host may be quicker than the reply). */
const EARLY_LIMIT = 64;

/**
 * One subscription to the host's job events, fanned out by job id. A job's handlers are
 * dropped when it ends; dispose() unsubscribes everything.
 */
export class JobRouter {
  private readonly handlers = new Map<JobId, JobHandlers<JobKind>>();
  private readonly early = new Map<JobId, JobMessage[]>();
  /** Jobs given up on: what they still send is dropped, not kept as early events. */
  private readonly forgotten = new Set<JobId>();
  private readonly unsubscribe: () => void;

  constructor(api: FlowGifApi) {
    this.unsubscribe = api.onDidJobEvent((message) => this.dispatch(message));
  }

  watch<K extends JobKind>(jobId: JobId, handlers: JobHandlers<K>): void {
    this.handlers.set(jobId, handlers as unknown as JobHandlers<JobKind>);
    const pending = this.early.get(jobId);
    this.early.delete(jobId);
    for (const message of pending ?? []) this.dispatch(message);
  }

  /** Stop listening to a job whose outcome no longer matters (e.g. a superseded preview). */
  forget(jobId: JobId): void {
    this.handlers.delete(jobId);
    this.early.delete(jobId);
    this.forgotten.add(jobId);
    // Bounded like the early events: the oldest forgotten jobs have long ended.
    if (this.forgotten.size > EARLY_LIMIT) this.forgotten.delete(this.forgotten.values().next().value as JobId);
  }

  dispose(): void {
    this.unsubscribe();
    this.handlers.clear();
    this.early.clear();
    this.forgotten.clear();
  }

  private dispatch(message: JobMessage): void {
    if (this.forgotten.has(message.jobId)) return;
    const h = this.handlers.get(message.jobId);
    if (h === undefined) {
      const list = this.early.get(message.jobId) ?? [];
      if (list.length < EARLY_LIMIT) list.push(message);
      this.early.set(message.jobId, list);
      // Bounded: ids of jobs nobody will watch (another window's) must not pile up.
      if (this.early.size > EARLY_LIMIT) this.early.delete(this.early.keys().next().value as JobId);
      return;
    }
    switch (message.type) {
      case 'progress':
        h.progress?.(message.progress);
        return;
      case 'samples':
        h.samples?.(message.points, message.step);
        return;
      case 'done':
        this.handlers.delete(message.jobId);
        h.done(message.value);
        return;
      case 'failed':
        this.handlers.delete(message.jobId);
        h.failed(message.error);
        return;
      case 'cancelled':
        this.handlers.delete(message.jobId);
        h.cancelled();
        return;
    }
  }
}
