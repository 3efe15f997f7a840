import type { JobContext } from '../../../shared/job.js';

/** Below this, speed is mostly start-up cost and an ETA would jump around. */
const settleFraction = 0.1;
const settleMs = 1000;

/**
 * Remaining time at the average speed so far, or undefined until the speed has settled
 * (a tenth of the work and a second of wall time), because early estimates mislead.
 */
export function estimateEtaMs(done: number, total: number, elapsedMs: number): number | undefined {
  if (done <= 0 || total <= 0 || done >= total) return done >= total && total > 0 ? 0 : undefined;
  if (done / total < settleFraction || elapsedMs < settleMs) return undefined;
  return Math.round((elapsedMs / done) * (total - done));
}

export interface ProgressMeter {
  /** Reports `done` of the meter's total; smaller values than already reported are ignored. */
  report(done: number, bytes?: number): void;
}

/** Encode progress, monotonic and clamped, with a settled ETA. */
export function createProgressMeter(ctx: JobContext, total: number, now: () => number = () => performance.now()): ProgressMeter {
  const started = now();
  let last = -1;
  return {
    report(done, bytes) {
      const clamped = Math.min(total, Math.max(0, Math.floor(done)));
      if (clamped < last || (clamped === last && bytes === undefined)) return;
      last = clamped;
      const etaMs = estimateEtaMs(clamped, total, now() - started);
      ctx.progress({
        stage: 'encode',
        done: clamped,
        total,
        ...(etaMs === undefined ? {} : { etaMs }),
        ...(bytes === undefined ? {} : { bytes }),
      });
    },
  };
}
