import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FlowGifError, isCancellation, isFlowGifError, serializeError } from '../../shared/errors.js';
import type {
  SequenceRequest,
  DensitySettings,
  AppInfo,
  FlowGifApi,
  FlowRef,
  ImageInfo,
  JobId,
  JobKind,
  JobMessage,
  ModelId,
  RequestChannel,
  RequestPayload,
  ResponseValue,
  Result,
} from '../../shared/ipc/contract.js';
import { validateJobMessage, validateRequest, validateResponse } from '../../shared/ipc/schemas.js';
import type { EncoderPaths } from '../engine/encode/find-encoders.js';
import type { AsyncVelocityField } from '../engine/flow/velocity-field.js';
import type { DensityOptions, ImageDensity } from '../engine/image/density.js';
import { densityFromBytes, loadDensity } from '../engine/image/load-density.js';
import { textPicture } from '../engine/image/text-picture.js';
import { createInferenceField } from '../engine/inference/ort-field.js';
import { previewFlow } from '../engine/pipeline/preview-flow.js';
import { warmUpEngine } from '../engine/pipeline/warm-up.js';
import { openProject } from '../engine/pipeline/project-flow.js';
import { checkExportDestination, destinationPath, estimateRenderSize, renderToFile, type RenderSubject } from '../engine/pipeline/render-flow.js';
import type { OpenedFlow } from '../engine/pipeline/flow-source.js';
import type { JobContext } from '../../shared/job.js';
import { trainDensityToFile } from '../engine/pipeline/train-flow.js';
import { trainingBackends } from '../engine/pipeline/training-backend.js';
import { PROJECT_EXTENSION, projectFiles, RecentProjects, saveProject, type ProjectExtras } from '../engine/project/project-files.js';
import type { TrainedModel } from '../engine/train/trained-model.js';
import type { FlowLease } from './flow-lease.js';
import { ImageRegistry } from './image-registry.js';
import { JobQueue } from './job-queue.js';
import { JobRunner } from './job-runner.js';
import { ModelRegistry } from './model-registry.js';
import { ExportHistory } from './export-history.js';
import { existingTargets, refuseReplacing, targetKey } from './output-targets.js';
import { listSamples } from './samples-list.js';

export interface EngineServiceOptions {
  readonly host: 'electron' | 'web';
  /** The app's data folder: the recent-projects list lives here. */
  readonly dataDir: string;
  /** Bundled sample pictures (resources/samples, or a packaged app's own). */
  readonly samplesDir: string;
  /** The fonts text is drawn in (resources/fonts, or a packaged app's own); default the checkout's. */
  readonly fontsDir?: string;
  /** The app's temp folder: trained models are saved here as they finish, so none is lost. */
  readonly tempDir: string;
  /** Default: this checkout's package.json version. */
  readonly version?: string;
  /** Default: ~/Pictures/FlowGIF (or ~/FlowGIF without a Pictures folder). */
  readonly defaultExportFolder?: string;
  readonly encoders?: EncoderPaths;
  /** Seconds between the live sample clouds of a training; default the trainers' (3 s). */
  readonly snapshotSeconds?: number;
  /** Where bugs (errors that are not FlowGifErrors) are logged with their stacks. */
  readonly logBug?: (error: unknown) => void;
  /** Opens a model's inference session; default onnxruntime (TensorFlow.js where it cannot load). Tests count sessions here. */
  readonly openInferenceField?: (model: TrainedModel, tempDir: string) => Promise<AsyncVelocityField>;
}

type Handlers = { readonly [C in RequestChannel]: (payload: RequestPayload<C>) => Promise<ResponseValue<C>> };

/**
 * Every request of the contract, answered by thin handlers: each validates, looks its flow up in
 * the image and model registries, and starts a job whose body is one pipeline function. The one
 * object the worker process, the web host and tests talk to. Requests return Results and never
 * throw; long work returns a job id and speaks JobMessages to the subscribers.
 */
export class EngineService implements FlowGifApi {
  readonly #options: EngineServiceOptions;
  readonly #listeners = new Set<(message: JobMessage) => void>();
  readonly #jobs: JobRunner;
  /** Exports not yet ended (queued or running), by targetKey: one at a time per file. */
  readonly #exportTargets = new Map<string, JobId>();
  /** The size estimate of each flow not yet ended: a newer one of the same flow, or its export, cancels it. */
  readonly #estimates = new Map<string, JobId>();
  /** Each training's "Stop and keep" (finishTraining), and whether its turn has come. */
  readonly #finishers = new Map<JobId, { readonly finish: AbortController; readonly started: boolean }>();
  readonly #images = new ImageRegistry();
  readonly #models: ModelRegistry;
  readonly #recent: RecentProjects;
  readonly #history: ExportHistory;
  readonly #modelsDir: string;
  readonly #logBug: (error: unknown) => void;
  #disposed = false;
  /** The engine's one warm-up (warmUp), once started; the first request that is more than app:info aborts it. */
  #warming: AbortController | undefined;

  constructor(options: EngineServiceOptions) {
    this.#options = options;
    this.#logBug = options.logBug ?? ((error) => console.error('FlowGIF engine bug:', error));
    this.#jobs = new JobRunner((message) => this.#emit(message), this.#logBug, new JobQueue());
    this.#recent = new RecentProjects(options.dataDir);
    this.#history = new ExportHistory(options.dataDir);
    this.#modelsDir = path.join(options.tempDir, 'models');
    const open = options.openInferenceField ?? openInferenceField;
    this.#models = new ModelRegistry((model) => open(model, options.tempDir));
  }

  async invoke<C extends RequestChannel>(channel: C, payload: RequestPayload<C>): Promise<Result<ResponseValue<C>>> {
    // A window asks app:info as it loads; anything else is the user at work, and goes first.
    if (channel !== 'app:info') this.#stopWarmUp();
    try {
      if (this.#disposed) throw new FlowGifError('INVALID_ARGUMENT', 'The FlowGIF engine has shut down.');
      const valid = validateRequest(channel, payload);
      const handler = this.#handlers[channel] as (payload: RequestPayload<C>) => Promise<ResponseValue<C>>;
      // Checked here too, so a reply that drifts from the contract fails at its source.
      return { ok: true, value: validateResponse(channel, await handler(valid)) };
    } catch (error) {
      if (!isFlowGifError(error) && !isCancellation(error)) this.#logBug(error);
      return { ok: false, error: serializeError(error) };
    }
  }

  onDidJobEvent(listener: (message: JobMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Ids of jobs not yet ended (queued or running), for hosts that ask before quitting, and for tests. */
  runningJobs(kind?: JobKind): string[] {
    return this.#jobs.running(kind);
  }

  /** What the registries hold now: exact flows and inference sessions, those kept for running jobs included (tests, diagnostics). */
  heldInMemory(): { exactFlows: number; picturesKeptForJobs: number; sessions: number } {
    return { exactFlows: this.#images.liveFlows, picturesKeptForJobs: this.#images.keptForJobs, sessions: this.#models.liveSessions };
  }

  /**
   * Runs the first picture's code once in the background (pipeline/warm-up.ts), for a host that
   * has just started the engine; any request but app:info stops it. Says how it ended.
   */
  async warmUp(): Promise<'done' | 'stopped'> {
    if (this.#disposed || this.#warming !== undefined) return 'stopped';
    const warming = new AbortController();
    this.#warming = warming;
    try {
      await warmUpEngine({ signal: warming.signal, progress: () => {} });
      return 'done';
    } catch (error) {
      if (!isCancellation(error)) this.#logBug(error);
      return 'stopped';
    }
  }

  #stopWarmUp(): void {
    this.#warming?.abort();
  }

  /** Cancels every job, waits for each to report its end, and frees the exact flows and sessions. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    this.#stopWarmUp();
    await this.#jobs.cancelAll();
    this.#images.dispose();
    this.#models.dispose();
  }

  #emit(message: JobMessage): void {
    let checked: JobMessage;
    try {
      checked = validateJobMessage(message);
    } catch (error) {
      this.#logBug(error);
      checked = { jobId: message.jobId, kind: message.kind, type: 'failed', error: serializeError(error) };
    }
    for (const listener of [...this.#listeners]) {
      try {
        listener(checked);
      } catch (error) {
        this.#logBug(error);
      }
    }
  }

  readonly #handlers: Handlers = {
    'app:info': () => this.#appInfo(),
    'image:open': (p) => this.#openImage(p.source, p.density ?? {}),
    'preview:start': async (p) => ({ jobId: this.#startPreview(p.flow, { particles: p.particles, seed: p.seed, swirl: p.swirl ?? 0 }) }),
    'train:start': async (p) => ({ jobId: this.#startTraining(p) }),
    'job:cancel': async (p) => ({ cancelled: this.#jobs.cancel(p.jobId) }),
    'train:finish': async (p) => ({ finishing: this.#finishTraining(p.jobId) }),
    'export:estimate': async (p) => ({ jobId: this.#startEstimate(p) }),
    'export:start': async (p) => ({ jobId: await this.#startExport(p) }),
    'project:save': (p) => this.#saveProject(p.path, p.project, p.modelId, p.replace === true),
    'project:open': (p) => this.#openProject(p.path),
    'dialog:open-image': () => hostOnly('dialog:open-image'),
    'dialog:open-project': () => hostOnly('dialog:open-project'),
    'dialog:save-path': () => hostOnly('dialog:save-path'),
    'shell:show-in-folder': () => hostOnly('shell:show-in-folder'),
    'export:history': async () => ({ entries: await this.#history.entries() }),
    'export:copy': () => hostOnly('export:copy'),
    'export:drag': () => hostOnly('export:drag'),
  };

  async #appInfo(): Promise<AppInfo> {
    return {
      version: this.#options.version ?? packageVersion(),
      host: this.#options.host,
      trainingBackends: await trainingBackends(),
      samples: await listSamples(this.#options.samplesDir),
      defaultExportFolder: this.#exportFolder(),
      recentProjects: await this.#recent.list(),
    };
  }

  async #openImage(source: RequestPayload<'image:open'>['source'], settings: Partial<DensitySettings>): Promise<ImageInfo> {
    const options: Partial<DensityOptions> = {
      ...(settings.mass === undefined ? {} : { mass: settings.mass }),
      ...(settings.threshold === undefined ? {} : { threshold: settings.threshold }),
    };
    let density: ImageDensity;
    let file: string | undefined;
    let name: string;
    let bytes: Uint8Array | undefined;
    if (source.kind === 'bytes') {
      name = source.name;
      bytes = source.bytes;
      density = await densityFromBytes(bytes, name, options);
    } else if (source.kind === 'text') {
      // Drawn once at the largest working side and kept as bytes: an export reopens it finer as it would a dropped picture.
      const picture = await textPicture(source.text, {
        ...(source.font === undefined ? {} : { font: source.font }),
        ...(source.weight === undefined ? {} : { weight: source.weight }),
        ...(this.#options.fontsDir === undefined ? {} : { fontsDir: this.#options.fontsDir }),
      });
      name = picture.name;
      bytes = picture.bytes;
      density = await densityFromBytes(bytes, name, options);
    } else {
      file = source.kind === 'path' ? absolute(source.path, 'image path') : await this.#samplePath(source.name);
      name = path.basename(file);
      density = await loadDensity(file, options);
    }
    const info = this.#images.add({ density, name, path: file, bytes });
    // Every opened picture is previewed next: start its exact flow while the answer travels.
    this.#images.warm(info.imageId);
    return info;
  }

  async #samplePath(name: string): Promise<string> {
    const samples = await listSamples(this.#options.samplesDir);
    // Only listed names: the name never becomes a path the caller chose.
    if (!samples.some((s) => s.name === name)) {
      throw new FlowGifError('NOT_FOUND', `There is no bundled sample named ${name}.`, {
        hint: `Samples: ${samples.map((s) => s.name).join(', ') || 'none installed'}.`,
      });
    }
    return path.join(this.#options.samplesDir, name);
  }

  #useFlow(ref: FlowRef): FlowLease {
    return ref.kind === 'model' ? this.#models.lease(ref.modelId) : this.#images.lease(ref.imageId, ref.noise);
  }

  /** Previews are the interactive path: they run at once, beside whatever the queue is doing. */
  #startPreview(ref: FlowRef, paths: { readonly particles: number; readonly seed: number; readonly swirl: number }): string {
    const flow = this.#useFlow(ref);
    return this.#jobs.start('preview', async (ctx) => previewFlow(await flow.opened(ctx), paths, ctx), { onDidEnd: flow.release });
  }

  /**
   * As heavy as a short export, so it waits its turn in the same queue. The dialog asks again at
   * every edit and keeps only the newest answer, so a newer estimate of the same flow cancels
   * one still waiting or running.
   */
  /**
   * Leases on the export's flow and, for a morph or a sequence, on every picture after it; what
   * the pipeline renders from them. A stale id fails the request with nothing held.
   */
  #useSubject(request: { readonly flow: FlowRef; readonly sequence?: SequenceRequest | undefined }): { opened(ctx: JobContext, outputSize: number): Promise<RenderSubject>; release(): void } {
    const refs = [request.flow, ...(request.sequence?.then ?? [])];
    const leases: FlowLease[] = [];
    try {
      for (const ref of refs) leases.push(this.#useFlow(ref));
    } catch (error) {
      for (const lease of leases) lease.release();
      throw error;
    }
    const sequence = request.sequence;
    return {
      async opened(ctx, outputSize) {
        if (sequence === undefined) return leases[0]!.opened(ctx, outputSize);
        const flows: OpenedFlow[] = [];
        for (const lease of leases) flows.push(await lease.opened(ctx, outputSize));
        return { flows, style: sequence.style, fromNoise: sequence.fromNoise };
      },
      release: () => {
        for (const lease of leases) lease.release();
      },
    };
  }

  #startEstimate(request: RequestPayload<'export:estimate'>): string {
    const flow = this.#useSubject(request);
    const key = estimateKey(request.flow);
    const older = this.#estimates.get(key);
    if (older !== undefined) this.#jobs.cancel(older);
    const jobId = this.#jobs.start(
      'estimate',
      async (ctx) => {
        const estimate = await estimateRenderSize(await flow.opened(ctx, request.settings.size), request.format, request.settings, ctx);
        return { bytes: estimate.bytes, lowBytes: estimate.lowBytes, highBytes: estimate.highBytes, frames: estimate.frames };
      },
      {
        queued: true,
        onDidEnd: () => {
          flow.release();
          if (this.#estimates.get(key) === jobId) this.#estimates.delete(key);
        },
      },
    );
    this.#estimates.set(key, jobId);
    return jobId;
  }

  /**
   * Trainings queue like exports: a second one waits for the first rather than being refused,
   * because taking turns is what keeps each budget whole (the trainers start their clock when
   * called, so a budget counts from the job's turn, not from the request). Flow matching
   * distils from the exact flow the picture's previews already built.
   */
  #startTraining(request: RequestPayload<'train:start'>): string {
    const lease = this.#images.lease(request.imageId, request.noise);
    const { density } = lease.image;
    const finish = new AbortController();
    const jobId = this.#jobs.start('train', async (ctx, job) => {
      this.#finishers.set(jobId, { finish, started: true });
      const exactField = request.method === 'fm' ? await lease.exactFlow(ctx) : undefined;
      const modelId = randomUUID();
      const file = path.join(this.#modelsDir, `${modelId}.flow`);
      await fs.promises.mkdir(this.#modelsDir, { recursive: true });
      const budget = {
        seconds: request.seconds,
        seed: request.seed,
        noise: request.noise,
        exactField,
        tempDir: this.#options.tempDir,
        snapshotSeconds: this.#options.snapshotSeconds,
        finish: finish.signal,
        onSamples: (points: Float32Array, step: number) => job.emit({ jobId: job.jobId, kind: 'train', type: 'samples', points, step }),
      };
      const model = await trainDensityToFile(density, request.method, budget, file, ctx);
      this.#models.add(modelId, { model, density, file, imageId: request.imageId });
      // Its preview is asked for next: open the session while the answer travels.
      this.#models.warm(modelId);
      const { steps, seconds, finalLoss, backend } = model.training;
      return { modelId, method: model.method, steps, seconds, finalLoss, backend };
    }, {
      queued: true,
      onDidEnd: () => {
        this.#finishers.delete(jobId);
        lease.release();
      },
    });
    this.#finishers.set(jobId, { finish, started: false });
    return jobId;
  }

  /**
   * "Stop and keep": the training ends after its current step and is done with the model so far,
   * saved and previewed as any other. One still waiting its turn has nothing to keep: it is
   * cancelled. False for a job that is no running training.
   */
  #finishTraining(jobId: JobId): boolean {
    const training = this.#finishers.get(jobId);
    if (training === undefined) return false;
    if (!training.started) return this.#jobs.cancel(jobId);
    training.finish.abort();
    return true;
  }

  #exportFolder(): string {
    return this.#options.defaultExportFolder ?? defaultExportFolder();
  }

  async #startExport(request: RequestPayload<'export:start'>): Promise<string> {
    const outputPath = absolute(request.outputPath, 'output path');
    for (const ref of [request.flow, ...(request.sequence?.then ?? [])]) {
      if (ref.kind === 'exact') this.#images.get(ref.imageId);
      else this.#models.get(ref.modelId);
    }
    // The app's own default folder is made on first use; any other missing folder is the user's to fix.
    const target = destinationPath(outputPath, request.format);
    if (path.dirname(target) === path.resolve(this.#exportFolder())) await fs.promises.mkdir(path.dirname(target), { recursive: true });
    const key = await targetKey(target);
    const existing = request.replace === true ? [] : await existingTargets([target]);
    // A bad destination fails the request in a moment, not the job after the particles are
    // solved; the job does not check again.
    const unwritable: unknown = await checkExportDestination(target, request.format).then(() => undefined, (error: unknown) => error);
    // From here on no await: the check and the claim on the path are one step. The user hears
    // first what waiting cures, then what consent cures, then what needs another place.
    const running = this.#exportTargets.get(key);
    if (running !== undefined) {
      throw new FlowGifError('ENGINE_BUSY', `An export to ${target} is already under way (job ${running}); two at once would write over each other.`, {
        file: target,
        hint: 'Wait for it to finish or cancel it, or choose another name.',
      });
    }
    refuseReplacing(existing);
    if (unwritable !== undefined) throw unwritable;
    const flow = this.#useSubject(request);
    // The export answers what the dialog's estimate was for: that estimate no longer holds a turn ahead of it.
    const estimate = this.#estimates.get(estimateKey(request.flow));
    if (estimate !== undefined) this.#jobs.cancel(estimate);
    const encoders = this.#options.encoders;
    const jobId = this.#jobs.start(
      'export',
      async (ctx) => {
        const opened = await flow.opened(ctx, request.settings.size);
        const result = await renderToFile(
          opened,
          {
            outputPath,
            settings: request.settings,
            format: request.format,
            destinationChecked: true,
            ...(encoders ? { encoders } : {}),
            ...(request.maxBytes === undefined ? {} : { maxBytes: request.maxBytes }),
          },
          ctx,
        );
        const file = { outputPath: result.outputPath, sizeBytes: result.sizeBytes, frames: result.frames, width: result.width, height: result.height };
        // The file is written whatever becomes of the list: a history that cannot be saved loses only itself.
        await this.#history.add({ ...file, format: request.format, finishedAt: Date.now() }).catch((error: unknown) => this.#logBug(error));
        return result.budget === undefined ? file : { ...file, budget: result.budget };
      },
      {
        queued: true,
        onDidEnd: () => {
          flow.release();
          this.#exportTargets.delete(key);
        },
      },
    );
    this.#exportTargets.set(key, jobId);
    return jobId;
  }

  async #saveProject(target: string, project: RequestPayload<'project:save'>['project'], modelId: ModelId | undefined, replace: boolean): Promise<{ path: string }> {
    let projectPath = absolute(target, 'project path');
    if (path.extname(projectPath) === '') projectPath += PROJECT_EXTENSION;
    const stored = modelId === undefined ? undefined : this.#models.get(modelId);
    // The uploaded picture the project is about: the model's own, else the latest of that name.
    const upload = project.image.path === undefined ? this.#images.candidates(stored?.imageId).find((i) => i.bytes !== undefined && i.name === project.image.name) : undefined;
    const extras: ProjectExtras = {
      ...(stored === undefined ? {} : { model: { model: stored.model, density: stored.density } }),
      ...(upload?.bytes === undefined ? {} : { imageBytes: { name: upload.name, bytes: upload.bytes } }),
    };
    if (!replace) refuseReplacing(await existingTargets(projectFiles(projectPath, project, extras)));
    await saveProject(projectPath, project, extras);
    await this.#recent.add(projectPath);
    return { path: projectPath };
  }

  async #openProject(target: string): Promise<ResponseValue<'project:open'>> {
    const projectPath = absolute(target, 'project path');
    const opened = await openProject(projectPath);
    const image = this.#images.add({ density: opened.density, name: opened.project.image.name, path: opened.imagePath, bytes: undefined });
    let modelId: ModelId | undefined;
    if (opened.model !== undefined) {
      modelId = randomUUID();
      this.#models.add(modelId, { ...opened.model, imageId: image.imageId });
    }
    await this.#recent.add(projectPath);
    // The project's training.method is the next training's choice; the model's own may differ.
    return { project: opened.project, image, modelId, ...(opened.model === undefined ? {} : { modelMethod: opened.model.model.method }) };
  }
}

/** onnxruntime for the many-particle solves: DESIGN §3 measured it ≈ 10× faster than tfjs-wasm (tfjs where it cannot load). */
async function openInferenceField(model: TrainedModel, tempDir: string): Promise<AsyncVelocityField> {
  return (await createInferenceField(model, { tempDir })).field;
}

function estimateKey(flow: FlowRef): string {
  return flow.kind === 'exact' ? `exact:${flow.imageId}` : `model:${flow.modelId}`;
}

/** Paths from the UI must be absolute: the worker's working folder means nothing to the user. */
function absolute(file: string, what: string): string {
  if (!path.isAbsolute(file)) throw new FlowGifError('INVALID_ARGUMENT', `The ${what} must be absolute, not ${file}.`, { file });
  return path.normalize(file);
}

function hostOnly(channel: RequestChannel): never {
  throw new FlowGifError('HOST_UNSUPPORTED', `${channel} is a feature of the desktop app; this host cannot offer it.`, {
    hint: 'Type or paste a path instead.',
  });
}

let cachedVersion: string | undefined;

function packageVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  try {
    // dist/main/service/ → the package root, in a checkout and inside app.asar alike.
    const pkg = JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    cachedVersion = typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    cachedVersion = '0.0.0';
  }
  return cachedVersion;
}

function defaultExportFolder(): string {
  const pictures = path.join(os.homedir(), 'Pictures');
  return path.join(fs.existsSync(pictures) ? pictures : os.homedir(), 'FlowGIF');
}
