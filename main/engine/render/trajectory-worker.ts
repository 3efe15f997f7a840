import { parentPort, workerData } from 'node:worker_threads';
import { noopJobContext } from '../../../shared/job.js';
import { exactFlowFromLevels } from '../flow/exact-flow.js';
import { solveChunk } from './trajectory.js';
import type { SolveJob, SolveReply } from './trajectory-workers.js';

// One chunk of particles of an exact-flow trajectory (trajectory-workers.ts): the flow put back
// together from the levels it was given, the chunk solved straight into the shared trajectory.
const job = workerData as SolveJob;
const post = (reply: SolveReply): void => parentPort?.postMessage(reply);
const field = exactFlowFromLevels(job.density, job.flowOptions, job.levels);
solveChunk(field, job.noise, job.plan, job.into, noopJobContext.signal, (done) => post({ kind: 'step', done })).then(
  (nfe) => post({ kind: 'done', nfe }),
  (error: unknown) => post({ kind: 'error', message: error instanceof Error ? error.message : String(error), code: (error as { code?: unknown }).code }),
);
