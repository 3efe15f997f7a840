import { Worker } from 'node:worker_threads';
import { errorCodes, FlowGifError, type ErrorCode } from '../../../shared/errors.js';
import type { CancelSignal } from '../../../shared/job.js';
import type { BlurLevel } from '../flow/blur-level.js';
import type { SolveJob } from '../render/trajectory-workers.js';

/** One level of a picture's exact flow, blurred on a thread into shared memory. */
export interface BlurJob {
  /** The picture's probabilities, in shared memory: every level's job shares one copy. */
  readonly probabilities: Float64Array;
  readonly width: number;
  readonly height: number;
  readonly blurCol: number;
  readonly blurRow: number;
}

/**
 * A solve also carries its job's cancel flag (shared memory, set to 1 on a cancel), which the
 * thread reads between steps: it stops within a step and stays, warm, for the next job.
 */
export type ThreadTask =
  | { readonly kind: 'solve'; readonly job: SolveJob; readonly cancel: Int32Array }
  | { readonly kind: 'blur'; readonly job: BlurJob };

export type ThreadReply =
  | { readonly kind: 'step'; readonly done: number }
  | { readonly kind: 'done'; readonly nfe: number }
  | { readonly kind: 'level'; readonly level: BlurLevel }
  | { readonly kind: 'error'; readonly message: string; readonly code: unknown };

/**
 * Worker threads kept between jobs, for the exact flow's blur levels and particle chunks. A new
 * thread loads its modules and runs the solver unoptimised at first: started for each solve, two
 * threads took 0.85–0.9 of one thread's time on a 50 000-particle preview; kept warm, 0.51–0.55
 * (BENCHMARKS.md, "The app's preview in the engine"). A cancelled job's threads stop at their
 * next step and come back too, so a superseded preview does not leave the next one cold threads.
 * Idle threads do not keep the process alive; a thread that failed, or that does not stop within
 * RETIRE_MS of a cancel, is ended.
 */
class SolverThreads {
  readonly #idle: Worker[] = [];
  readonly #listening = new Map<Worker, () => void>();
  /** Settles when the thread's task has ended, whoever still waits for it. */
  readonly #working = new Map<Worker, Promise<void>>();
  readonly #broken = new Set<Worker>();

  /**
   * `body` on `count` threads taken for it, with the job's cancel flag (its solve tasks carry it,
   * and `body` must start no task once it is set), until it settles or `signal` aborts (then it
   * rejects with the signal's reason at once and the threads come back once they have stopped).
   */
  async withThreads<T>(count: number, signal: CancelSignal, body: (workers: readonly Worker[], cancel: Int32Array) => Promise<T>): Promise<T> {
    signal.throwIfAborted();
    const taken = Array.from({ length: count }, () => this.#take());
    const cancel = new Int32Array(new SharedArrayBuffer(4));
    let stop: (error: unknown) => void = () => {};
    const stopped = new Promise<never>((_, reject) => (stop = reject));
    const onAbort = (): void => {
      Atomics.store(cancel, 0, 1);
      stop(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    let finished = false;
    try {
      const value = await Promise.race([body(taken, cancel), stopped]);
      finished = true;
      return value;
    } catch (error) {
      // A chunk that failed leaves its siblings solving for nothing.
      Atomics.store(cancel, 0, 1);
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (finished) for (const worker of taken) this.#give(worker);
      else for (const worker of taken) void this.#retire(worker);
    }
  }

  /** Threads waiting for a job (kept warm); a thread ended is not among them. */
  get idle(): number {
    return this.#idle.length;
  }

  #take(): Worker {
    const worker = this.#idle.pop() ?? new Worker(new URL('./solver-thread.js', import.meta.url));
    worker.ref();
    return worker;
  }

  /** One task on a taken thread: `answer` turns the reply that ends it into its value. */
  run<T>(worker: Worker, task: ThreadTask, answer: (reply: ThreadReply) => { readonly value: T } | undefined): Promise<T> {
    let ended: () => void = () => {};
    this.#working.set(worker, new Promise<void>((resolve) => (ended = resolve)));
    return new Promise<T>((resolve, reject) => {
      const onMessage = (reply: ThreadReply): void => {
        if (reply.kind === 'error') {
          this.#unlisten(worker);
          ended();
          reject(threadFailed(reply.message, reply.code));
          return;
        }
        const settled = answer(reply);
        if (settled !== undefined) {
          this.#unlisten(worker);
          ended();
          resolve(settled.value);
        }
      };
      const fail = (message: string): void => {
        this.#broken.add(worker);
        ended();
        reject(threadFailed(message, undefined));
      };
      const onError = (error: Error): void => fail(error.message);
      const onExit = (code: number): void => fail(`a solver thread stopped (exit code ${code}).`);
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      this.#listening.set(worker, () => worker.off('message', onMessage).off('error', onError).off('exit', onExit));
      worker.postMessage(task);
    });
  }

  /** Back to the idle threads, its code warm for the next job. */
  #give(worker: Worker): void {
    this.#unlisten(worker);
    this.#working.delete(worker);
    worker.unref();
    this.#idle.push(worker);
  }

  /** After a cancel or a failure: back once its task has stopped, or ended. */
  async #retire(worker: Worker): Promise<void> {
    const working = this.#working.get(worker);
    let timer: NodeJS.Timeout | undefined;
    const stopped =
      working === undefined ||
      (await Promise.race([working.then(() => true), new Promise<false>((resolve) => (timer = setTimeout(resolve, RETIRE_MS, false)).unref())]));
    clearTimeout(timer);
    if (stopped && !this.#broken.has(worker)) this.#give(worker);
    else await this.#end(worker);
  }

  async #end(worker: Worker): Promise<void> {
    this.#unlisten(worker);
    this.#working.delete(worker);
    this.#broken.delete(worker);
    await worker.terminate();
  }

  #unlisten(worker: Worker): void {
    this.#listening.get(worker)?.();
    this.#listening.delete(worker);
  }
}

/** A cancelled solve stops within a step; one still running after this is ended instead. */
const RETIRE_MS = 2000;

export const solverThreads = new SolverThreads();

function threadFailed(message: string, code: unknown): FlowGifError {
  // A solver's own failure (SOLVER_FAILED, a bad option) keeps its code; anything else is a thread gone wrong.
  if (typeof code === 'string' && (errorCodes as readonly string[]).includes(code)) return new FlowGifError(code as ErrorCode, message);
  return new FlowGifError('SOLVER_FAILED', `Solving the particles failed in a worker thread: ${message}`, {
    hint: 'Set FLOWGIF_THREADS=0 to solve on the main thread instead.',
  });
}
