import { isCancellation, isFlowGifError, type ErrorCode } from '../../shared/errors.js';
import { UsageError } from './usage-error.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_CANCELLED = 130;

/** What a CLI user can do about an engine error that carries no hint of its own. */
const cliHints: Partial<Record<ErrorCode, string>> = {
  MODEL_FOREIGN: 'Pass a .flow file written by `flowgif train`, or use --exact IMAGE for an image.',
  IMAGE_NO_MASS: "Mass is what differs from the picture's background: choose it yourself with --mass dark (dark shapes) or --mass light (light shapes), or try a lower --threshold.",
  SOLVER_FAILED: 'The model may have blown up: train it again (flowgif train), or draw the picture with --exact IMAGE.',
};

export interface ReportStreams {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processStreams: ReportStreams = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** How a failed command ends: one line on stderr (and the code on stdout with --json); returns the exit code. */
export function reportError(error: unknown, commandName: string, json: boolean, streams: ReportStreams = processStreams): number {
  const emit = (code: string, message: string, exit: number): number => {
    if (json) streams.stdout(`${JSON.stringify({ error: { code, message } })}\n`);
    streams.stderr(`flowgif: ${message}\n`);
    return exit;
  };
  if (error instanceof UsageError) {
    // One line: the problem, then where the full synopsis is (the synopsis alone is longer than the error).
    return emit('USAGE', `${error.message} Run 'flowgif ${commandName} --help' for usage.`, EXIT_USAGE);
  }
  if (isCancellation(error)) return emit('CANCELLED', 'cancelled.', EXIT_CANCELLED);
  if (isFlowGifError(error)) {
    const hint = error.hint ?? cliHints[error.code];
    return emit(error.code, hint === undefined ? error.message : `${error.message} ${hint}`, EXIT_FAILURE);
  }
  // Anything else is a bug: say so plainly, keep the stack available for the report.
  const message = error instanceof Error ? error.message : String(error);
  const exit = emit('UNEXPECTED', `unexpected error: ${message} (set FLOWGIF_DEBUG=1 for details)`, EXIT_FAILURE);
  if (process.env['FLOWGIF_DEBUG'] && error instanceof Error) streams.stderr(`${error.stack}\n`);
  return exit;
}
