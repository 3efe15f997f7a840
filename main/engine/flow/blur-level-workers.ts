import { Worker } from 'node:worker_threads';
import type { JobContext } from '../../../shared/job.js';
import { buildBlurLevel, defaultBlurLevelOptions, type BlurLevel } from './blur-level.js';

/** What a blur-level worker builds: levels of one picture, taken in turn from a shared counter. */
export interface LevelJob {
  readonly probabilities: Float64Array;
  readonly width: number;
  readonly height: number;
  /** [blurCol, blurRow] of each level, in the flow's order. */
  readonly blurs: ReadonlyArray<readonly [number, number]>;
  /** One Int32: the next level index to build; each worker takes the next with Atomics.add. */
  readonly next: Int32Array;
}
export type LevelReply =
  | { readonly kind: 'level'; readonly index: number; readonly level: BlurLevel }
  | { readonly kind: 'done' }
  | { readonly kind: 'error'; readonly message: string };

/**
 * Pictures smaller than this build their levels on the calling thread: the levels of a
 * 128 × 128 picture take about as long as starting a worker.
 */
export const MIN_PIXELS_FOR_WORKERS = 160 * 160;

/**
 * Builds a picture's blur levels on `threads` worker threads, into shared memory. The levels on
 * the pixel grid (the narrow blurs) cost 30 to 50 times a coarse one, so the workers take levels
 * one at a time from a shared counter rather than a fixed share each: whoever is free takes the
 * next. Each level is exactly what buildBlurLevel gives on this thread.
 */
export async function buildLevelsInWorkers(
  density: { readonly probabilities: Float64Array; readonly width: number; readonly height: number },
  blurs: ReadonlyArray<readonly [number, number]>,
  threads: number,
  ctx: JobContext,
): Promise<BlurLevel[]> {
  ctx.signal.throwIfAborted();
  const levels = new Array<BlurLevel | undefined>(blurs.length);
  const next = new Int32Array(new SharedArrayBuffer(4));
  const job: LevelJob = { probabilities: density.probabilities, width: density.width, height: density.height, blurs, next };
  let built = 0;
  const workers: Worker[] = [];
  let stop: (error: unknown) => void = () => {};
  const stopped = new Promise<never>((_, reject) => (stop = reject));
  stopped.catch(() => {});
  const onAbort = (): void => stop(ctx.signal.reason);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const finished = Array.from({ length: Math.min(threads, blurs.length) }, () => {
      const worker = new Worker(new URL('./blur-level-worker.js', import.meta.url), { workerData: job });
      workers.push(worker);
      return new Promise<void>((resolve, reject) => {
        worker.on('message', (reply: LevelReply) => {
          if (reply.kind === 'level') {
            levels[reply.index] = reply.level;
            built += 1;
            ctx.progress({ stage: 'prepare', done: built, total: blurs.length, message: 'Blurring the picture' });
          } else if (reply.kind === 'done') resolve();
          else reject(new Error(`Blurring the picture failed in a worker thread: ${reply.message}`));
        });
        worker.on('error', reject);
        worker.on('exit', (code) => reject(new Error(`a blurring thread stopped (exit code ${code}).`)));
      });
    });
    await Promise.race([Promise.all(finished), stopped]);
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return levels.map((level, index) => {
    if (level === undefined) throw new Error(`blur level ${index} was not built`);
    return level;
  });
}

/** The worker's loop (blur-level-worker.ts): levels until the counter passes the last. */
export function buildTakenLevels(job: LevelJob, post: (reply: LevelReply) => void): void {
  for (let index = Atomics.add(job.next, 0, 1); index < job.blurs.length; index = Atomics.add(job.next, 0, 1)) {
    const [blurCol, blurRow] = job.blurs[index]!;
    const level = buildBlurLevel(job.probabilities, job.width, job.height, blurCol, blurRow, defaultBlurLevelOptions, { shared: true });
    post({ kind: 'level', index, level });
  }
  post({ kind: 'done' });
}
