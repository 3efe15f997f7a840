import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FlowGifError, isCancellation, isFlowGifError, serializeError } from '../../shared/errors.js';
import type {
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
  SizeEstimate,
} from '../../shared/ipc/contract.js';
import { validateJobMessage, validateRequest, validateResponse } from '../../shared/ipc/schemas.js';
import { noopJobContext, type CancelSignal, type JobContext } from '../../shared/job.js';
import { checkEncodeDestination } from '../engine/encode/encode.js';
import type { EncoderPaths } from '../engine/encode/find-encoders.js';
import { prepareExactFlow, type ExactFlow } from '../engine/flow/exact-flow.js';
import { noiseSourceFor } from '../engine/flow/noise-source.js';
import { DEFAULT_NOISE_SHAPE, type NoiseShape } from '../../shared/noise.js';
import { sampleFlow } from '../engine/flow/sample-flow.js';
import type { DensityOptions, ImageDensity } from '../engine/image/density.js';
import { densityFromBytes, loadDensity } from '../engine/image/load-density.js';
import { finerExactFlow, type OpenedFlow, type PictureBytes } from '../engine/pipeline/flow-source.js';
import { finerWorkingSide } from '../engine/image/working-side.js';
import { destinationPath, estimateRenderSize, renderToFile } from '../engine/pipeline/render-flow.js';
import { trainDensity } from '../engine/pipeline/train-flow.js';
import { loadFlowFile, saveFlowFile } from '../engine/project/flow-file.js';
import { createInferenceField } from '../engine/inference/ort-field.js';
import { computeTrajectory } from '../engine/render/trajectory.js';
import { loadBackend } from '../engine/train/backend.js';
import { createModelField } from '../engine/inference/model-field.js';
import type { TrainedModel } from '../engine/train/trained-model.js';
import { JobQueue } from './job-queue.js';
import { JobRunner } from './job-runner.js';
import { existingTargets, refuseReplacing, targetKey } from './output-targets.js';
import { PROJECT_EXTENSION, projectFiles, readProject, RecentProjects, saveProject, type ProjectExtras } from './project-files.js';
import { listSamples } from './samples-list.js';
import { imageInfo, trajectoryData } from './wire-data.js';

export interface EngineServiceOptions {
  readonly host: 'electron' | 'web';
  /** The app's data folder: the recent-projects list lives here. */
  readonly dataDir: string;
  /** Bundled sample pictures (resources/samples, or a packaged app's own). */
  readonly samplesDir: string;
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
}

interface OpenImage {
  readonly density: ImageDensity;
  readonly name: string;
  readonly path: string | undefined;
  /** Uploaded pictures exist nowhere on disk: kept so a saved project can write them beside it. */
  readonly bytes: Uint8Array | undefined;
  /** Its exact flow for each source noise asked for, built once each. */
  readonly exact: Map<NoiseShape, Promise<ExactFlow>>;
  /**
   * The picture reopened at a finer working size for large exports, by noise shape and working
   * side (see finerExactFlow); undefined where the open grid already serves that size. Built
   * once per key, so the dialog's estimates and the export share it; freed with the exact flows.
   */
  readonly finer: Map<string, Promise<{ density: ImageDensity; field: ExactFlow } | undefined>>;
  /** Jobs and estimates using the image now: its exact flows are freed only once none is left. */
  leases: number;
  /** Dropped from the open images to free memory; freed for good when the last lease ends. */
  closed: boolean;
}

/** A flow reference looked up when the request came, so a job that waits keeps what it named. */
type FlowInUse =
  | { readonly kind: 'exact'; readonly image: OpenImage; readonly noise: NoiseShape }
  | { readonly kind: 'model'; readonly stored: StoredModel };

interface StoredModel {
  readonly model: TrainedModel;
  readonly density: ImageDensity;
  readonly file: string;
  readonly imageId: string | undefined;
}

/** Points of the live sample cloud during training, and the seed that keeps them comparable. */
const SNAPSHOT_POINTS = 3000;
const SNAPSHOT_SEED = 0;
/** Opened images and models kept in memory; older ones are dropped (models stay on disk). */
const MAX_IMAGES = 8;
const MAX_MODELS = 8;

const neverAborted: CancelSignal = noopJobContext.signal;

type Handlers = { readonly [C in RequestChannel]: (payload: RequestPayload<C>) => Promise<ResponseValue<C>> };

/**
 * Previews solve with one rk4 step per stored level (16 in all) instead of the export's two:
 * half the time to the first picture, and 99 % of particles still land within half a pixel at
 * 512 px (measured in main/engine/render/trajectory.ts). Exports keep the finer default.
 */
const PREVIEW_SOLVER_STEPS = 16;

/**
 * Every request of the contract answered by the engine pipeline: the one object the worker
 * process, the web host and tests talk to. Requests return Results and never throw; long work
 * returns a job id and speaks JobMessages to the subscribers.
 */
export class EngineService implements FlowGifApi {
  readonly #options: EngineServiceOptions;
  readonly #listeners = new Set<(message: JobMessage) => void>();
  readonly #queue = new JobQueue();
  readonly #jobs: JobRunner;
  /** Exports not yet ended (queued or running), by targetKey: one at a time per file. */
  readonly #exportTargets = new Map<string, JobId>();
  /** The size estimate of each flow still under way: a newer one of the same flow replaces it. */
  readonly #estimates = new Map<string, AbortController>();
  /** Fires on dispose: estimates waiting in the queue give up rather than hold the shutdown. */
  readonly #shutdown = new AbortController();
  readonly #images = new Map<string, OpenImage>();
  readonly #models = new Map<ModelId, StoredModel>();
  readonly #recent: RecentProjects;
  readonly #modelsDir: string;
  readonly #logBug: (error: unknown) => void;
  #disposed = false;

  constructor(options: EngineServiceOptions) {
    this.#options = options;
    this.#logBug = options.logBug ?? ((error) => console.error('FlowGIF engine bug:', error));
    this.#jobs = new JobRunner((message) => this.#emit(message), this.#logBug, this.#queue);
    this.#recent = new RecentProjects(options.dataDir);
    this.#modelsDir = path.join(options.tempDir, 'models');
  }

  async invoke<C extends RequestChannel>(channel: C, payload: RequestPayload<C>): Promise<Result<ResponseValue<C>>> {
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

  /** Cancels every job and estimate, waits for each job to report its end, and frees the exact flows. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    this.#shutdown.abort();
    await this.#jobs.cancelAll();
    for (const image of this.#images.values()) closeImage(image);
    this.#images.clear();
    this.#models.clear();
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
    'preview:start': async (p) => ({ jobId: this.#startPreview(p.flow, p.particles, p.seed) }),
    'train:start': async (p) => ({ jobId: this.#startTraining(p) }),
    'job:cancel': async (p) => ({ cancelled: this.#jobs.cancel(p.jobId) }),
    'export:estimate': (p) => this.#estimate(p),
    'export:start': async (p) => ({ jobId: await this.#startExport(p) }),
    'project:save': (p) => this.#saveProject(p.path, p.project, p.modelId, p.replace === true),
    'project:open': (p) => this.#openProject(p.path),
    'dialog:open-image': () => hostOnly('dialog:open-image'),
    'dialog:open-project': () => hostOnly('dialog:open-project'),
    'dialog:save-path': () => hostOnly('dialog:save-path'),
    'shell:show-in-folder': () => hostOnly('shell:show-in-folder'),
  };

  async #appInfo(): Promise<AppInfo> {
    const backend = await loadBackend();
    return {
      version: this.#options.version ?? packageVersion(),
      host: this.#options.host,
      backend: { name: backend.name, label: backend.label, gpu: backend.gpu },
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
    } else {
      file = source.kind === 'path' ? absolute(source.path, 'image path') : await this.#samplePath(source.name);
      name = path.basename(file);
      density = await loadDensity(file, options);
    }
    const image: OpenImage = { density, name, path: file, bytes, exact: new Map(), finer: new Map(), leases: 0, closed: false };
    const info = this.#addImage(image);
    // Every opened picture is previewed next: start its exact flow while the answer travels.
    this.#exactFlow(image, DEFAULT_NOISE_SHAPE, { signal: neverAborted, progress: () => {} }).catch(() => {});
    return info;
  }

  #addImage(image: OpenImage): ImageInfo {
    const imageId = randomUUID();
    this.#images.set(imageId, image);
    for (const [id, old] of this.#images) {
      if (this.#images.size <= MAX_IMAGES) break;
      this.#images.delete(id);
      closeImage(old);
    }
    return imageInfo(imageId, image.density, image.path, image.name);
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

  #image(imageId: string): OpenImage {
    const image = this.#images.get(imageId);
    if (image === undefined) {
      throw new FlowGifError('NOT_FOUND', `Image ${imageId} is not open (it may have been closed to free memory).`, { hint: 'Open the picture again.' });
    }
    return image;
  }

  #model(modelId: ModelId): StoredModel {
    const model = this.#models.get(modelId);
    if (model === undefined) throw new FlowGifError('NOT_FOUND', `Model ${modelId} is not loaded.`, { hint: 'Train again or open the project that holds it.' });
    return model;
  }

  /**
   * An image's exact flow, built once and shared. It is built without the job's signal, so one
   * cancelled preview does not spoil it for the next; each waiter still stops at its own cancel.
   */
  #exactFlow(image: OpenImage, noise: NoiseShape, ctx: JobContext): Promise<ExactFlow> {
    let built = image.exact.get(noise);
    if (built === undefined) {
      const source = noiseSourceFor(noise, image.density.mapping);
      const building = prepareExactFlow(image.density, { source }, { signal: neverAborted, progress: ctx.progress });
      image.exact.set(noise, building);
      building.catch(() => {
        if (image.exact.get(noise) === building) image.exact.delete(noise);
      });
      built = building;
    }
    return untilAborted(built, ctx.signal);
  }

  /**
   * A flow reference looked up now (a stale id fails the request, not the job), with a lease on
   * its image that keeps the exact flow alive until `release`, however many pictures open meanwhile.
   */
  #useFlow(ref: FlowRef): { flow: FlowInUse; release: () => void } {
    if (ref.kind === 'model') return { flow: { kind: 'model', stored: this.#model(ref.modelId) }, release: () => {} };
    const image = this.#image(ref.imageId);
    return { flow: { kind: 'exact', image, noise: ref.noise ?? DEFAULT_NOISE_SHAPE }, release: leaseImage(image) };
  }

  /**
   * The image's exact flow on a working grid as fine as an output of `outputSize` px can use,
   * or undefined when the open one is. Only the newest size and noise are kept once no other job
   * holds the image, so memory stays one finer flow per image.
   */
  async #finerFlow(image: OpenImage, noise: NoiseShape, outputSize: number, ctx: JobContext): Promise<{ density: ImageDensity; field: ExactFlow } | undefined> {
    const side = finerWorkingSide(image.density.mapping, outputSize);
    const picture: PictureBytes | undefined = image.bytes !== undefined ? { bytes: image.bytes, name: image.name } : image.path === undefined ? undefined : { path: image.path };
    if (side === undefined || picture === undefined) return undefined;
    const key = `${noise}:${side}`;
    let built = image.finer.get(key);
    if (built === undefined) {
      built = finerExactFlow(image.density, picture, outputSize, noise, { signal: neverAborted, progress: ctx.progress });
      image.finer.set(key, built);
      built.catch(() => {
        if (image.finer.get(key) === built) image.finer.delete(key);
      });
    }
    if (image.leases <= 1) {
      for (const [other, flow] of image.finer) {
        if (other === key) continue;
        image.finer.delete(other);
        void flow.then((f) => f?.field.dispose(), () => {});
      }
    }
    return untilAborted(built, ctx.signal);
  }

  /** The pipeline's view of a flow, for as long as `use` runs; an export's exact flow follows its size. */
  async #withFlow<T>(flow: FlowInUse, ctx: JobContext, use: (flow: OpenedFlow) => Promise<T>, outputSize?: number): Promise<T> {
    if (flow.kind === 'exact') {
      const { image } = flow;
      const finer = outputSize === undefined ? undefined : await this.#finerFlow(image, flow.noise, outputSize, ctx);
      if (finer !== undefined) return use({ field: finer.field, density: finer.density, model: undefined });
      const field = await this.#exactFlow(image, flow.noise, ctx);
      return use({ field, density: image.density, model: undefined });
    }
    const { stored } = flow;
    // onnxruntime for the many-particle solves: DESIGN §3 measured it ≈ 10× faster than tfjs-wasm (tfjs where it cannot load).
    const { field } = await createInferenceField(stored.model, { tempDir: this.#options.tempDir });
    try {
      return await use({ field, density: stored.density, model: stored.model });
    } finally {
      field.dispose();
    }
  }

  /** Previews are the interactive path: they run at once, beside whatever the queue is doing. */
  #startPreview(ref: FlowRef, particles: number, seed: number): string {
    const { flow, release } = this.#useFlow(ref);
    return this.#jobs.start(
      'preview',
      (ctx) => this.#withFlow(flow, ctx, async (opened) => trajectoryData(await computeTrajectory(opened.field, { particles, seed, steps: PREVIEW_SOLVER_STEPS }, ctx), opened.density)),
      { onDidEnd: release },
    );
  }

  /**
   * A request, not a job, but as heavy as a short export: it waits its turn in the same queue.
   * The dialog asks again at every edit and keeps only the newest answer, so a newer estimate
   * of the same flow cancels one still waiting or running; the older caller gets a cancellation.
   */
  async #estimate(request: RequestPayload<'export:estimate'>): Promise<SizeEstimate> {
    const { flow, release } = this.#useFlow(request.flow);
    const key = estimateKey(request.flow);
    this.#estimates.get(key)?.abort(new DOMException('A newer size estimate of the same flow replaced this one.', 'AbortError'));
    const controller = new AbortController();
    this.#estimates.set(key, controller);
    const ctx: JobContext = { signal: AbortSignal.any([controller.signal, this.#shutdown.signal]), progress: () => {} };
    try {
      const estimate = await this.#queue.run(ctx.signal, () =>
        this.#withFlow(flow, ctx, (opened) => estimateRenderSize(opened, request.format, request.settings, ctx), request.settings.size),
      );
      return { bytes: estimate.bytes, lowBytes: estimate.lowBytes, highBytes: estimate.highBytes };
    } finally {
      release();
      if (this.#estimates.get(key) === controller) this.#estimates.delete(key);
    }
  }

  /**
   * Trainings queue like exports: a second one waits for the first rather than being refused,
   * because taking turns is what keeps each budget whole (the trainers start their clock when
   * called, so a budget counts from the job's turn, not from the request).
   */
  #startTraining(request: RequestPayload<'train:start'>): string {
    const image = this.#image(request.imageId);
    return this.#jobs.start('train', async (ctx, job) => {
      const model = await trainDensity(
        image.density,
        request.method,
        {
          seconds: request.seconds,
          seed: request.seed,
          noise: request.noise,
          ...(this.#options.snapshotSeconds === undefined ? {} : { snapshotSeconds: this.#options.snapshotSeconds }),
          onSnapshot: async (snapshot) => {
            const points = await snapshotSamples(snapshot, ctx.signal);
            job.emit({ jobId: job.jobId, kind: 'train', type: 'samples', points, step: snapshot.training.steps });
          },
        },
        ctx,
      );
      const modelId = randomUUID();
      const file = path.join(this.#modelsDir, `${modelId}.flow`);
      ctx.progress({ stage: 'write', done: 0, total: 1 });
      await fs.promises.mkdir(this.#modelsDir, { recursive: true });
      await saveFlowFile(file, model, image.density);
      ctx.progress({ stage: 'write', done: 1, total: 1 });
      this.#addModel(modelId, { model, density: image.density, file, imageId: request.imageId });
      const { steps, seconds, finalLoss, backend } = model.training;
      return { modelId, method: model.method, steps, seconds, finalLoss, backend };
    }, { queued: true });
  }

  #addModel(modelId: ModelId, stored: StoredModel): void {
    this.#models.set(modelId, stored);
    for (const id of this.#models.keys()) {
      if (this.#models.size <= MAX_MODELS) break;
      this.#models.delete(id);
    }
  }

  #exportFolder(): string {
    return this.#options.defaultExportFolder ?? defaultExportFolder();
  }

  async #startExport(request: RequestPayload<'export:start'>): Promise<string> {
    const outputPath = absolute(request.outputPath, 'output path');
    if (request.flow.kind === 'exact') this.#image(request.flow.imageId);
    else this.#model(request.flow.modelId);
    // The app's own default folder is made on first use; any other missing folder is the user's to fix.
    const target = destinationPath(outputPath, request.format);
    if (path.dirname(target) === path.resolve(this.#exportFolder())) await fs.promises.mkdir(path.dirname(target), { recursive: true });
    const key = await targetKey(target);
    const existing = request.replace === true ? [] : await existingTargets([target]);
    // A bad destination fails the request in a moment, not the job after the particles are solved.
    const unwritable: unknown = await checkEncodeDestination(request.format, target).then(() => undefined, (error: unknown) => error);
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
    const { flow, release } = this.#useFlow(request.flow);
    // The export answers what the dialog's estimate was for: that estimate no longer holds a turn ahead of it.
    this.#estimates.get(estimateKey(request.flow))?.abort(new DOMException('The export of this flow replaced its size estimate.', 'AbortError'));
    const encoders = this.#options.encoders;
    const jobId = this.#jobs.start(
      'export',
      (ctx) =>
        this.#withFlow(flow, ctx, async (opened) => {
          const result = await renderToFile(opened, { outputPath, settings: request.settings, format: request.format, ...(encoders ? { encoders } : {}) }, ctx);
          return { outputPath: result.outputPath, sizeBytes: result.sizeBytes, frames: result.frames, width: result.width, height: result.height };
        }, request.settings.size),
      {
        queued: true,
        onDidEnd: () => {
          release();
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
    const stored = modelId === undefined ? undefined : this.#model(modelId);
    // The uploaded picture the project is about: the model's own, else the latest of that name.
    const candidates = [stored?.imageId === undefined ? undefined : this.#images.get(stored.imageId), ...[...this.#images.values()].reverse()];
    const upload = project.image.path === undefined ? candidates.find((i) => i?.bytes !== undefined && i.name === project.image.name) : undefined;
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
    const project = await readProject(projectPath);
    const flowFile = project.modelPath === undefined ? undefined : await loadFlowFile(project.modelPath);
    const densityOptions = { mass: project.density.mass, threshold: project.density.threshold };
    let density: ImageDensity;
    let imagePath = project.image.path;
    try {
      if (imagePath === undefined) throw new FlowGifError('IMAGE_NOT_FOUND', `The project ${projectPath} names no picture file.`, { file: projectPath });
      density = await loadDensity(imagePath, densityOptions);
    } catch (error) {
      // The model carries the density it learned: enough to keep working without the picture.
      if (!(isFlowGifError(error) && error.code === 'IMAGE_NOT_FOUND') || flowFile === undefined) throw error;
      density = flowFile.density;
      imagePath = undefined;
    }
    const image = this.#addImage({ density, name: project.image.name, path: imagePath, bytes: undefined, exact: new Map(), finer: new Map(), leases: 0, closed: false });
    let modelId: ModelId | undefined;
    if (flowFile !== undefined && project.modelPath !== undefined) {
      modelId = randomUUID();
      this.#addModel(modelId, { model: flowFile.model, density: flowFile.density, file: project.modelPath, imageId: image.imageId });
    }
    await this.#recent.add(projectPath);
    return { project, image, modelId };
  }
}

async function snapshotSamples(model: TrainedModel, signal: CancelSignal): Promise<Float32Array> {
  const field = await createModelField(model);
  try {
    return Float32Array.from(await sampleFlow(field, SNAPSHOT_POINTS, { seed: SNAPSHOT_SEED }, { signal, progress: () => {} }));
  } finally {
    field.dispose();
  }
}

/** A hold on an image's exact flow; the returned release (idempotent) frees it if the image was closed meanwhile. */
function leaseImage(image: OpenImage): () => void {
  image.leases++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    image.leases--;
    if (image.closed && image.leases === 0) freeExactFlow(image);
  };
}

/** Dropped from the open images: freed now, or when the last job using it ends. */
function closeImage(image: OpenImage): void {
  image.closed = true;
  if (image.leases === 0) freeExactFlow(image);
}

function freeExactFlow(image: OpenImage): void {
  const flows = [...image.exact.values()];
  image.exact.clear();
  for (const exact of flows) void exact.then((flow) => flow.dispose(), () => {});
  for (const finer of image.finer.values()) void finer.then((f) => f?.field.dispose(), () => {});
  image.finer.clear();
}

function estimateKey(flow: FlowRef): string {
  return flow.kind === 'exact' ? `exact:${flow.imageId}` : `model:${flow.modelId}`;
}

/** Resolves as `promise` does, or rejects with the abort as soon as the signal fires. */
function untilAborted<T>(promise: Promise<T>, signal: CancelSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
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
