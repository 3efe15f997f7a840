/**
 * The closed set of stages a long job reports; hosts label them, engines only name them.
 * 'queued': the job waits for its turn behind other heavy jobs (done = total once it starts).
 */
export const stages = ['queued', 'load', 'prepare', 'train', 'sample', 'evaluate', 'integrate', 'encode', 'write'] as const;
export type Stage = (typeof stages)[number];

export interface Progress {
  readonly stage: Stage;
  readonly done: number;
  readonly total: number;
  readonly etaMs?: number;
  readonly bytes?: number;
  readonly message?: string;
  /** Stage-specific figures such as loss or samples per second. */
  readonly metrics?: Readonly<Record<string, number>>;
}

/**
 * The part of the platform's AbortSignal that jobs use. Node's and the browser's AbortSignal
 * both satisfy it, so shared/ needs neither runtime's type declarations.
 */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  throwIfAborted(): void;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** Handed last to every slow engine function: it checks the signal and reports progress. */
export interface JobContext {
  readonly signal: CancelSignal;
  readonly progress: (progress: Progress) => void;
}

const neverAborted: CancelSignal = {
  aborted: false,
  reason: undefined,
  throwIfAborted: () => {},
  addEventListener: () => {},
  removeEventListener: () => {},
};

/** For callers that neither cancel nor watch. */
export const noopJobContext: JobContext = { signal: neverAborted, progress: () => {} };

/** A context for one stage of a larger job: same signal, its own progress mapping. */
export function withProgress(ctx: JobContext, progress: (p: Progress) => void): JobContext {
  return { signal: ctx.signal, progress };
}
