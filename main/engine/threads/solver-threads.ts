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

export type ThreadTask = { readonly kind: 'solve'; readonly job: SolveJob } | { readonly kind: 'blur'; readonly job: BlurJob };

export type ThreadReply =
  | { readonly kind: 'step'; readonly done: number }
  | { readonly kind: 'done'; readonly nfe: number }
  | { readonly kind: 'level'; readonly level: BlurLevel }
  | { readonly kind: 'error'; readonly message: string; readonly code: unknown };

/**
 * Worker threads kept between jobs, for the exact flow's blur levels and particle chunks. A new
 * thread loads its modules and runs the solver unoptimised at first: started for each solve, two
 * threads took 0.85–0.9 of one thread's time on a 50 000-particle preview; kept warm, 0.51–0.55
 * (BENCHMARKS.md, "The app's preview in the engine").
 * Idle threads do not keep the process alive; a cancelled or failed task's thread is ended.
 */
class SolverThreads {
  readonly #idle: Worker[] = [];
  readonly #listening = new Map<Worker, () => void>();

  /**
   * `body` on `count` threads taken for it, until it settles or `signal` aborts (then it rejects
   * with the signal's reason at once). The threads go back warm when it succeeds.
   */
  async withThreads<T>(count: number, signal: CancelSignal, body: (workers: readonly Worker[]) => Promise<T>): Promise<T> {
    const taken = Array.from({ length: count }, () => this.#take());
    let stop: (error: unknown) => void = () => {};
    const stopped = new Promise<never>((_, reject) => (stop = reject));
    const onAbort = (): void => stop(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let finished = false;
    try {
      const value = await Promise.race([body(taken), stopped]);
      finished = true;
      return value;
    } finally {
      signal.removeEventListener('abort', onAbort);
      await Promise.all(taken.map((worker) => (finished ? this.#give(worker) : this.#end(worker))));
    }
  }

  #take(): Worker {
    const worker = this.#idle.pop() ?? new Worker(new URL('./solver-thread.js', import.meta.url));
    worker.ref();
    return worker;
  }

  /** One task on a taken thread: `answer` turns the reply that ends it into its value. */
  run<T>(worker: Worker, task: ThreadTask, answer: (reply: ThreadReply) => { readonly value: T } | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onMessage = (reply: ThreadReply): void => {
        if (reply.kind === 'error') {
          reject(threadFailed(reply.message, reply.code));
          return;
        }
        const settled = answer(reply);
        if (settled !== undefined) {
          this.#unlisten(worker);
          resolve(settled.value);
        }
      };
      const onError = (error: Error): void => reject(threadFailed(error.message, undefined));
      const onExit = (code: number): void => reject(threadFailed(`a solver thread stopped (exit code ${code}).`, undefined));
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      this.#listening.set(worker, () => worker.off('message', onMessage).off('error', onError).off('exit', onExit));
      worker.postMessage(task);
    });
  }

  /** Back to the idle threads, its code warm for the next job. */
  #give(worker: Worker): void {
    this.#unlisten(worker);
    worker.unref();
    this.#idle.push(worker);
  }

  async #end(worker: Worker): Promise<void> {
    this.#unlisten(worker);
    await worker.terminate();
  }

  #unlisten(worker: Worker): void {
    this.#listening.get(worker)?.();
    this.#listening.delete(worker);
  }
}

export const solverThreads = new SolverThreads();

function threadFailed(message: string, code: unknown): FlowGifError {
  // A solver's own failure (SOLVER_FAILED, a bad option) keeps its code; anything else is a thread gone wrong.
  if (typeof code === 'string' && (errorCodes as readonly string[]).includes(code)) return new FlowGifError(code as ErrorCode, message);
  return new FlowGifError('SOLVER_FAILED', `Solving the particles failed in a worker thread: ${message}`, {
    hint: 'Set FLOWGIF_THREADS=0 to solve on the main thread instead.',
  });
}
