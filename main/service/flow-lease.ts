import type { CancelSignal, JobContext } from '../../shared/job.js';
import type { OpenedFlow } from '../engine/pipeline/flow-source.js';

/**
 * A job's hold on the flow its request named, looked up when the request came (a stale id fails
 * the request, not the job): what it holds stays alive until release, however many pictures or
 * models are opened meanwhile.
 */
export interface FlowLease {
  /** The pipeline's view of the flow; an export's exact flow follows its output size. */
  opened(ctx: JobContext, outputSize?: number): Promise<OpenedFlow>;
  /** Idempotent. */
  release(): void;
}

/**
 * Reference counts for what a registry caches: `free` runs once the entry has been dropped from
 * the registry (closed) and no lease is left, whichever comes last.
 */
export class LeaseCount {
  #leases = 0;
  #closed = false;
  readonly #free: () => void;

  constructor(free: () => void) {
    this.#free = free;
  }

  get leases(): number {
    return this.#leases;
  }

  /** A hold; the returned release is idempotent. */
  lease(): () => void {
    this.#leases++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#leases--;
      if (this.#closed && this.#leases === 0) this.#free();
    };
  }

  /** Dropped from the registry: freed now, or when the last lease ends. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#leases === 0) this.#free();
  }
}

/** Resolves as `promise` does, or rejects with the abort as soon as the signal fires. */
export function untilAborted<T>(promise: Promise<T>, signal: CancelSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * What `cache` holds under `key`, built on first ask and shared by every later one. A build that
 * fails is forgotten, so the next ask tries again instead of inheriting the failure.
 */
export function buildOnce<K, T>(cache: Map<K, Promise<T>>, key: K, build: () => Promise<T>): Promise<T> {
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const building = build();
  cache.set(key, building);
  building.catch(() => {
    if (cache.get(key) === building) cache.delete(key);
  });
  return building;
}
