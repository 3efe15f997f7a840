import type { Progress } from './job.js';
/**
 * Passes at most one progress report per interval to `sink`, but never drops a stage's first
 * or final report: a bar, a JSON stream or an IPC channel all want the same guarantee.
 */
export declare function throttleProgress(sink: (progress: Progress) => void, intervalMs: number, now?: () => number): (progress: Progress) => void;
