import type { CancelSignal } from '../../../shared/job.js';
import type { AsyncRhs } from './integrate.js';

/** Yield to the event loop this often, so a cancel can arrive during a synchronous field. */
const YIELD_EVERY_MS = 50;

/**
 * rhs, but every YIELD_EVERY_MS it first yields to the event loop and checks the signal: a
 * synchronous field (the exact flow, tfjs) would otherwise hold the thread for the whole solve,
 * so the abort message could not even be received. The solver checks the signal only between
 * steps; this lets the message in.
 */
export function yieldingRhs<Y>(rhs: AsyncRhs<Y>, signal: CancelSignal): AsyncRhs<Y> {
  let lastYield = performance.now();
  return async (t, y) => {
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      signal.throwIfAborted();
      lastYield = performance.now();
    }
    return rhs(t, y);
  };
}
