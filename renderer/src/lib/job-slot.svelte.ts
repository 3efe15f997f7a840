import type { FlowGifApi, JobDoneMap, JobId, JobKind, Result } from '../../../shared/ipc/contract.js';
import { isCancellation, serializeError, type SerializedError } from '../../../shared/errors.js';
import type { Progress } from '../../../shared/job.js';
import { describeError, type Described } from './error-table.js';
import type { JobRouter } from './jobs.js';

export type Status = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

/** What one start came to; 'superseded': a newer start took the slot. */
export type JobOutcome<K extends JobKind> =
  | { readonly status: 'done'; readonly value: JobDoneMap[K] }
  | { readonly status: 'failed'; readonly error: Described }
  | { readonly status: 'cancelled' | 'superseded' };

/** Asks the engine to start the job: its id, or why it would not. */
export type JobRequest = () => Promise<Result<{ readonly jobId: JobId }>>;

/**
 * Called only while the job is the slot's current one, after the slot's own state has moved,
 * so a handler may move it on (a refused export that becomes a question resets the slot).
 */
export interface SlotHandlers<K extends JobKind> {
  readonly progress?: (progress: Progress) => void;
  readonly samples?: (points: Float32Array, step: number) => void;
  readonly done?: (value: JobDoneMap[K]) => void;
  /** The request or the job failed; cancelling is not failing and never arrives here. */
  readonly failed?: (error: Described) => void;
  readonly cancelled?: () => void;
}

/**
 * One job of one kind at a time, with the state a screen shows for it. A start while another
 * runs supersedes it: the older job is cancelled and forgotten, so nothing it sends later
 * (its late 'done' included) changes the slot. Callers that must not supersede check `running`.
 */
export class JobSlot<K extends JobKind> {
  status = $state<Status>('idle');
  progress = $state.raw<Progress | undefined>(undefined);
  /** The last run's result, until the next start. */
  value = $state.raw<JobDoneMap[K] | undefined>(undefined);
  error = $state.raw<Described | undefined>(undefined);

  /** Bumped by every start: a reply to an older start finds it changed. */
  #run = 0;
  #jobId: JobId | undefined;
  #cancelAsked = false;
  #supersede: (() => void) | undefined;

  /** `report`: where a failed cancel request goes (the banner). */
  constructor(
    private readonly api: FlowGifApi,
    private readonly router: JobRouter,
    private readonly report: (error: SerializedError) => void,
  ) {}

  get running(): boolean {
    return this.status === 'running';
  }

  /** The engine's id of the running job, once its start has been answered. */
  get jobId(): JobId | undefined {
    return this.#jobId;
  }

  /** done / total of the latest progress, 0 before the first. */
  get fraction(): number {
    const p = this.progress;
    return p !== undefined && p.total > 0 ? p.done / p.total : 0;
  }

  async start(request: JobRequest, handlers: SlotHandlers<K> = {}): Promise<JobOutcome<K>> {
    this.#supersede?.();
    const run = ++this.#run;
    this.#jobId = undefined;
    this.#cancelAsked = false;
    this.status = 'running';
    this.progress = undefined;
    this.value = undefined;
    this.error = undefined;
    let answer: Result<{ readonly jobId: JobId }>;
    try {
      answer = await request();
    } catch (error) {
      answer = { ok: false, error: serializeError(error) };
    }
    if (run !== this.#run) {
      if (answer.ok) this.#abandon(answer.value.jobId);
      return { status: 'superseded' };
    }
    if (!answer.ok) {
      return isCancellation(answer.error) ? this.#cancelled(handlers) : this.#fail(describeError(answer.error), handlers);
    }
    const jobId = answer.value.jobId;
    this.#jobId = jobId;
    return new Promise<JobOutcome<K>>((resolve) => {
      // Settled before the handlers run: one may start the slot's next job at once.
      const end = (outcome: JobOutcome<K>): void => {
        this.#jobId = undefined;
        this.#supersede = undefined;
        resolve(outcome);
      };
      this.#supersede = () => {
        this.#abandon(jobId);
        end({ status: 'superseded' });
      };
      this.router.watch<K>(jobId, {
        progress: (p) => {
          this.progress = p;
          handlers.progress?.(p);
        },
        samples: (points, step) => handlers.samples?.(points, step),
        done: (value) => {
          end({ status: 'done', value });
          this.status = 'done';
          this.value = value;
          handlers.done?.(value);
        },
        failed: (error) => {
          if (isCancellation(error)) {
            end({ status: 'cancelled' });
            this.#cancelled(handlers);
            return;
          }
          const described = describeError(error);
          end({ status: 'failed', error: described });
          this.#fail(described, handlers);
        },
        cancelled: () => {
          end({ status: 'cancelled' });
          this.#cancelled(handlers);
        },
      });
      if (this.#cancelAsked) this.cancel();
    });
  }

  /** Asks the engine to stop the running job; the slot moves when the engine says it stopped. */
  cancel(): void {
    if (!this.running) return;
    // Still waiting for the job's id: cancel it as soon as it is known.
    if (this.#jobId === undefined) this.#cancelAsked = true;
    else this.#cancelJob(this.#jobId, this.report);
  }

  /**
   * Gives the slot's job up, as a newer start would, and shows nothing: for a screen that closes
   * while its job runs (an estimate nobody will read).
   */
  forget(): void {
    this.#supersede?.();
    // A start still waiting for its job id finds the run changed and abandons that job.
    this.#run++;
    this.#clear();
  }

  /** Back to idle, showing nothing; a running job keeps running (callers reset settled slots). */
  reset(): void {
    if (!this.running) this.#clear();
  }

  #clear(): void {
    this.status = 'idle';
    this.progress = undefined;
    this.value = undefined;
    this.error = undefined;
  }

  #fail(error: Described, handlers: SlotHandlers<K>): JobOutcome<K> {
    this.status = 'failed';
    this.error = error;
    handlers.failed?.(error);
    return { status: 'failed', error };
  }

  #cancelled(handlers: SlotHandlers<K>): JobOutcome<K> {
    this.status = 'cancelled';
    handlers.cancelled?.();
    return { status: 'cancelled' };
  }

  /** A job nobody waits for any more: stop it and drop whatever it still sends. */
  #abandon(jobId: JobId): void {
    this.router.forget(jobId);
    this.#cancelJob(jobId, () => {});
  }

  #cancelJob(jobId: JobId, onError: (error: SerializedError) => void): void {
    this.api.invoke('job:cancel', { jobId }).then(
      (answer) => {
        if (!answer.ok) onError(answer.error);
      },
      (error: unknown) => onError(serializeError(error)),
    );
  }
}
