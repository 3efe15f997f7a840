import type { Progress } from './job.js';

/**
 * Passes at most one progress report per interval to `sink`, but never drops a stage's first
 * or final report: a bar, a JSON stream or an IPC channel all want the same guarantee.
 */
export function throttleProgress(
  sink: (progress: Progress) => void,
  intervalMs: number,
  now: () => number = Date.now,
): (progress: Progress) => void {
  let last = -Infinity;
  let stage: Progress['stage'] | undefined;
  return (progress) => {
    const time = now();
    const boundary = progress.stage !== stage || progress.done >= progress.total;
    if (!boundary && time - last < intervalMs) return;
    last = time;
    stage = progress.stage;
    sink(progress);
  };
}
