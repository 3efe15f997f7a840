import { randomUUID } from 'node:crypto';
import { isCancellation, isFlowGifError, serializeError } from '../../shared/errors.js';
import type { JobDoneMap, JobId, JobKind, JobMessage } from '../../shared/ipc/contract.js';
import type { JobContext, Progress } from '../../shared/job.js';
import { throttleProgress } from '../../shared/progress-throttle.js';
import type { JobQueue } from './job-queue.js';

/**
 * A job not yet ended, queued or running. Being in the table is its whole status: its ending
 * (done, failed, cancelled) is told once in a JobMessage, after it has left the table.
 */
interface JobEntry {
  readonly kind: JobKind;
  readonly controller: AbortController;
  settled: Promise<void>;
}

/** DESIGN §3: at most 10 progress events a second per job. */
const PROGRESS_INTERVAL_MS = 100;

/** What a job body gets besides its context: a way to send its own events (training samples). */
export interface JobHandle {
  readonly jobId: JobId;
  emit(message: JobMessage): void;
}

export interface JobOptions {
  /** Heavy work (training, export) waits its turn in the engine's queue; previews do not. */
  readonly queued?: boolean;
  /** Called once the job has ended, however it ended, even if it never left the queue. */
  readonly onDidEnd?: () => void;
}

/**
 * The job table: id → controller and kind, for the jobs not yet ended. Bodies run detached; their outcome becomes
 * exactly one done, failed or cancelled message, and cancelling is never reported as failing.
 * A queued job that has to wait reports progress stage 'queued' (metrics.ahead: how many run
 * or wait before it), and the same stage done once its turn comes; cancelling it while it
 * waits ends it `cancelled` without its body ever running.
 */
export class JobRunner {
  readonly #jobs = new Map<JobId, JobEntry>();
  readonly #emit: (message: JobMessage) => void;
  readonly #logBug: (error: unknown) => void;
  readonly #queue: JobQueue;

  constructor(emit: (message: JobMessage) => void, logBug: (error: unknown) => void, queue: JobQueue) {
    this.#emit = emit;
    this.#logBug = logBug;
    this.#queue = queue;
  }

  start<K extends JobKind>(kind: K, body: (ctx: JobContext, job: JobHandle) => Promise<JobDoneMap[K]>, options: JobOptions = {}): JobId {
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
    const entry: JobEntry = { kind, controller, settled: Promise.resolve() };
    // Before the ending is told, so whoever hears it finds the job's resources free already.
    const end = (): void => {
      this.#jobs.delete(jobId);
      try {
        options.onDidEnd?.();
      } catch (error) {
        this.#logBug(error);
      }
    };
    const finished = (value: JobDoneMap[K]): void => {
      end();
      this.#emit({ jobId, kind, type: 'done', value });
    };
    const stopped = (error: unknown): void => {
      end();
      if (controller.signal.aborted || isCancellation(error)) {
        this.#emit({ jobId, kind, type: 'cancelled' });
        return;
      }
      if (!isFlowGifError(error)) this.#logBug(error);
      this.#emit({ jobId, kind, type: 'failed', error: serializeError(error) });
    };
    const run = (): Promise<void> => body(ctx, handle).then(finished, stopped);
    // Past the throttle: a place in the queue is rare news, and none of it may be dropped.
    const queuedReport = (p: Progress): void => {
      if (!controller.signal.aborted) this.#emit({ jobId, kind, type: 'progress', progress: p });
    };
    let waited = false;
    // The turn passes on only after the ending is told: the next job's events follow this one's end.
    const queuedRun = (): Promise<void> =>
      this.#queue
        .run(
          controller.signal,
          () => {
            if (waited) queuedReport({ stage: 'queued', done: 1, total: 1 });
            return run();
          },
          (ahead) => {
            waited = true;
            queuedReport({ stage: 'queued', done: 0, total: 1, metrics: { ahead } });
          },
        )
        // Only a cancel while waiting gets here: run() itself never rejects.
        .catch(stopped);
    // Started on a later turn, so the caller's { jobId } answer leaves before the first event.
    entry.settled = new Promise<void>((resolve) => setImmediate(resolve)).then(() => (options.queued === true ? queuedRun() : run()));
    this.#jobs.set(jobId, entry);
    return jobId;
  }

  /** True when the job was queued or running and is now being stopped; false for unknown or ended jobs. */
  cancel(jobId: JobId): boolean {
    const entry = this.#jobs.get(jobId);
    if (entry === undefined || entry.controller.signal.aborted) return false;
    entry.controller.abort();
    return true;
  }

  /** Jobs that have not ended yet, queued ones included: the work a user would lose by quitting. */
  running(kind?: JobKind): JobId[] {
    return [...this.#jobs].filter(([, e]) => kind === undefined || e.kind === kind).map(([id]) => id);
  }

  /** Every running job cancelled and its ending reported. */
  async cancelAll(): Promise<void> {
    const entries = [...this.#jobs.values()];
    for (const entry of entries) entry.controller.abort();
    await Promise.all(entries.map((e) => e.settled));
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
