/**
 * The one contract between the UI and the engine, whatever carries it: Electron IPC (preload +
 * contextBridge), a WebSocket (the web host), or an in-process call (tests). Channels are
 * `noun:verb`; requests answer with a Result; long work answers with a job id at once and then
 * speaks JobMessages. Every message is validated against shared/ipc/schemas.ts at both ends.
 */
import type { SerializedError } from '../errors.js';
import type { Progress } from '../job.js';
import type { NoiseShape } from '../noise.js';
import type { DensityMass } from '../density-mass.js';
import type { TextWeight } from '../text-picture.js';
import type { ExportFormat } from '../export-formats.js';
import type { BudgetFit } from '../size-budget.js';
import type { MorphStyle } from '../morph-style.js';
import type { Rgba } from '../render/colour.js';
import type { PictureBackground } from '../render/picture-background.js';
import type { RenderSettings } from '../render/render-settings.js';
import type { ModelBounds } from '../render/view.js';

/** Plain data, because an Error thrown in an Electron handler arrives as its message alone. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: SerializedError };

export type JobId = string;
export type ImageId = string;
export type ModelId = string;

/** Where a training method runs on this machine: 'onnxruntime', 'wasm', 'tensorflow-gpu', … */
export interface BackendInfo {
  readonly name: string;
  readonly label: string;
  readonly gpu: boolean;
}

export interface SampleInfo {
  /** File name in the bundled samples folder, e.g. flowgif-mark.png. */
  readonly name: string;
  readonly title: string;
}

export interface AppInfo {
  readonly version: string;
  /** Which host serves the UI: some features (native dialogs, show in folder) are Electron's. */
  readonly host: 'electron' | 'web';
  /** Each method's training backend: flow matching and FFJORD may run on different ones. */
  readonly trainingBackends: { readonly [M in TrainMethod]: BackendInfo };
  readonly samples: readonly SampleInfo[];
  /** Where exports go by default (the user's Pictures/FlowGIF or similar). */
  readonly defaultExportFolder: string;
  readonly recentProjects: readonly string[];
}

export type ImageSource =
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'sample'; readonly name: string }
  | { readonly kind: 'bytes'; readonly name: string; readonly bytes: Uint8Array }
  /** Text drawn as the picture in a bundled font (bundledFontFamilies; default the first), bold by default. */
  | { readonly kind: 'text'; readonly text: string; readonly font?: string; readonly weight?: TextWeight };

export interface DensitySettings {
  readonly mass: DensityMass;
  readonly threshold: number;
}

export interface ImageInfo {
  readonly imageId: ImageId;
  readonly name: string;
  /** Absolute path when the image came from disk; undefined for uploaded bytes. */
  readonly path: string | undefined;
  readonly originalWidth: number;
  readonly originalHeight: number;
  readonly bounds: ModelBounds;
  readonly density: DensitySettings;
  /** What the picture sits on: an output background of 'auto' is this. */
  readonly background: PictureBackground;
  /** The target density as a picture (mass dark on white), working resolution, RGBA. */
  readonly densityPreview: { readonly width: number; readonly height: number; readonly rgba: Uint8Array };
}

/** An image's exact flow (from noise of the given shape, default 'fitted'), or a trained model (its own noise). */
export type FlowRef =
  | { readonly kind: 'exact'; readonly imageId: ImageId; readonly noise?: NoiseShape }
  | { readonly kind: 'model'; readonly modelId: ModelId };

/** Particle paths the renderer interpolates locally (cubic Hermite) while scrubbing. */
export interface TrajectoryData {
  readonly particles: number;
  /** K level times, increasing from 0 to 1. */
  readonly times: Float64Array;
  /** K × particles × 2, level after level, interleaved x, y in model space. */
  readonly positions: Float32Array;
  /** Same layout: dx/dt at those positions. */
  readonly velocities: Float32Array;
  /** RGBA per particle: the picture's ink colour where the particle lands (colour-lookup.ts). */
  readonly imageColours: Uint8Array;
  /** The picture's mean ink: the cloud's one colour in the 'ink' mode. */
  readonly inkColour: Rgba;
  /** The density's background, for an 'auto' output background. */
  readonly background: PictureBackground;
  readonly bounds: ModelBounds;
}

export type TrainMethod = 'fm' | 'ffjord';

export interface TrainRequest {
  readonly imageId: ImageId;
  readonly method: TrainMethod;
  readonly seconds: number;
  readonly seed: number;
  /** The source noise's shape; default 'fitted'. */
  readonly noise?: NoiseShape;
}

export interface TrainDone {
  readonly modelId: ModelId;
  readonly method: TrainMethod;
  readonly steps: number;
  readonly seconds: number;
  readonly finalLoss: number;
  readonly backend: string;
}

export type { ExportFormat };

/**
 * More pictures after the export's own flow: a morph (fromNoise false: the flow's picture
 * becomes the next) or a sequence (noise → the flow's picture → the next …), each move in the
 * given style (shared/morph-style.ts).
 */
export interface SequenceRequest {
  readonly then: readonly FlowRef[];
  readonly style: MorphStyle;
  readonly fromNoise: boolean;
}

export interface ExportRequest {
  readonly flow: FlowRef;
  /** Without it the export is the flow alone, noise → picture. */
  readonly sequence?: SequenceRequest;
  readonly format: ExportFormat;
  /** A file for gif/mp4, a folder for png frames. */
  readonly outputPath: string;
  readonly settings: RenderSettings;
  /** The user agreed to replace what is at outputPath; without it an existing target is refused (OUTPUT_EXISTS). */
  readonly replace?: boolean;
  /** "Fit under": the file's most bytes; quality, frame rate and size are lowered as needed. */
  readonly maxBytes?: number;
}

export interface ExportDone {
  readonly outputPath: string;
  readonly sizeBytes: number;
  readonly frames: number;
  readonly width: number;
  readonly height: number;
  /** With maxBytes: what was changed to fit. */
  readonly budget?: BudgetFit;
}

/** One finished export, as the export history keeps it (newest first, across launches). */
export interface ExportRecord extends ExportDone {
  readonly format: ExportFormat;
  /** When it finished, ms since the epoch. */
  readonly finishedAt: number;
}

/** A history entry as the UI sees it: the file may have been moved or deleted since. */
export interface ExportHistoryEntry extends ExportRecord {
  readonly missing: boolean;
}

/** What a copy put on the clipboard: always the path as text; the file where the platform can name one; the picture for GIF and APNG. */
export type CopiedPart = 'path' | 'file' | 'image';

export interface SizeEstimate {
  readonly bytes: number;
  readonly lowBytes: number;
  readonly highBytes: number;
  /** Frames the export will have: the dialog counts a plain flow's itself, a sequence's only the engine can. */
  readonly frames: number;
}

/** What a .flowgif project file holds: enough to reopen the work exactly. */
export interface ProjectData {
  readonly version: 1;
  readonly image: { readonly name: string; readonly path: string | undefined };
  readonly density: DensitySettings;
  readonly settings: RenderSettings;
  /** noise: the source's shape for the exact flow and training; absent in projects saved before it (then 'fitted'). */
  readonly training: { readonly method: TrainMethod; readonly seconds: number; readonly seed: number; readonly noise?: NoiseShape };
  /** Path of the trained .flow model saved beside the project, when there is one. */
  readonly modelPath: string | undefined;
}

/** Request channel → [request payload, response value]. */
export interface RequestMap {
  'app:info': [Record<string, never>, AppInfo];
  'image:open': [{ readonly source: ImageSource; readonly density?: Partial<DensitySettings> }, ImageInfo];
  /** swirl: turns, as RenderSettings.swirl; the preview's paths are the export's. */
  'preview:start': [{ readonly flow: FlowRef; readonly particles: number; readonly seed: number; readonly swirl?: number }, { readonly jobId: JobId }];
  'train:start': [TrainRequest, { readonly jobId: JobId }];
  'job:cancel': [{ readonly jobId: JobId }, { readonly cancelled: boolean }];
  /** "Stop and keep": the training ends after its current step, done with the model so far (one still queued is cancelled). */
  'train:finish': [{ readonly jobId: JobId }, { readonly finishing: boolean }];
  /** A job (kind 'estimate') that ends done with the SizeEstimate; a newer estimate of the same flow, or its export, cancels it. */
  'export:estimate': [Omit<ExportRequest, 'outputPath' | 'replace' | 'maxBytes'>, { readonly jobId: JobId }];
  'export:start': [ExportRequest, { readonly jobId: JobId }];
  /** `replace`: the user agreed to replace existing files; without it they are refused (OUTPUT_EXISTS). */
  'project:save': [{ readonly path: string; readonly project: ProjectData; readonly modelId?: ModelId; readonly replace?: boolean }, { readonly path: string }];
  /** modelMethod: how the model beside the project was trained (what it can do: swirl needs fm); absent without a model. */
  'project:open': [{ readonly path: string }, { readonly project: ProjectData; readonly image: ImageInfo; readonly modelId: ModelId | undefined; readonly modelMethod?: TrainMethod }];
  /** Host features: a native dialog in Electron; the web host answers HOST_UNSUPPORTED. */
  'dialog:open-image': [Record<string, never>, { readonly path: string | undefined }];
  'dialog:open-project': [Record<string, never>, { readonly path: string | undefined }];
  'dialog:save-path': [{ readonly defaultName: string; readonly format: ExportFormat | 'project' }, { readonly path: string | undefined }];
  'shell:show-in-folder': [{ readonly path: string }, { readonly shown: boolean }];
  /** The engine's export history: files this app exported, newest first, each marked missing if gone. */
  'export:history': [Record<string, never>, { readonly entries: readonly ExportHistoryEntry[] }];
  /** Host features for a file on the export history: the clipboard, and a drag out of the window (Electron). */
  'export:copy': [{ readonly path: string }, { readonly copied: readonly CopiedPart[] }];
  'export:drag': [{ readonly path: string }, { readonly started: boolean }];
}

export type RequestChannel = keyof RequestMap;
export type RequestPayload<C extends RequestChannel> = RequestMap[C][0];
export type ResponseValue<C extends RequestChannel> = RequestMap[C][1];

/** What each kind of job resolves with. */
export interface JobDoneMap {
  preview: TrajectoryData;
  train: TrainDone;
  export: ExportDone;
  estimate: SizeEstimate;
}
export type JobKind = keyof JobDoneMap;

/**
 * The requests that start a job, each with the kind of job it starts; each answers { jobId } at
 * once and the job then speaks JobMessages. The one list: transports learn job ids from exactly
 * these answers, and the schema's job kinds are its values. A new kind of job is one line here
 * (and its value type in JobDoneMap).
 */
export const jobStartChannels = {
  'preview:start': 'preview',
  'train:start': 'train',
  'export:start': 'export',
  'export:estimate': 'estimate',
} as const satisfies { readonly [C in RequestChannel]?: RequestMap[C][1] extends { readonly jobId: JobId } ? JobKind : never };

export type JobStartChannel = keyof typeof jobStartChannels;

/** Every kind of job, once each, in the order of jobStartChannels. */
export const jobKinds: readonly JobKind[] = [...new Set(Object.values(jobStartChannels))];

/** The kind of job `channel` starts, or undefined for requests that start none. */
export function jobKindOf(channel: RequestChannel): JobKind | undefined {
  return Object.hasOwn(jobStartChannels, channel) ? jobStartChannels[channel as JobStartChannel] : undefined;
}

/** Events of one job, pushed on the `job:event` channel (throttled to ≤ 10 progress events/s). */
export type JobMessage =
  | { readonly jobId: JobId; readonly kind: JobKind; readonly type: 'progress'; readonly progress: Progress }
  /** Training only: a few thousand model samples at t = 1 every few seconds, interleaved x, y. */
  | { readonly jobId: JobId; readonly kind: 'train'; readonly type: 'samples'; readonly points: Float32Array; readonly step: number }
  | { readonly jobId: JobId; readonly kind: JobKind; readonly type: 'done'; readonly value: JobDoneMap[JobKind] }
  | { readonly jobId: JobId; readonly kind: JobKind; readonly type: 'failed'; readonly error: SerializedError }
  | { readonly jobId: JobId; readonly kind: JobKind; readonly type: 'cancelled' };

export const JOB_EVENT_CHANNEL = 'job:event';

/** What the renderer sees: the same object whichever transport is underneath. */
export interface FlowGifApi {
  invoke<C extends RequestChannel>(channel: C, payload: RequestPayload<C>): Promise<Result<ResponseValue<C>>>;
  /** Returns the unsubscribe function its owner calls on teardown. */
  onDidJobEvent(listener: (message: JobMessage) => void): () => void;
}

export const requestChannels: readonly RequestChannel[] = [
  'app:info',
  'image:open',
  'preview:start',
  'train:start',
  'job:cancel',
  'train:finish',
  'export:estimate',
  'export:start',
  'project:save',
  'project:open',
  'dialog:open-image',
  'dialog:open-project',
  'dialog:save-path',
  'shell:show-in-folder',
  'export:history',
  'export:copy',
  'export:drag',
];
