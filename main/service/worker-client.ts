import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serializeError, type SerializedError } from '../../shared/errors.js';
import type { FlowGifApi, JobId, JobKind, JobMessage, RequestChannel, RequestPayload, ResponseValue, Result } from '../../shared/ipc/contract.js';
import { validateRequest } from '../../shared/ipc/schemas.js';
import { readServerMessage, type WireRequest } from '../../shared/ipc/wire.js';
import type { ShutdownMessage } from './worker-protocol.js';

export interface WorkerClientOptions {
  readonly host: 'electron' | 'web';
  /** Samples (RESOURCES/samples) and encoder binaries (RESOURCES/bin). */
  readonly resourcesDir: string;
  readonly dataDir: string;
  /** The engine's TMPDIR too: onnxruntime's session files land here, not in the user's /tmp. */
  readonly tempDir: string;
  readonly version?: string;
  /** Default: worker-entry.js beside this module. */
  readonly entry?: string;
  /** The worker's stdout and stderr: the parent's own (default), or ignored. */
  readonly stdio?: 'inherit' | 'ignore';
  /** Told when the worker dies without being asked to; the next request starts a fresh one. */
  readonly onDidCrash?: (error: SerializedError) => void;
}

const jobChannels: Partial<Record<RequestChannel, JobKind>> = { 'preview:start': 'preview', 'train:start': 'train', 'export:start': 'export' };

interface Pending {
  readonly channel: RequestChannel;
  readonly resolve: (result: Result<unknown>) => void;
}

/**
 * The engine process seen from a Node parent (the web host, tests): a FlowGifApi over
 * child_process.fork with structured-clone IPC. If the worker dies, requests in flight are
 * answered with an error naming the exit, running jobs end `failed`, and the next request
 * starts a new worker; whatever the old one held (open images, models) is gone with it.
 */
export class WorkerClient implements FlowGifApi {
  readonly #options: WorkerClientOptions;
  readonly #pending = new Map<number, Pending>();
  readonly #jobs = new Map<JobId, JobKind>();
  readonly #listeners = new Set<(message: JobMessage) => void>();
  #child: ChildProcess | undefined;
  #nextId = 1;
  #disposed = false;

  constructor(options: WorkerClientOptions) {
    this.#options = options;
  }

  /** The running worker's process id, if one is running. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  runningJobs(): JobId[] {
    return [...this.#jobs.keys()];
  }

  invoke<C extends RequestChannel>(channel: C, payload: RequestPayload<C>): Promise<Result<ResponseValue<C>>> {
    let request: WireRequest;
    try {
      if (this.#disposed) throw new Error('The FlowGIF engine has been shut down.');
      request = { type: 'request', id: this.#nextId++, channel, payload: validateRequest(channel, payload) };
    } catch (error) {
      return Promise.resolve({ ok: false, error: serializeError(error) });
    }
    const child = this.#ensureChild();
    return new Promise((resolve) => {
      this.#pending.set(request.id, { channel, resolve: resolve as (result: Result<unknown>) => void });
      child.send(request, (error) => {
        if (error !== null && error !== undefined) this.#settle(request.id, { ok: false, error: serializeError(error) });
      });
    });
  }

  onDidJobEvent(listener: (message: JobMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Asks the worker to cancel its jobs and exit (its jobs report `cancelled`), and kills it if
   * it has not within graceMs.
   */
  async dispose(graceMs = 5000): Promise<void> {
    this.#disposed = true;
    const child = this.#child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const shutdown: ShutdownMessage = { type: 'shutdown' };
    if (child.connected) child.send(shutdown, () => {});
    else child.kill();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }

  #ensureChild(): ChildProcess {
    if (this.#child !== undefined) return this.#child;
    const { host, resourcesDir, dataDir, tempDir, version } = this.#options;
    fs.mkdirSync(tempDir, { recursive: true });
    const entry = this.#options.entry ?? fileURLToPath(new URL('./worker-entry.js', import.meta.url));
    const args = [`--host=${host}`, `--resources-dir=${resourcesDir}`, `--data-dir=${dataDir}`, `--temp-dir=${tempDir}`, ...(version === undefined ? [] : [`--version=${version}`])];
    const stdio = this.#options.stdio ?? 'inherit';
    const child = fork(entry, args, {
      // Typed arrays (trajectories, uploads) cross as typed arrays, not as JSON objects.
      serialization: 'advanced',
      stdio: [stdio, stdio, stdio, 'ipc'],
      env: { ...process.env, TMPDIR: tempDir, TMP: tempDir, TEMP: tempDir },
    });
    child.on('message', (raw: unknown) => this.#onMessage(raw));
    child.on('error', () => {
      // Spawn and IPC errors are followed by 'exit', which answers everything pending.
    });
    child.once('exit', (code, signal) => {
      if (this.#child === child) this.#child = undefined;
      this.#onExit(code, signal);
    });
    this.#child = child;
    return child;
  }

  #onMessage(raw: unknown): void {
    let message;
    try {
      message = readServerMessage(raw, (id) => this.#pending.get(id)?.channel);
    } catch (error) {
      // The worker broke the contract: answer the request it was for rather than leave it hanging.
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id === 'number') this.#settle(id, { ok: false, error: serializeError(error) });
      else console.error('FlowGIF: invalid message from the engine process:', error);
      return;
    }
    if (message.type === 'response') {
      this.#settle(message.id, message.result);
      return;
    }
    const job = message.message;
    if (job.type === 'done' || job.type === 'failed' || job.type === 'cancelled') this.#jobs.delete(job.jobId);
    this.#emit(job);
  }

  #settle(id: number, result: Result<unknown>): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    this.#pending.delete(id);
    const kind = jobChannels[pending.channel];
    if (kind !== undefined && result.ok) this.#jobs.set((result.value as { jobId: JobId }).jobId, kind);
    pending.resolve(result);
  }

  #emit(message: JobMessage): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(message);
      } catch (error) {
        console.error('FlowGIF: a job listener threw:', error);
      }
    }
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const how = signal !== null ? `was killed (${signal})` : `exited with code ${code}`;
    // Not a FlowGifError: a dead engine is a bug or a crash, shown as "Unexpected error".
    const error: SerializedError = {
      name: 'EngineExited',
      message: this.#disposed ? 'The FlowGIF engine has been shut down.' : `The FlowGIF engine process ${how}; the work it was doing is lost.`,
      hint: 'Try again: a new engine starts with the next request. Pictures and models must be opened again.',
    };
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id);
      pending.resolve({ ok: false, error });
    }
    for (const [jobId, kind] of this.#jobs) {
      this.#jobs.delete(jobId);
      this.#emit({ jobId, kind, type: 'failed', error });
    }
    if (!this.#disposed) this.#options.onDidCrash?.(error);
  }
}
