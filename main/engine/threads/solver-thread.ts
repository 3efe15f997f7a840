import { parentPort } from 'node:worker_threads';
import type { CancelSignal } from '../../../shared/job.js';
import { buildBlurLevel, defaultBlurLevelOptions } from '../flow/blur-level.js';
import { exactFlowFromLevels } from '../flow/exact-flow.js';
import { solveChunk } from '../render/trajectory.js';
import type { ThreadReply, ThreadTask } from './solver-threads.js';

// One task at a time (solver-threads.ts): a blur level of an exact flow, or a chunk of its
// particles solved straight into the shared trajectory with the flow put back together from the
// levels the job brings. The thread stays for the next task, its code already optimised.
const post = (reply: ThreadReply): void => parentPort?.postMessage(reply);
const failed = (error: unknown): void =>
  post({ kind: 'error', message: error instanceof Error ? error.message : String(error), code: (error as { code?: unknown }).code });

parentPort?.on('message', (task: ThreadTask) => {
  if (task.kind === 'blur') {
    try {
      const { probabilities, width, height, blurCol, blurRow } = task.job;
      post({ kind: 'level', level: buildBlurLevel(probabilities, width, height, blurCol, blurRow, defaultBlurLevelOptions, { shared: true }) });
    } catch (error) {
      failed(error);
    }
    return;
  }
  const job = task.job;
  const field = exactFlowFromLevels(job.density, job.flowOptions, job.levels);
  solveChunk(field, job.noise, job.plan, job.into, flagSignal(task.cancel), (done) => post({ kind: 'step', done })).then((nfe) => post({ kind: 'done', nfe }), failed);
});

/** The job's cancel flag as the signal the solver checks between steps. */
function flagSignal(flag: Int32Array): CancelSignal {
  const reason = (): DOMException => new DOMException('The solve was cancelled.', 'AbortError');
  return {
    get aborted() {
      return Atomics.load(flag, 0) === 1;
    },
    get reason() {
      return Atomics.load(flag, 0) === 1 ? reason() : undefined;
    },
    throwIfAborted() {
      if (Atomics.load(flag, 0) === 1) throw reason();
    },
    // Nothing here waits on the abort: the solver asks between steps.
    addEventListener() {},
    removeEventListener() {},
  };
}
