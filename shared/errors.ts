/**
 * Expected failures carry a closed code so every host (CLI, IPC, UI) can map them to a
 * message and an action; anything that is not a FlowGifError is a bug.
 */
export const errorCodes = [
  'IMAGE_NOT_FOUND',
  'IMAGE_EMPTY',
  'IMAGE_CORRUPT',
  'IMAGE_UNSUPPORTED',
  'IMAGE_TOO_LARGE',
  'IMAGE_NO_MASS',
  'MODEL_NOT_FOUND',
  'MODEL_CORRUPT',
  'MODEL_FOREIGN',
  'MODEL_VERSION',
  'OUTPUT_UNWRITABLE',
  /** The target exists and the request did not say to replace it: the UI asks the user first. */
  'OUTPUT_EXISTS',
  'BACKEND_UNAVAILABLE',
  'ENCODER_MISSING',
  'ENCODER_FAILED',
  'INVALID_ARGUMENT',
  'TRAINING_DIVERGED',
  /**
   * An ODE solver gave up (its step limit, a step size that underflowed): the field blew up or
   * is too stiff. Not the caller's setting, so no control is to blame; each host says what to do.
   */
  'SOLVER_FAILED',
  /** Work that must not run twice at once (two exports to one path): expected, not a bug. */
  'ENGINE_BUSY',
  'HOST_UNSUPPORTED',
  'IPC_INVALID',
  /** The page's connection to the engine ended (the web host stopped): nothing can be asked of it. */
  'ENGINE_STOPPED',
  'NOT_FOUND',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface FlowGifErrorOptions {
  /** The file the problem is about, when there is one. */
  readonly file?: string;
  /** What the user can do about it. */
  readonly hint?: string;
  readonly cause?: unknown;
}

export class FlowGifError extends Error {
  override readonly name = 'FlowGifError';
  readonly code: ErrorCode;
  readonly file: string | undefined;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: FlowGifErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.file = options.file;
    this.hint = options.hint;
  }
}

/** Plain data, because only plain data crosses a process boundary intact. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: ErrorCode;
  readonly file?: string;
  readonly hint?: string;
  readonly stack?: string;
}

export function isFlowGifError(error: unknown): error is FlowGifError {
  return error instanceof FlowGifError;
}

/** AbortSignal.throwIfAborted throws a DOMException named AbortError: that is cancelling. */
export function isCancellation(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'name' in error &&
    (error as { name: unknown }).name === 'AbortError'
  );
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof FlowGifError) {
    return {
      name: error.name,
      message: error.message,
      code: error.code,
      ...(error.file === undefined ? {} : { file: error.file }),
      ...(error.hint === undefined ? {} : { hint: error.hint }),
    };
  }
  if (error instanceof Error) {
    return { name: error.name, message: error.message, ...(error.stack === undefined ? {} : { stack: error.stack }) };
  }
  return { name: 'Error', message: String(error) };
}
