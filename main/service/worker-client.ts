import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serializeError, type SerializedError } from '../../shared/errors.js';
import type { FlowGifApi, JobKind, JobMessage, RequestChannel, RequestPayload, ResponseValue, Result } from '../../shared/ipc/contract.js';
import type { Disposer } from '../../shared/ipc/emitter.js';
import type { ActiveJob } from '../../shared/ipc/job-table.js';
import { RpcClient, type SharedEngineApi } from '../../shared/ipc/rpc-client.js';
import type { WireRequest } from '../../shared/ipc/wire.js';
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

/**
 * The engine process seen from a Node parent (the web host, tests): a FlowGifApi over
 * child_process.fork with structured-clone IPC, on rpc-client.ts. Many sockets may share it:
 * a request may name its owner, who alone hears that job's events (onDidOwnJobEvent). If the
 * worker dies, requests in flight are answered with an error naming the exit, running jobs end
 * `failed`, and the next request starts a new worker; whatever the old one held (open images,
 * models) is gone with it.
 */
export class WorkerClient<Owner = never> implements FlowGifApi, SharedEngineApi<Owner> {
  readonly #options: WorkerClientOptions;
  readonly #client = new RpcClient<Owner>({
    post: (request) => this.#send(request),
    onError: (error) => console.error('FlowGIF: invalid message from the engine process, or a job listener threw:', error),
  });
  #child: ChildProcess | undefined;
  #disposed = false;

  constructor(options: WorkerClientOptions) {
    this.#options = options;
  }

  /** The running worker's process id, if one is running. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Jobs the worker has not reported ended. */
  activeJobs(kind?: JobKind): ActiveJob[] {
    return this.#client.activeJobs(kind);
  }

  invoke<C extends RequestChannel>(channel: C, payload: RequestPayload<C>, owner?: Owner): Promise<Result<ResponseValue<C>>> {
    if (this.#disposed) return Promise.resolve({ ok: false, error: serializeError(new Error('The FlowGIF engine has been shut down.')) });
    return this.#client.invoke(channel, payload, owner);
  }

  onDidJobEvent(listener: (message: JobMessage) => void): Disposer {
    return this.#client.onDidJobEvent(listener);
  }

  onDidOwnJobEvent(owner: Owner, listener: (message: JobMessage) => void): Disposer {
    return this.#client.onDidOwnJobEvent(owner, listener);
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

  #send(request: WireRequest): Promise<void> {
    const child = this.#ensureChild();
    return new Promise((resolve, reject) => child.send(request, (error) => (error === null || error === undefined ? resolve() : reject(error))));
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
    child.on('message', (raw: unknown) => this.#client.receive(raw));
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

  #onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const how = signal !== null ? `was killed (${signal})` : `exited with code ${code}`;
    // Not a FlowGifError: a dead engine is a bug or a crash, shown as "Unexpected error".
    const error: SerializedError = {
      name: 'EngineExited',
      message: this.#disposed ? 'The FlowGIF engine has been shut down.' : `The FlowGIF engine process ${how}; the work it was doing is lost.`,
      hint: 'Try again: a new engine starts with the next request. Pictures and models must be opened again.',
    };
    this.#client.closed(error);
    if (!this.#disposed) this.#options.onDidCrash?.(error);
  }
}
