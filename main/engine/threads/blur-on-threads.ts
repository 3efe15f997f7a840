import type { Worker } from 'node:worker_threads';
import { blurLevelCost, type BlurLevel } from '../flow/blur-level.js';
import { BLURRING, buildLevelsHere, type LevelBuilder } from '../flow/exact-flow.js';
import { solverThreads } from './solver-threads.js';

/**
 * The exact flow's blur levels built on `threads` kept solver threads, each taking the costliest
 * level left when it is free: the same levels as one thread builds (bit for bit), in 0.51–0.66
 * of the time on two cores for the bundled samples (BENCHMARKS.md, "The app's preview in the
 * engine"). Below two threads, on this one.
 */
export function buildLevelsOnThreads(threads: number): LevelBuilder {
  if (threads < 2) return buildLevelsHere;
  return async (density, blurs, ctx) => {
    ctx.signal.throwIfAborted();
    const { width, height } = density;
    const probabilities = new Float64Array(new SharedArrayBuffer(density.probabilities.byteLength));
    probabilities.set(density.probabilities);
    const order = blurs.map((_, k) => k);
    const cost = blurs.map(([blurCol, blurRow]) => blurLevelCost(width, height, blurCol, blurRow));
    order.sort((a, b) => cost[b]! - cost[a]!);
    const levels = new Array<BlurLevel>(blurs.length);
    let next = 0;
    let done = 0;
    // A lane stops taking levels once its build is cancelled or a sibling failed: its thread goes back to the pool.
    const lane = async (worker: Worker, cancel: Int32Array): Promise<void> => {
      while (next < order.length && Atomics.load(cancel, 0) === 0) {
        const k = order[next++]!;
        const [blurCol, blurRow] = blurs[k]!;
        levels[k] = await solverThreads.run(worker, { kind: 'blur', job: { probabilities, width, height, blurCol, blurRow } }, (reply) =>
          reply.kind === 'level' ? { value: reply.level } : undefined,
        );
        if (Atomics.load(cancel, 0) === 0) ctx.progress({ stage: 'prepare', done: ++done, total: blurs.length, message: BLURRING });
      }
    };
    await solverThreads.withThreads(Math.min(threads, blurs.length), ctx.signal, (workers, cancel) => Promise.all(workers.map((worker) => lane(worker, cancel))));
    return levels;
  };
}
