import fs from 'node:fs';
import { utilityProcess, type UtilityProcess } from 'electron';
import { serializeError, type SerializedError } from '../../shared/errors.js';
import type { JobMessage, RequestChannel, RequestPayload, ResponseValue, Result } from '../../shared/ipc/contract.js';
import { readServerMessage, type WireRequest } from '../../shared/ipc/wire.js';
import { JobTable, type ActiveJob } from './job-table.js';

export interface ServiceHostOptions {
  /** dist/main/service/worker-entry.js (inside app.asar when packaged). */
  readonly entry: string;
  /** Samples and encoder binaries: process.resourcesPath when packaged, the repo's resources/ otherwise. */
  readonly resourcesDir: string;
  /** The engine's own temp folder (ORT writes .ses and debug logs into TMPDIR). */
  readonly tempDir: string;
  /** app.getPath('userData'): recent projects and the like. */
  readonly dataDir: string;
  readonly version: string;
  readonly logFile: string;
  /** Every job event, already validated. */
  readonly onJobMessage: (message: JobMessage) => void;
}

interface Pending {
  readonly channel: RequestChannel;
  readonly resolve: (result: Result<unknown>) => void;
}

/**
 * The engine runs in a utilityProcess so training and ONNX inference never block the window's
 * process. Requests are answered as Results in any order (matched by id); a crash answers every
 * pending request and fails every running job, and the next request starts a fresh engine.
 */
export class ServiceHost {
  readonly #options: ServiceHostOptions;
  readonly #pending = new Map<number, Pending>();
  readonly #jobs = new JobTable();
  #child: UtilityProcess | undefined;
  #nextId = 1;
  #stopping = false;

  constructor(options: ServiceHostOptions) {
    this.#options = options;
  }

  activeJobs(kind?: ActiveJob['kind']): ActiveJob[] {
    return this.#jobs.active(kind);
  }

  request<C extends RequestChannel>(channel: C, payload: RequestPayload<C>): Promise<Result<ResponseValue<C>>> {
    if (this.#stopping) return Promise.resolve(failure(new Error('FlowGIF is quitting.')));
    const child = this.#ensureChild();
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, { channel, resolve: resolve as (result: Result<unknown>) => void });
      const message: WireRequest = { type: 'request', id, channel, payload };
      try {
        child.postMessage(message);
      } catch (error) {
        this.#pending.delete(id);
        resolve(failure(error));
      }
    });
  }

  /**
   * Cancels every running job, waits (bounded) for the engine to report them ended so encoders
   * delete their temp files, then stops the process.
   */
  async stop(graceMs = 5000): Promise<void> {
    const deadline = Date.now() + graceMs;
    const jobs = this.#jobs.active();
    // A hung engine must not keep the app from quitting: the deadline bounds the answers too.
    const cancels = Promise.all(jobs.map((job) => this.request('job:cancel', { jobId: job.jobId })));
    await Promise.race([cancels, new Promise((resolve) => setTimeout(resolve, graceMs))]);
    while (this.#jobs.active().length > 0 && this.#child !== undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    this.#stopping = true;
    this.#child?.kill();
    this.#child = undefined;
  }

  #ensureChild(): UtilityProcess {
    if (this.#child !== undefined) return this.#child;
    const { entry, resourcesDir, tempDir, dataDir, version, logFile } = this.#options;
    fs.mkdirSync(tempDir, { recursive: true });
    // Told twice on purpose: argv for the worker to parse, TMPDIR for libraries (ORT) that read it.
    const args = ['--host=electron', `--resources-dir=${resourcesDir}`, `--data-dir=${dataDir}`, `--temp-dir=${tempDir}`, `--version=${version}`];
    const child = utilityProcess.fork(entry, args, {
      serviceName: 'FlowGIF engine',
      stdio: 'pipe',
      env: {
        ...process.env,
        FLOWGIF_HOST: 'electron',
        FLOWGIF_RESOURCES_DIR: resourcesDir,
        FLOWGIF_DATA_DIR: dataDir,
        FLOWGIF_TEMP_DIR: tempDir,
        FLOWGIF_VERSION: version,
        TMPDIR: tempDir,
        TMP: tempDir,
        TEMP: tempDir,
      },
    });
    const log = fs.createWriteStream(logFile, { flags: 'a' });
    log.on('error', () => {
      // A log that cannot be written must not take the engine down with it.
    });
    log.write(`--- engine started ${new Date().toISOString()}\n`);
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    child.on('message', (raw: unknown) => this.#onMessage(raw, log));
    child.once('exit', (code: number) => {
      log.end(`--- engine exited with code ${code}\n`);
      if (this.#child === child) this.#child = undefined;
      this.#onExit(code);
    });
    this.#child = child;
    return child;
  }

  #onMessage(raw: unknown, log: fs.WriteStream): void {
    let message;
    try {
      message = readServerMessage(raw, (id) => this.#pending.get(id)?.channel);
    } catch (error) {
      // A malformed message is the engine's bug; answer its request (if any) rather than hang.
      log.write(`invalid message from the engine: ${String(error)}\n`);
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id === 'number') this.#settle(id, failure(error));
      return;
    }
    if (message.type === 'job') {
      this.#jobs.observe(message.message);
      this.#options.onJobMessage(message.message);
      return;
    }
    this.#settle(message.id, message.result);
  }

  #settle(id: number, result: Result<unknown>): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    this.#pending.delete(id);
    this.#jobs.started(pending.channel, result);
    pending.resolve(result);
  }

  #onExit(code: number): void {
    // Not a FlowGifError: a crash is a bug, and the UI shows bugs as "Unexpected error".
    const error: SerializedError = {
      name: 'EngineExited',
      message: `The FlowGIF engine stopped unexpectedly (exit code ${code}); its log is ${this.#options.logFile}.`,
    };
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id);
      pending.resolve({ ok: false, error });
    }
    if (this.#stopping) return;
    for (const message of this.#jobs.failAll(error)) this.#options.onJobMessage(message);
  }
}

function failure(error: unknown): Result<never> {
  return { ok: false, error: serializeError(error) };
}
