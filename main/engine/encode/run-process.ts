import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FlowGifError } from '../../../shared/errors.js';
import type { CancelSignal } from '../../../shared/job.js';
import { abortError } from './abort.js';

/** An external program as the engine knows it: where it is and how a user gets it. */
export interface Binary {
  /** Short human name: 'gifski', 'ffmpeg'. */
  readonly name: string;
  readonly path: string;
  /** Said when the binary cannot be started: how to install it or point FlowGIF at it. */
  readonly installHint: string;
}

export interface RunOptions {
  readonly cwd?: string;
  /** Streamed to the child's stdin with backpressure; the child sees EOF when it ends. */
  readonly stdin?: AsyncIterable<Uint8Array>;
  /** Called per line of output; '\r' ends a line too, because progress bars redraw with it. */
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** The file the run is about, named in its errors. */
  readonly file?: string;
  /** How many trailing output lines an ENCODER_FAILED message carries. */
  readonly tailLines?: number;
}

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** Kept per stream so a chatty encoder cannot grow memory without bound. */
const maxKeptChars = 64 * 1024;
/** A child that ignores SIGTERM is killed for good after this long. */
const killGraceMs = 3000;

/**
 * The one way the engine runs gifski, ffmpeg or any other program: an argument array (never a
 * shell string), cancellation through the job's signal (the child is killed, the promise
 * rejects with AbortError once the child has exited, so no caller deletes files a live process
 * still writes), and expected failures as FlowGifErrors: ENCODER_MISSING when the program cannot
 * be started, ENCODER_FAILED with its last output lines when it exits non-zero.
 */
export function runProcess(
  binary: Binary,
  args: readonly string[],
  signal: CancelSignal,
  options: RunOptions = {},
): Promise<RunResult> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  // A local controller lets a failing stdin source stop the child exactly as a cancel does.
  const local = new AbortController();
  const forwardAbort = (): void => local.abort(signal.reason);
  signal.addEventListener('abort', forwardAbort, { once: true });

  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn(binary.path, [...args], {
      cwd: options.cwd,
      signal: local.signal,
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const out = lineCollector('stdout', options.onLine);
    const err = lineCollector('stderr', options.onLine);
    child.stdout?.on('data', out.push);
    child.stderr?.on('data', err.push);

    let spawnError: NodeJS.ErrnoException | undefined;
    let stdinError: unknown;
    let killTimer: NodeJS.Timeout | undefined;

    child.on('error', (error: NodeJS.ErrnoException) => {
      // Aborts surface here too; the outcome is decided in 'close' from the signal.
      if (error.name !== 'AbortError') spawnError ??= error;
    });
    local.signal.addEventListener(
      'abort',
      () => {
        killTimer = setTimeout(() => child.kill('SIGKILL'), killGraceMs);
        killTimer.unref();
      },
      { once: true },
    );

    if (options.stdin !== undefined && child.stdin) {
      const stdin = child.stdin;
      pipeline(Readable.from(options.stdin, { objectMode: false }), stdin).catch((error: unknown) => {
        // EPIPE means the child stopped reading: its exit code and stderr tell why.
        if (isBrokenPipe(error) || local.signal.aborted) return;
        // A source that fails must not let the child finish a valid-looking short file.
        stdinError = error;
        local.abort(error);
      });
    }

    child.on('close', (code, killedBy) => {
      clearTimeout(killTimer);
      signal.removeEventListener('abort', forwardAbort);
      out.flush();
      err.flush();
      const result = { stdout: out.text(), stderr: err.text() };
      if (signal.aborted) return reject(abortError(signal));
      if (stdinError !== undefined) return reject(stdinError);
      if (spawnError !== undefined) return reject(startError(binary, spawnError));
      if (code === 0) return resolve(result);
      // stderr holds the diagnosis; stdout only when stderr is silent (it is mostly progress bars).
      const tail = lastLines(err.text().trim() === '' ? out.text() : err.text(), options.tailLines ?? 8);
      const how = code === null ? `was killed by ${killedBy ?? 'a signal'}` : `exited with code ${code}`;
      reject(
        new FlowGifError('ENCODER_FAILED', `${binary.name} ${how}${tail === '' ? '.' : `:\n${tail}`}`, {
          ...(options.file === undefined ? {} : { file: options.file }),
          hint: `Check the settings; if they look right, report this with the ${binary.name} output above.`,
        }),
      );
    });
  });
}

function startError(binary: Binary, error: NodeJS.ErrnoException): FlowGifError {
  if (error.code === 'ENOENT' || error.code === 'EACCES' || error.code === 'ENOEXEC' || error.code === 'EPERM') {
    const why =
      error.code === 'ENOENT' ? 'was not found' : error.code === 'ENOEXEC' ? 'is not a program for this system' : 'is not executable';
    return new FlowGifError('ENCODER_MISSING', `${binary.name} ${why} at ${binary.path}.`, {
      file: binary.path,
      hint: binary.installHint,
      cause: error,
    });
  }
  return new FlowGifError('ENCODER_FAILED', `${binary.name} could not be started: ${error.message}`, {
    file: binary.path,
    cause: error,
  });
}

function isBrokenPipe(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ERR_STREAM_PREMATURE_CLOSE';
}

export function lastLines(text: string, n: number): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line !== '')
    .slice(-n)
    .join('\n');
}

interface LineCollector {
  readonly push: (chunk: Buffer) => void;
  readonly flush: () => void;
  readonly text: () => string;
}

function lineCollector(stream: 'stdout' | 'stderr', onLine: RunOptions['onLine']): LineCollector {
  let kept = '';
  let partial = '';
  return {
    push: (chunk) => {
      const text = chunk.toString('utf8');
      kept = (kept + text).slice(-maxKeptChars);
      if (onLine === undefined) return;
      const parts = (partial + text).split(/\r\n|\r|\n/);
      partial = parts.pop() ?? '';
      for (const line of parts) if (line !== '') onLine(line, stream);
    },
    flush: () => {
      if (onLine !== undefined && partial !== '') onLine(partial, stream);
      partial = '';
    },
    text: () => kept,
  };
}
