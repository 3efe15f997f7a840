import { parentPort } from 'node:worker_threads';
import { noopJobContext } from '../../../shared/job.js';
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
  solveChunk(field, job.noise, job.plan, job.into, noopJobContext.signal, (done) => post({ kind: 'step', done })).then((nfe) => post({ kind: 'done', nfe }), failed);
});
