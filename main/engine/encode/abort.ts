import { isCancellation } from '../../../shared/errors.js';
import type { CancelSignal } from '../../../shared/job.js';

/**
 * What a cancelled encode rejects with: the signal's own reason when it already reads as a
 * cancellation, otherwise an AbortError carrying it, so callers can tell cancel from failure.
 */
export function abortError(signal: CancelSignal): unknown {
  if (isCancellation(signal.reason)) return signal.reason;
  const error = new Error('The encode was cancelled.', { cause: signal.reason });
  error.name = 'AbortError';
  return error;
}

export function throwIfAborted(signal: CancelSignal): void {
  if (signal.aborted) throw abortError(signal);
}
