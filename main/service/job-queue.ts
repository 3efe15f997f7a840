import type { CancelSignal } from '../../shared/job.js';

interface Waiter {
  readonly start: () => void;
  readonly onDidMove: ((ahead: number) => void) | undefined;
}

/**
 * Heavy work (trainings, exports, size estimates) takes turns: one runs, the others wait in
 * the order they came. Run side by side on a two-core machine they only slowed each other,
 * and a training's time budget ran out on a fraction of the CPU: a 15 s training beside an
 * export made 75 steps instead of 380 and still reported done. A waiter whose signal fires
 * leaves the queue at once.
 */
export class JobQueue {
  readonly #waiting: Waiter[] = [];
  #busy = false;

  /** How many are running or waiting. */
  get length(): number {
    return this.#waiting.length + (this.#busy ? 1 : 0);
  }

  /**
   * Runs `body` when its turn comes. `onDidQueue` hears how many are ahead when it has to wait,
   * and again each time the queue moves; it is never called for a body that starts at once.
   */
  async run<T>(signal: CancelSignal, body: () => Promise<T>, onDidQueue?: (ahead: number) => void): Promise<T> {
    const release = await this.#turn(signal, onDidQueue);
    try {
      return await body();
    } finally {
      release();
    }
  }

  #turn(signal: CancelSignal, onDidQueue: ((ahead: number) => void) | undefined): Promise<() => void> {
    signal.throwIfAborted();
    if (!this.#busy) {
      this.#busy = true;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.#waiting.indexOf(waiter);
        if (index >= 0) {
          this.#waiting.splice(index, 1);
          this.#announce(index);
        }
        reject(signal.reason);
      };
      const waiter: Waiter = {
        start: () => {
          signal.removeEventListener('abort', onAbort);
          resolve(this.#releaser());
        },
        onDidMove: onDidQueue,
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(waiter);
      onDidQueue?.(this.#waiting.length);
    });
  }

  /** Hands the turn to the next waiter, once, however often it is called. */
  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next === undefined) {
        this.#busy = false;
        return;
      }
      next.start();
      this.#announce(0);
    };
  }

  /** Tells the waiters from `from` on their new place. */
  #announce(from: number): void {
    for (let i = Math.max(0, from); i < this.#waiting.length; i++) this.#waiting[i]!.onDidMove?.(i + 1);
  }
}
