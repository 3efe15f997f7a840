import fs from 'node:fs';
import { utilityProcess, type UtilityProcess } from 'electron';
import { serializeError, type SerializedError } from '../../shared/errors.js';
import type { JobKind, JobMessage, RequestChannel, RequestPayload, ResponseValue, Result } from '../../shared/ipc/contract.js';
import type { Disposer } from '../../shared/ipc/emitter.js';
import type { ActiveJob } from '../../shared/ipc/job-table.js';
import { RpcClient } from '../../shared/ipc/rpc-client.js';

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
}

/** Who sent a request: the webContents id of the window. */
export type RequestOwner = number;

/**
 * The engine runs in a utilityProcess so training and ONNX inference never block the window's
 * process. Requests and answers are rpc-client.ts's: answered as Results in any order, each
 * job's events told only to the window whose request started it; a crash answers every pending
 * request and fails every running job, and the next request starts a fresh engine.
 */
export class ServiceHost {
  readonly #options: ServiceHostOptions;
  readonly #client = new RpcClient<RequestOwner>({
    post: (request) => this.#ensureChild().postMessage(request),
    onError: (error) => this.#log?.write(`invalid message from the engine, or a job listener threw: ${String(error)}\n`),
  });
  #child: UtilityProcess | undefined;
  #log: fs.WriteStream | undefined;
  #stopping = false;

  constructor(options: ServiceHostOptions) {
    this.#options = options;
  }

  activeJobs(kind?: JobKind): ActiveJob[] {
    return this.#client.activeJobs(kind);
  }

  /** `owner`: the window asking; the events of a job it starts go to it alone (onDidOwnJobEvent). */
  request<C extends RequestChannel>(channel: C, payload: RequestPayload<C>, owner?: RequestOwner): Promise<Result<ResponseValue<C>>> {
    if (this.#stopping) return Promise.resolve({ ok: false, error: serializeError(new Error('FlowGIF is quitting.')) });
    return this.#client.invoke(channel, payload, owner);
  }

  onDidOwnJobEvent(owner: RequestOwner, listener: (message: JobMessage) => void): Disposer {
    return this.#client.onDidOwnJobEvent(owner, listener);
  }

  /**
   * Cancels every running job, waits (bounded) for the engine to report them ended so encoders
   * delete their temp files, then stops the process.
   */
  async stop(graceMs = 5000): Promise<void> {
    const deadline = Date.now() + graceMs;
    const jobs = this.#client.activeJobs();
    // A hung engine must not keep the app from quitting: the deadline bounds the answers too.
    const cancels = Promise.all(jobs.map((job) => this.request('job:cancel', { jobId: job.jobId })));
    await Promise.race([cancels, new Promise((resolve) => setTimeout(resolve, graceMs))]);
    while (this.#client.activeJobs().length > 0 && this.#child !== undefined && Date.now() < deadline) {
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
    this.#log = log;
    child.on('message', (raw: unknown) => this.#client.receive(raw));
    child.once('exit', (code: number) => {
      log.end(`--- engine exited with code ${code}\n`);
      if (this.#child === child) this.#child = undefined;
      this.#onExit(code);
    });
    this.#child = child;
    return child;
  }

  #onExit(code: number): void {
    // Not a FlowGifError: a crash is a bug, and the UI shows bugs as "Unexpected error".
    const error: SerializedError = {
      name: 'EngineExited',
      message: this.#stopping
        ? 'FlowGIF quit before the engine reported the end of this work.'
        : `The FlowGIF engine stopped unexpectedly (exit code ${code}); its log is ${this.#options.logFile}.`,
    };
    // Jobs cut short by quitting end `failed` too, for whichever window is still there to hear it.
    this.#client.closed(error);
  }
}
