import { randomUUID } from 'node:crypto';
import { FlowGifError, isCancellation, isFlowGifError, serializeError } from '../../shared/errors.js';
import type { JobDoneMap, JobId, JobKind, JobMessage } from '../../shared/ipc/contract.js';
import type { JobContext, Progress } from '../../shared/job.js';
import { throttleProgress } from '../../shared/progress-throttle.js';

export type JobStatus = 'running' | 'done' | 'failed' | 'cancelled';

interface JobEntry {
  readonly kind: JobKind;
  readonly controller: AbortController;
  status: JobStatus;
  settled: Promise<void>;
}

/** DESIGN §3: at most 10 progress events a second per job. */
const PROGRESS_INTERVAL_MS = 100;

/** What a job body gets besides its context: a way to send its own events (training samples). */
export interface JobHandle {
  readonly jobId: JobId;
  emit(message: JobMessage): void;
}

/**
 * The job table: id → controller, kind and status. Bodies run detached; their outcome becomes
 * exactly one done, failed or cancelled message, and cancelling is never reported as failing.
 */
export class JobRunner {
  readonly #jobs = new Map<JobId, JobEntry>();
  readonly #emit: (message: JobMessage) => void;
  readonly #logBug: (error: unknown) => void;

  constructor(emit: (message: JobMessage) => void, logBug: (error: unknown) => void) {
    this.#emit = emit;
    this.#logBug = logBug;
  }

  start<K extends JobKind>(kind: K, body: (ctx: JobContext, job: JobHandle) => Promise<JobDoneMap[K]>): JobId {
    const jobId = randomUUID();
    const controller = new AbortController();
    const progress = throttleProgress((p) => {
      if (!controller.signal.aborted) this.#emit({ jobId, kind, type: 'progress', progress: sanitize(p) });
    }, PROGRESS_INTERVAL_MS);
    const ctx: JobContext = { signal: controller.signal, progress };
    const handle: JobHandle = {
      jobId,
      emit: (message) => {
        if (!controller.signal.aborted) this.#emit(message);
      },
    };
    const entry: JobEntry = { kind, controller, status: 'running', settled: Promise.resolve() };
    // Started on a later turn, so the caller's { jobId } answer leaves before the first event.
    entry.settled = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => body(ctx, handle))
      .then(
        (value) => {
          this.#jobs.delete(jobId);
          entry.status = 'done';
          this.#emit({ jobId, kind, type: 'done', value });
        },
        (error: unknown) => {
          this.#jobs.delete(jobId);
          if (controller.signal.aborted || isCancellation(error)) {
            entry.status = 'cancelled';
            this.#emit({ jobId, kind, type: 'cancelled' });
            return;
          }
          entry.status = 'failed';
          if (!isFlowGifError(error)) this.#logBug(error);
          this.#emit({ jobId, kind, type: 'failed', error: serializeError(error) });
        },
      );
    this.#jobs.set(jobId, entry);
    return jobId;
  }

  /** True when the job was running and is now being stopped; false for unknown or ended jobs. */
  cancel(jobId: JobId): boolean {
    const entry = this.#jobs.get(jobId);
    if (entry === undefined || entry.status !== 'running' || entry.controller.signal.aborted) return false;
    entry.controller.abort();
    return true;
  }

  running(kind?: JobKind): JobId[] {
    return [...this.#jobs].filter(([, e]) => e.status === 'running' && (kind === undefined || e.kind === kind)).map(([id]) => id);
  }

  /** Every running job cancelled and its ending reported. */
  async cancelAll(): Promise<void> {
    const entries = [...this.#jobs.values()];
    for (const entry of entries) entry.controller.abort();
    await Promise.all(entries.map((e) => e.settled));
  }

  assertNoneRunning(kind: JobKind, what: string): void {
    const [running] = this.running(kind);
    if (running !== undefined) {
      throw new FlowGifError('ENGINE_BUSY', `A ${what} is already running (job ${running}); FlowGIF runs one at a time.`, {
        hint: `Wait for it to finish or cancel it, then start again.`,
      });
    }
  }
}

/** JSON (the WebSocket) turns NaN and Infinity into null: leave out figures that are not finite. */
function sanitize(progress: Progress): Progress {
  const { etaMs, metrics, ...rest } = progress;
  const finiteMetrics = metrics === undefined ? undefined : Object.fromEntries(Object.entries(metrics).filter(([, x]) => Number.isFinite(x)));
  return {
    ...rest,
    ...(etaMs !== undefined && Number.isFinite(etaMs) ? { etaMs } : {}),
    ...(finiteMetrics === undefined ? {} : { metrics: finiteMetrics }),
  };
}
