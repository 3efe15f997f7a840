import type {
  AppInfo,
  DensitySettings,
  ExportFormat,
  FlowGifApi,
  FlowRef,
  ImageId,
  ExportHistoryEntry,
  ImageInfo,
  ImageSource,
  JobKind,
  ModelId,
  ProjectData,
  RequestChannel,
  RequestPayload,
  ResponseValue,
  SequenceRequest,
  TrainDone,
  TrainMethod,
  TrajectoryData,
} from '../../../shared/ipc/contract.js';
import { isCancellation, serializeError, type SerializedError } from '../../../shared/errors.js';
import { DEFAULT_NOISE_SHAPE, type NoiseShape } from '../../../shared/noise.js';
import { DEFAULT_MORPH_STYLE, type MorphStyle } from '../../../shared/morph-style.js';
import { defaultRenderSettings, type RenderSettings } from '../../../shared/render/render-settings.js';
import { describeError, type Described } from './error-table.js';
import { JobRouter } from './jobs.js';
import { JobSlot } from './job-slot.svelte.js';
import { baseName } from './format.js';
import { debounce } from './debounce.js';
import { SvelteMap } from 'svelte/reactivity';
import { MAX_PREVIEW_PARTICLES } from '../../../shared/ipc/schemas.js';

/** Enough for the picture to read clearly; PreviewRenderer draws fewer while playing if slow. */
export const PREVIEW_PARTICLES = 50_000;
/** The first, coarse pass of every preview: a fraction of a second even for trained models. */
export const FIRST_PREVIEW_PARTICLES = 6_000;
const LOSS_POINTS = 400;
/** A training this close to its budget when it ended ran its budget, whatever was asked. */
const FINISHED_BUDGET_SLACK_S = 0.5;
/** A dragged slider (swirl) restarts the preview once it rests this long: each restart is a new solve. */
export const LIVE_PREVIEW_DELAY_MS = 300;

/**
 * Pictures an export may flow into after the open one. The engine takes up to eleven
 * (MAX_SEQUENCE_PICTURES), but it keeps only eight pictures open (main/service/image-registry.ts)
 * and drops the oldest: five leave room for the open picture and a few density changes.
 */
export const MAX_MORPH_TARGETS = 5;

export type PreviewState = 'empty' | 'loading' | 'ready';

export interface LossPoint {
  readonly step: number;
  readonly loss: number;
}

/**
 * Everything the screens share, with the actions that talk to the host. Big data (the
 * trajectory, samples) is $state.raw: it is replaced, never mutated, and must not be proxied.
 * Each kind of job (preview, training, export) lives in its JobSlot: status, progress, error.
 */
export class AppState {
  readonly router: JobRouter;

  info = $state.raw<AppInfo | undefined>(undefined);
  /** The unexpected (or host-level) error shown in the banner; input problems sit by their control. */
  banner = $state.raw<Described | undefined>(undefined);
  /** News that is no error (the web host came back), shown a moment above the preview. */
  notice = $state<string | undefined>(undefined);

  image = $state.raw<ImageInfo | undefined>(undefined);
  imageBusy = $state(false);
  imageError = $state.raw<Described | undefined>(undefined);
  density = $state<DensitySettings>({ mass: 'auto', threshold: 0 });
  private source: ImageSource | undefined;

  readonly preview: JobSlot<'preview'>;
  trajectory = $state.raw<TrajectoryData | undefined>(undefined);
  previewState = $state<PreviewState>('empty');
  previewFlow = $state<'exact' | 'model'>('exact');
  /** The swirl (turns) of the trajectory on screen. */
  previewSwirl = $state(0);
  /**
   * The swirl and particle count the newest preview was asked for: a settings change restarts
   * the preview when they differ from what it now wants (new paths are a new solve).
   */
  private askedSwirl = 0;
  private askedParticles = PREVIEW_PARTICLES;
  private readonly restartForPaths = debounce(() => {
    const flow = this.flow;
    if (flow !== undefined && this.pathsOutdated) void this.startPreview(flow);
  }, LIVE_PREVIEW_DELAY_MS);
  /** "Preview with these particles": the preview's full pass draws the export's particle count. */
  previewAtExportCount = $state(false);
  /**
   * Bumped when the settings are replaced from elsewhere than the export panel (a project
   * opened): an open panel refills its form from them instead of writing its old one back.
   */
  settingsReplaced = $state(0);

  method = $state<TrainMethod>('fm');
  /** The source noise of the exact flow and of the next training; a trained model keeps its own. */
  noise = $state<NoiseShape>(DEFAULT_NOISE_SHAPE);
  trainSeconds = $state(60);
  trainSeed = $state(0);
  readonly training: JobSlot<'train'>;
  loss = $state.raw<readonly LossPoint[]>([]);
  samples = $state.raw<{ points: Float32Array; step: number } | undefined>(undefined);
  trained = $state.raw<TrainDone | undefined>(undefined);
  /** "Stop and keep" was asked of the running training: it ends done with the model so far. */
  trainingFinishing = $state(false);
  /** The last training ended by "Stop and keep" rather than its budget. */
  trainingKeptEarly = $state(false);
  /** Trained models by the picture and density settings they were trained on (setDensity). */
  private readonly keptModels = new SvelteMap<
    string,
    { readonly modelId: ModelId; readonly method: TrainMethod | undefined; readonly trained: TrainDone | undefined; readonly shown: boolean }
  >();
  /** The density settings the model on offer was trained on (the picture's when it was adopted). */
  private modelDensity: DensitySettings | undefined;
  /** The picture (its source, by identity: an upload's bytes are not worth comparing) keptModels belong to. */
  private keptFor: ImageSource | undefined;
  modelId = $state<ModelId | undefined>(undefined);
  /** How the model was trained; undefined without one. */
  modelMethod = $state<TrainMethod | undefined>(undefined);

  settings = $state.raw<RenderSettings>(defaultRenderSettings);

  readonly export: JobSlot<'export'>;
  /** The file an export would replace, waiting for the user's answer; the export it belongs to. */
  exportReplace = $state<string | undefined>(undefined);
  /** The engine's export history as it last answered: newest first, missing files marked. */
  exportHistory = $state<readonly ExportHistoryEntry[]>([]);
  private exportAsked: { format: ExportFormat; outputPath: string; maxBytes: number | undefined } | undefined;

  projectPath = $state<string | undefined>(undefined);
  /** projectSnapshot when the work was last saved, opened, or its picture opened. */
  private savedSnapshot = $state<string | undefined>(undefined);
  /** The file a project save would replace, waiting for the user's answer; the save it belongs to. */
  projectReplace = $state<string | undefined>(undefined);
  private projectAsked: string | undefined;

  constructor(
    readonly api: FlowGifApi,
    readonly pathForFile: (file: File) => string | undefined = () => undefined,
  ) {
    this.router = new JobRouter(api);
    this.preview = this.jobSlot();
    this.training = this.jobSlot();
    this.export = this.jobSlot();
  }

  /** A slot for one more kind of job (a dialog's own, such as a size estimate), on the same router. */
  jobSlot<K extends JobKind>(): JobSlot<K> {
    return new JobSlot<K>(this.api, this.router, (error) => this.report(error));
  }

  dispose(): void {
    this.restartForPaths.cancel();
    this.router.dispose();
  }

  /** A request whose failure goes to `onError` (default: the banner); undefined when it failed. */
  async call<C extends RequestChannel>(
    channel: C,
    payload: RequestPayload<C>,
    onError: (d: Described) => void = (d) => this.showError(d),
  ): Promise<ResponseValue<C> | undefined> {
    try {
      const result = await this.api.invoke(channel, payload);
      if (result.ok) return result.value;
      if (!isCancellation(result.error)) onError(describeError(result.error));
    } catch (error) {
      onError(describeError(serializeError(error)));
    }
    return undefined;
  }

  showError(d: Described): void {
    this.banner = d;
  }

  report(error: SerializedError): void {
    if (!isCancellation(error)) this.showError(describeError(error));
  }

  /**
   * The web host is back, with a new engine: none of the old ids mean anything there. The picture
   * is opened again from where it came from and its preview redrawn; the settings, the project
   * and the timeline stay as they were. A trained model lived in the old engine: unless a saved
   * project holds it, it is gone, and the notice says so.
   */
  async reconnected(): Promise<void> {
    const lostModel = this.modelId !== undefined || this.keptModels.size > 0;
    const hadPicture = this.image !== undefined;
    this.keptModels.clear();
    this.keptFor = undefined;
    this.morphTargets = [];
    await this.loadInfo();
    const reopened = !hadPicture || (this.source !== undefined && (await this.openImage(this.source, this.density, true)));
    if (!reopened) {
      // Its ids mean nothing to the new engine: show nothing rather than a picture that cannot be used.
      this.image = undefined;
      this.trajectory = undefined;
      this.previewState = 'empty';
      this.forgetModel();
    }
    // Only now: until the picture is open in the new engine, the banner still says it stopped.
    if (this.banner?.code === 'ENGINE_STOPPED') this.banner = undefined;
    const again = this.projectPath === undefined ? 'open the picture again' : 'open the project again';
    this.notice = `Reconnected to FlowGIF.${!reopened ? ` The new engine does not have your picture: ${again}.` : lostModel ? ' The trained model ended with the old engine: train again, or open the saved project.' : ''}`;
  }

  async loadInfo(): Promise<void> {
    const info = await this.call('app:info', {});
    if (info !== undefined) this.info = info;
  }

  // ---- image ----------------------------------------------------------------------------

  /**
   * Another picture is another piece of work: the open project no longer describes it, so the
   * title says Untitled and Save asks where (setDensity reopens the same picture and keeps it).
   */
  async openImage(source: ImageSource, density: Partial<DensitySettings> = {}, keepProject = false): Promise<boolean> {
    this.imageBusy = true;
    this.imageError = undefined;
    const shown = (d: Described): void => {
      if (d.place === 'input') this.imageError = d;
      else this.showError(d);
    };
    const info = await this.call('image:open', { source, density }, shown);
    this.imageBusy = false;
    // A failed open keeps the picture and preview the user had.
    if (info === undefined) return false;
    this.adoptImage(info, source);
    if (!keepProject) {
      this.projectPath = undefined;
      this.savedSnapshot = this.projectSnapshot;
      this.keptModels.clear();
      this.keptFor = undefined;
    }
    void this.startPreview(this.exactFlow(info.imageId));
    return true;
  }

  /** The host's native file dialog (Electron); the web host has none and says so. */
  async openImageDialog(): Promise<void> {
    const picked = await this.call('dialog:open-image', {});
    if (picked?.path !== undefined) await this.openImage({ kind: 'path', path: picked.path }, this.density);
  }

  /**
   * Same picture, new mass/threshold: a new density, which a model trained on the old one does
   * not describe. The model is kept with the settings it was trained on (the engine keeps it
   * too), so setting them back brings it back, shown as it was.
   */
  async setDensity(density: Partial<DensitySettings>): Promise<void> {
    const source = this.source;
    if (source !== this.keptFor) {
      this.keptModels.clear();
      this.keptFor = source;
    }
    if (this.modelId !== undefined && this.modelDensity !== undefined) {
      this.keptModels.set(densityKey(this.modelDensity), { modelId: this.modelId, method: this.modelMethod, trained: this.trained, shown: this.previewFlow === 'model' });
    }
    this.density = { ...this.density, ...density };
    if (source === undefined) return;
    await this.openImage(source, this.density, true);
    const kept = this.source === source ? this.keptModels.get(densityKey(this.density)) : undefined;
    if (kept === undefined || this.modelId !== undefined) return;
    this.adoptModel(kept.modelId, kept.method, kept.trained);
    if (kept.shown) this.showModel();
  }

  /** The model on offer for the picture at its density settings now: trained, opened with a project, or kept. */
  private adoptModel(modelId: ModelId, method: TrainMethod | undefined, trained: TrainDone | undefined): void {
    this.modelId = modelId;
    this.modelMethod = method;
    this.trained = trained;
    this.modelDensity = { ...this.density };
  }

  /** Models trained on this picture at other density settings than the ones now, kept for when they return. */
  get modelsAtOtherSettings(): number {
    if (this.source === undefined || this.source !== this.keptFor) return 0;
    const here = densityKey(this.density);
    let count = 0;
    for (const key of this.keptModels.keys()) if (key !== here) count++;
    return count;
  }

  private adoptImage(info: ImageInfo, source: ImageSource | undefined): void {
    this.image = info;
    this.density = { ...info.density };
    this.source = source;
    this.forgetModel();
    if (!this.training.running) {
      this.training.reset();
      this.loss = [];
      this.samples = undefined;
    }
  }

  /** No model on offer: a new picture, or an engine that no longer holds it. */
  private forgetModel(): void {
    this.modelId = undefined;
    this.modelDensity = undefined;
    this.modelMethod = undefined;
    this.trained = undefined;
    this.previewFlow = 'exact';
  }

  // ---- morph and sequence -----------------------------------------------------------------

  /** The pictures the export flows into after the open one, in order: one is a morph, more a sequence. */
  morphTargets = $state.raw<ImageInfo[]>([]);
  morphStyle = $state<MorphStyle>(DEFAULT_MORPH_STYLE);
  /** From the noise into the first picture (as a plain export does), or from the first picture itself. */
  morphFromNoise = $state(true);
  morphBusy = $state(false);
  morphError = $state.raw<Described | undefined>(undefined);

  get canAddMorphTarget(): boolean {
    return this.image !== undefined && !this.morphBusy && this.morphTargets.length < MAX_MORPH_TARGETS;
  }

  /**
   * Opens a picture to morph into: it joins the list, the open picture and its preview stay.
   * It keeps its own default density; a failed open leaves the list as it was.
   */
  async addMorphTarget(source: ImageSource): Promise<void> {
    if (!this.canAddMorphTarget) return;
    this.morphBusy = true;
    this.morphError = undefined;
    // A picture's own problem shows by the list, as it would by the picker; the host's go to the banner.
    const info = await this.call('image:open', { source, density: {} }, (d) => (d.place === 'input' ? (this.morphError = d) : this.showError(d)));
    this.morphBusy = false;
    if (info !== undefined) this.morphTargets = [...this.morphTargets, info];
  }

  removeMorphTarget(imageId: ImageId): void {
    this.morphTargets = this.morphTargets.filter((target) => target.imageId !== imageId);
    this.morphError = undefined;
  }

  /** What the export adds after the flow on screen, or undefined for the flow alone. */
  get sequence(): SequenceRequest | undefined {
    if (this.morphTargets.length === 0) return undefined;
    // Each picture's exact flow from the same noise shape as the open one's, so their clouds match.
    const then = this.morphTargets.map((target): FlowRef => ({ kind: 'exact', imageId: target.imageId, noise: this.noise }));
    return { then, style: this.morphStyle, fromNoise: this.morphFromNoise };
  }

  // ---- preview ----------------------------------------------------------------------------

  /**
   * A coarse pass first, so the picture moves within a moment; then the full one. The same seed
   * draws the same first particles, so the refinement only adds particles, it moves none. A newer
   * preview supersedes both passes. Resolves when this preview has settled or been superseded.
   */
  startPreview(flow: FlowRef): Promise<void> {
    this.previewState = 'loading';
    this.previewFlow = flow.kind;
    const swirl = this.swirl;
    const full = this.previewParticles;
    this.askedSwirl = swirl;
    this.askedParticles = full;
    if (full <= FIRST_PREVIEW_PARTICLES) return this.previewPass(flow, full, swirl);
    return this.previewPass(flow, FIRST_PREVIEW_PARTICLES, swirl, () => this.previewPass(flow, full, swirl));
  }

  /** The particles of the preview's full pass: the app's own count, or the export's when asked (up to what a preview can carry). */
  get previewParticles(): number {
    return this.previewAtExportCount ? Math.min(this.settings.particles, MAX_PREVIEW_PARTICLES) : PREVIEW_PARTICLES;
  }

  private get pathsOutdated(): boolean {
    return this.swirl !== this.askedSwirl || this.previewParticles !== this.askedParticles;
  }

  /** Whether the preview draws the export's particle count; a change redraws it once settings rest. */
  setPreviewAtExportCount(on: boolean): void {
    this.previewAtExportCount = on;
    this.restartIfPathsChanged();
  }

  private restartIfPathsChanged(): void {
    if (this.pathsOutdated) this.restartForPaths();
    else this.restartForPaths.cancel();
  }

  /** 'loading': how far the first pass is; the full pass refines silently. */
  get previewProgress(): number {
    return this.preview.fraction;
  }

  /** `then` starts in the done handler itself, so no other start can slip in between the passes. */
  private async previewPass(flow: FlowRef, particles: number, swirl: number, then?: () => Promise<void>): Promise<void> {
    let next: Promise<void> | undefined;
    const settled = (): void => {
      this.previewState = this.trajectory === undefined ? 'empty' : 'ready';
    };
    await this.preview.start(() => this.api.invoke('preview:start', { flow, particles, seed: 0, swirl }), {
      done: (data) => {
        this.trajectory = data;
        this.previewSwirl = swirl;
        this.previewState = 'ready';
        next = then?.();
      },
      failed: (d) => {
        settled();
        this.showError(d);
      },
      cancelled: settled,
    });
    await next;
  }

  showExact(): void {
    if (this.image !== undefined) void this.startPreview(this.exactFlow(this.image.imageId));
  }

  /** A new noise shape: the exact flow on screen starts again from it. */
  setNoise(noise: NoiseShape): void {
    if (noise === this.noise) return;
    this.noise = noise;
    if (this.previewFlow === 'exact') this.showExact();
  }

  private exactFlow(imageId: ImageId): FlowRef {
    return { kind: 'exact', imageId, noise: this.noise };
  }

  showModel(): void {
    if (this.modelId !== undefined) void this.startPreview({ kind: 'model', modelId: this.modelId });
  }

  /** The flow exports use: the one on screen. */
  get flow(): FlowRef | undefined {
    if (this.previewFlow === 'model' && this.modelId !== undefined) return { kind: 'model', modelId: this.modelId };
    return this.image === undefined ? undefined : this.exactFlow(this.image.imageId);
  }

  /**
   * Swirl spins along the score, which the velocity gives only on the flow-matching path: the
   * exact flow and fm models. The engine refuses it for FFJORD (main/engine/flow/swirl.ts).
   */
  get swirlApplies(): boolean {
    return this.previewFlow === 'exact' || this.modelId === undefined || this.modelMethod === 'fm';
  }

  /** The swirl the flow on screen is drawn and exported with: the setting, or 0 where it cannot swirl. */
  get swirl(): number {
    return this.swirlApplies ? this.settings.swirl : 0;
  }

  /** Settings as the flow on screen renders them: a kept swirl is left out where it cannot apply. */
  settingsForFlow(settings: RenderSettings = this.settings): RenderSettings {
    return this.swirlApplies || settings.swirl === 0 ? settings : { ...settings, swirl: 0 };
  }

  /**
   * New export settings (the dialog's valid edits); a new swirl, or a new particle count the
   * preview draws, restarts the preview once it rests.
   */
  setSettings(settings: RenderSettings): void {
    this.settings = settings;
    this.restartIfPathsChanged();
  }

  // ---- training ---------------------------------------------------------------------------

  async startTraining(): Promise<void> {
    const image = this.image;
    if (image === undefined || this.training.running) return;
    this.loss = [];
    this.samples = undefined;
    this.trainingFinishing = false;
    this.trainingKeptEarly = false;
    const imageId = image.imageId;
    const request = { imageId, method: this.method, seconds: this.trainSeconds, seed: this.trainSeed, noise: this.noise };
    await this.training.start(() => this.api.invoke('train:start', request), {
      progress: (p) => {
        const loss = p.metrics?.['loss'];
        const step = p.metrics?.['step'];
        if (loss !== undefined && Number.isFinite(loss)) this.pushLoss({ step: step ?? this.loss.length, loss });
      },
      samples: (points, step) => (this.samples = { points, step }),
      done: (value) => {
        // Asked to stop and it did stop short of its budget: a stop that came as the budget ran out is plain Done.
        this.trainingKeptEarly = this.trainingFinishing && value.seconds < request.seconds - FINISHED_BUDGET_SLACK_S;
        this.trainingFinishing = false;
        // The user may have opened another picture meanwhile: that model belongs to the old one.
        if (this.image?.imageId !== imageId) return;
        this.adoptModel(value.modelId, value.method, value);
        this.showModel();
      },
      failed: (d) => {
        if (d.unexpected) this.showError(d);
      },
    });
  }

  cancelTraining(): void {
    this.trainingFinishing = false;
    this.training.cancel();
  }

  /** "Stop and keep": the training ends after its current step and its model so far is shown, as when its budget ends. */
  finishTraining(): void {
    const jobId = this.training.jobId;
    if (!this.training.running || jobId === undefined || this.trainingFinishing) return;
    this.trainingFinishing = true;
    void this.call('train:finish', { jobId }).then((answer) => {
      // Refused (the banner says why), or not finishing: the training had ended, or was being
      // cancelled, before the request arrived.
      if (answer?.finishing !== true) this.trainingFinishing = false;
    });
  }

  private pushLoss(point: LossPoint): void {
    let next = [...this.loss, point];
    // Halve the history when it grows: the chart keeps its shape at a bounded cost.
    if (next.length > LOSS_POINTS) next = next.filter((_, i) => i % 2 === 0 || i === next.length - 1);
    this.loss = next;
  }

  // ---- export -----------------------------------------------------------------------------

  /**
   * `replace`: the user agreed to replace what is there; without it the engine refuses and the UI asks.
   * `maxBytes`: "Fit under", the file's most bytes.
   */
  async startExport(format: ExportFormat, outputPath: string, replace = false, maxBytes?: number): Promise<void> {
    const flow = this.flow;
    if (flow === undefined || this.export.running) return;
    this.dismissExportReplace();
    const sequence = this.sequence;
    const request = {
      flow,
      format,
      outputPath,
      settings: this.settingsForFlow(),
      ...(sequence === undefined ? {} : { sequence }),
      ...(replace ? { replace } : {}),
      ...(maxBytes === undefined ? {} : { maxBytes }),
    };
    await this.export.start(() => this.api.invoke('export:start', request), {
      // The engine put it on the history as it finished.
      done: () => void this.loadExportHistory(),
      failed: (d) => {
        if (d.code !== 'OUTPUT_EXISTS' || replace) return;
        // Not a failure yet: a question for the user, and the same export again if they agree.
        this.export.reset();
        this.exportAsked = { format, outputPath, maxBytes };
        this.exportReplace = d.file ?? outputPath;
      },
    });
  }

  /** The engine keeps the history; the UI only shows its latest answer. */
  async loadExportHistory(): Promise<void> {
    const answer = await this.call('export:history', {});
    if (answer !== undefined) this.exportHistory = answer.entries;
  }

  cancelExport(): void {
    this.export.cancel();
  }

  /** The user agreed: the same export again, allowed to replace the file. */
  confirmExportReplace(): void {
    const asked = this.exportAsked;
    if (asked !== undefined) void this.startExport(asked.format, asked.outputPath, true, asked.maxBytes);
  }

  dismissExportReplace(): void {
    this.exportReplace = undefined;
    this.exportAsked = undefined;
  }

  // ---- projects ---------------------------------------------------------------------------

  projectData(): ProjectData | undefined {
    const image = this.image;
    if (image === undefined) return undefined;
    return {
      version: 1,
      image: { name: image.name, path: image.path },
      density: { ...this.density },
      settings: this.settings,
      training: { method: this.method, seconds: this.trainSeconds, seed: this.trainSeed, noise: this.noise },
      modelPath: undefined,
    };
  }

  /**
   * False when it was not saved: failed, or waiting for the user to agree to replace files
   * (projectReplace), after which confirmProjectReplace saves it.
   */
  async saveProject(path: string, replace = false): Promise<boolean> {
    const project = this.projectData();
    if (project === undefined) return false;
    // What this save writes: later changes, made while it runs, stay unsaved.
    const snapshot = this.projectSnapshot;
    this.dismissProjectReplace();
    const failed = (d: Described): void => {
      if (d.code === 'OUTPUT_EXISTS' && !replace) {
        this.projectAsked = path;
        this.projectReplace = d.file ?? path;
      } else this.showError(d);
    };
    const saved = await this.call(
      'project:save',
      { path, project, ...(this.modelId === undefined ? {} : { modelId: this.modelId }), ...(replace ? { replace } : {}) },
      failed,
    );
    if (saved === undefined) return false;
    // The engine's path: it may have added the extension.
    this.projectPath = saved.path;
    this.savedSnapshot = snapshot;
    await this.refreshRecent();
    return true;
  }

  confirmProjectReplace(): Promise<boolean> {
    const asked = this.projectAsked;
    return asked === undefined ? Promise.resolve(false) : this.saveProject(asked, true);
  }

  dismissProjectReplace(): void {
    this.projectReplace = undefined;
    this.projectAsked = undefined;
  }

  async openProject(path: string): Promise<boolean> {
    const opened = await this.call('project:open', { path });
    if (opened === undefined) return false;
    const { project, image, modelId, modelMethod } = opened;
    const source: ImageSource | undefined = image.path === undefined ? undefined : { kind: 'path', path: image.path };
    this.adoptImage(image, source);
    this.settings = project.settings;
    this.settingsReplaced++;
    this.method = project.training.method;
    this.trainSeconds = project.training.seconds;
    this.trainSeed = project.training.seed;
    this.noise = project.training.noise ?? DEFAULT_NOISE_SHAPE;
    this.projectPath = path;
    if (modelId !== undefined) {
      this.adoptModel(modelId, modelMethod, undefined);
      void this.startPreview({ kind: 'model', modelId });
    } else void this.startPreview(this.exactFlow(image.imageId));
    this.savedSnapshot = this.projectSnapshot;
    await this.refreshRecent();
    return true;
  }

  get projectName(): string {
    return this.projectPath === undefined ? 'Untitled' : baseName(this.projectPath);
  }

  /** What a save would write (the project and its model), as text to compare. */
  private get projectSnapshot(): string | undefined {
    const project = this.projectData();
    return project === undefined ? undefined : JSON.stringify({ project, modelId: this.modelId });
  }

  /**
   * Work a save would keep and nothing has: a change since the project was saved or opened, or
   * since the picture was opened. A picture just opened and left alone is not unsaved work.
   */
  get unsaved(): boolean {
    return this.image !== undefined && this.projectSnapshot !== this.savedSnapshot;
  }

  /** Closing the window now would lose something: unsaved work, or a training still running. */
  get closeWouldLose(): boolean {
    return this.unsaved || this.training.running;
  }

  /** The window's title: the project, marked while it has unsaved changes. */
  get windowTitle(): string {
    return this.image === undefined ? 'FlowGIF' : `${this.unsaved ? '• ' : ''}${this.projectName} — FlowGIF`;
  }

  /**
   * The engine keeps the recent list (its order, its length, its normalised paths): after a
   * save or an open, ask for it again rather than keep a copy. A failed ask keeps the old list.
   */
  private async refreshRecent(): Promise<void> {
    const info = await this.call('app:info', {}, () => {});
    if (info !== undefined) this.info = info;
  }
}

/** Density settings as the key a picture's trained models are kept under. */
function densityKey(density: DensitySettings): string {
  return `${density.mass}|${density.threshold}`;
}
