import os from 'node:os';

/**
 * Worker threads an export solves particles and draws frames with, when the caller does not say:
 * one per core, so on two cores both work while the main thread feeds ffmpeg. FLOWGIF_THREADS
 * sets it; 0 solves and draws on the main thread alone (the serial path benchmarks compare against).
 */
export function defaultThreads(): number {
  const fromEnv = process.env['FLOWGIF_THREADS'];
  if (fromEnv !== undefined && /^\d+$/.test(fromEnv)) return Number(fromEnv);
  return Math.min(4, os.availableParallelism());
}
