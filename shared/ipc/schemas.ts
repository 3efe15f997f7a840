/**
 * Runtime checks for every message of shared/ipc/contract.ts, at both ends of every transport.
 * A message that fails becomes FlowGifError('IPC_INVALID') naming the channel and the field, so
 * a bug on one side is reported where it crosses, not as a crash deep inside the other.
 */
import * as v from 'valibot';
import { FlowGifError, errorCodes, type SerializedError } from '../errors.js';
import { exportFormats } from '../export-formats.js';
import { stages, type Progress } from '../job.js';
import { NOISE_SHAPES } from '../noise.js';
import { MAX_SEQUENCE_PICTURES, morphStyles } from '../morph-style.js';
import { densityMasses } from '../density-mass.js';
import { bundledFontFamilies, MAX_TEXT_CHARACTERS, textWeights } from '../text-picture.js';
import { budgetSettings } from '../size-budget.js';
import { resolveRenderSettings, styleRanges, type RenderSettings } from '../render/render-settings.js';
import type { ModelBounds } from '../render/view.js';
import type {
  DensitySettings,
  JobMessage,
  ProjectData,
  RequestChannel,
  RequestPayload,
  ResponseValue,
  Result,
  TrajectoryData,
} from './contract.js';
import { jobKinds, requestChannels } from './contract.js';

/**
 * A key the contract types as `T | undefined`. JSON (the WebSocket codec) drops undefined
 * values, so on the wire the key may be absent; the declared type keeps it required for callers.
 */
function orUndefined<T>(schema: v.GenericSchema<unknown, T>): v.GenericSchema<unknown, T | undefined> {
  return v.optional(schema) as unknown as v.GenericSchema<unknown, T | undefined>;
}

const finite = v.pipe(v.number(), v.finite());
const wholeAtLeast = (min: number) => v.pipe(v.number(), v.integer(), v.minValue(min));
const id = v.pipe(v.string(), v.minLength(1), v.maxLength(200));
const seed = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 32 - 1));
const swirlTurns = v.pipe(v.number(), v.finite(), v.minValue(styleRanges.swirl.min), v.maxValue(styleRanges.swirl.max));
const path = v.pipe(v.string(), v.minLength(1), v.maxLength(4096));
const empty = v.object({});
const backendInfo = v.object({ name: v.string(), label: v.string(), gpu: v.boolean() });

/** Uploads above this are not pictures FlowGIF can use; refusing early keeps the worker healthy. */
export const MAX_IMAGE_BYTES = 200 * 1024 * 1024;
/**
 * A preview's trajectory crosses to the UI whole: 17 levels × 16 bytes a particle, so 500 000
 * particles are 136 MB. Exports take up to renderLimits.maxParticles; they stay in the engine.
 */
export const MAX_PREVIEW_PARTICLES = 500_000;
/** Training budgets above an hour are almost certainly a unit mistake (ms for s). */
export const MAX_TRAIN_SECONDS = 3600;

export const SerializedErrorSchema: v.GenericSchema<unknown, SerializedError> = v.object({
  name: v.string(),
  message: v.string(),
  code: v.optional(v.picklist(errorCodes)),
  file: v.optional(v.string()),
  hint: v.optional(v.string()),
  stack: v.optional(v.string()),
});

export const ProgressSchema: v.GenericSchema<unknown, Progress> = v.object({
  stage: v.picklist(stages),
  done: finite,
  total: finite,
  etaMs: v.optional(finite),
  bytes: v.optional(finite),
  message: v.optional(v.string()),
  // Senders drop non-finite figures: JSON would turn NaN into null.
  metrics: v.optional(v.record(v.string(), v.number())),
});

const BoundsSchema: v.GenericSchema<unknown, ModelBounds> = v.object({ xMin: finite, xMax: finite, yMin: finite, yMax: finite });
const Rgba = v.tuple([finite, finite, finite, finite]);

const TimelineSchema = v.object({
  durationSeconds: finite,
  fps: finite,
  easing: v.string(),
  holdStartSeconds: finite,
  holdEndSeconds: finite,
  reverse: v.boolean(),
  bounce: v.boolean(),
  loops: finite,
});

/**
 * Shape here; ranges and names by resolveRenderSettings, the one validator every host uses, so
 * the limits live in one place. Its message already names the field.
 */
export const RenderSettingsSchema: v.GenericSchema<unknown, RenderSettings> = v.pipe(
  v.object({
    size: finite,
    // Optional: projects saved before the canvas existed open with the default.
    canvas: v.optional(v.union([v.literal('picture'), v.literal('square'), v.object({ width: finite, height: finite })])),
    particles: finite,
    seed: finite,
    colour: v.string(),
    solidColour: Rgba,
    mode: v.string(),
    background: v.union([Rgba, v.literal('auto')]),
    pointSize: finite,
    blend: v.string(),
    opacity: finite,
    colourMap: v.string(),
    densitySmoothing: finite,
    densityLook: v.optional(v.string()),
    timeline: TimelineSchema,
    // Optional: projects saved before swirl existed open without it.
    swirl: v.optional(finite),
    quality: finite,
  }),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    try {
      return resolveRenderSettings(dataset.value as RenderSettings);
    } catch (error) {
      addIssue({ message: error instanceof Error ? error.message : String(error) });
      return NEVER;
    }
  }),
);

const densityMass = v.picklist(densityMasses);
const densityThreshold = v.pipe(finite, v.minValue(0), v.maxValue(254));
const DensitySettingsSchema = v.object({ mass: densityMass, threshold: densityThreshold });
/** Projects saved before 'mass' hold `invert`; their density was weighed by luma. */
const SavedDensitySettingsSchema: v.GenericSchema<unknown, DensitySettings> = v.pipe(
  v.object({ mass: v.optional(densityMass), invert: v.optional(v.boolean()), threshold: densityThreshold }),
  v.transform(({ mass, invert, threshold }) => ({ mass: mass ?? (invert === true ? 'light' : 'dark'), threshold })),
);
const PictureBackgroundSchema = v.object({ rgba: Rgba, transparent: v.boolean() });

const ImageSourceSchema = v.variant('kind', [
  v.object({ kind: v.literal('path'), path }),
  v.object({ kind: v.literal('sample'), name: v.pipe(v.string(), v.regex(/^[\w.-]+$/, 'must be a plain file name')) }),
  v.object({
    kind: v.literal('bytes'),
    name: v.pipe(v.string(), v.maxLength(1024)),
    bytes: v.pipe(v.instance(Uint8Array), v.check((b) => b.byteLength <= MAX_IMAGE_BYTES, `must be at most ${MAX_IMAGE_BYTES} bytes`)),
  }),
  v.object({
    kind: v.literal('text'),
    // The engine counts characters (code points) and says what is wrong in words; this only bounds the payload.
    text: v.pipe(v.string(), v.maxLength(MAX_TEXT_CHARACTERS * 4)),
    font: v.optional(v.picklist(bundledFontFamilies)),
    weight: v.optional(v.picklist(textWeights)),
  }),
]);

const FlowRefSchema = v.variant('kind', [
  v.object({ kind: v.literal('exact'), imageId: id, noise: v.optional(v.picklist(NOISE_SHAPES)) }),
  v.object({ kind: v.literal('model'), modelId: id }),
]);

const SequenceSchema = v.object({
  then: v.pipe(v.array(FlowRefSchema), v.minLength(1), v.maxLength(MAX_SEQUENCE_PICTURES - 1)),
  style: v.picklist(morphStyles),
  fromNoise: v.boolean(),
});

const ImageInfoSchema = v.pipe(
  v.object({
    imageId: id,
    name: v.string(),
    path: orUndefined(v.string()),
    originalWidth: wholeAtLeast(1),
    originalHeight: wholeAtLeast(1),
    bounds: BoundsSchema,
    density: DensitySettingsSchema,
    background: PictureBackgroundSchema,
    densityPreview: v.object({ width: wholeAtLeast(1), height: wholeAtLeast(1), rgba: v.instance(Uint8Array) }),
  }),
  v.check((info) => info.densityPreview.rgba.length === 4 * info.densityPreview.width * info.densityPreview.height, 'densityPreview.rgba must hold width × height × 4 bytes'),
);

export const TrajectoryDataSchema: v.GenericSchema<unknown, TrajectoryData> = v.pipe(
  v.object({
    particles: wholeAtLeast(1),
    times: v.instance(Float64Array),
    positions: v.instance(Float32Array),
    velocities: v.instance(Float32Array),
    imageColours: v.instance(Uint8Array),
    inkColour: Rgba,
    background: PictureBackgroundSchema,
    bounds: BoundsSchema,
  }),
  v.check((t) => {
    const size = t.times.length * t.particles * 2;
    return t.times.length >= 2 && t.positions.length === size && t.velocities.length === size && t.imageColours.length === 4 * t.particles;
  }, 'positions and velocities must hold levels × particles × 2 values, imageColours particles × 4'),
);

const trainMethod = v.picklist(['fm', 'ffjord']);
const exportFormat = v.picklist(exportFormats);

const TrainDoneSchema = v.object({
  modelId: id,
  method: trainMethod,
  steps: wholeAtLeast(0),
  seconds: finite,
  finalLoss: v.number(),
  backend: v.string(),
});

const ExportFileSchema = v.object({
  outputPath: v.string(),
  sizeBytes: wholeAtLeast(0),
  frames: wholeAtLeast(0),
  width: wholeAtLeast(1),
  height: wholeAtLeast(1),
});

const BudgetFitSchema = v.object({
  maxBytes: wholeAtLeast(1),
  changes: v.array(v.object({ setting: v.picklist(budgetSettings), from: finite, to: finite })),
  encodes: wholeAtLeast(1),
});

const ExportDoneSchema = v.object({ ...ExportFileSchema.entries, budget: v.optional(BudgetFitSchema) });

const ExportHistoryEntrySchema = v.object({
  ...ExportFileSchema.entries,
  format: v.picklist(exportFormats),
  finishedAt: wholeAtLeast(0),
  missing: v.boolean(),
});

const ProjectDataSchema: v.GenericSchema<unknown, ProjectData> = v.object({
  version: v.literal(1),
  image: v.object({ name: v.string(), path: orUndefined(v.string()) }),
  density: SavedDensitySettingsSchema,
  settings: RenderSettingsSchema,
  training: v.object({ method: trainMethod, seconds: v.pipe(finite, v.minValue(0)), seed, noise: v.optional(v.picklist(NOISE_SHAPES)) }),
  modelPath: orUndefined(v.string()),
});

const jobStarted = v.object({ jobId: id });
const optionalPath = v.object({ path: orUndefined(v.string()) });

type Schemas<Side extends 0 | 1> = { readonly [C in RequestChannel]: v.GenericSchema<unknown, RequestMapSide<C, Side>> };
type RequestMapSide<C extends RequestChannel, Side extends 0 | 1> = Side extends 0 ? RequestPayload<C> : ResponseValue<C>;

// Typed against the contract: a schema whose output drifts from RequestMap fails to compile.
const payloadSchemas: Schemas<0> = {
  'app:info': empty,
  'image:open': v.object({ source: ImageSourceSchema, density: v.optional(v.partial(DensitySettingsSchema)) }),
  'preview:start': v.object({ flow: FlowRefSchema, particles: v.pipe(wholeAtLeast(1), v.maxValue(MAX_PREVIEW_PARTICLES)), seed, swirl: v.optional(swirlTurns) }),
  'train:start': v.object({
    imageId: id,
    method: trainMethod,
    seconds: v.pipe(finite, v.gtValue(0), v.maxValue(MAX_TRAIN_SECONDS)),
    seed,
    noise: v.optional(v.picklist(NOISE_SHAPES)),
  }),
  'job:cancel': v.object({ jobId: id }),
  'train:finish': v.object({ jobId: id }),
  'export:estimate': v.object({ flow: FlowRefSchema, sequence: v.optional(SequenceSchema), format: exportFormat, settings: RenderSettingsSchema }),
  'export:start': v.object({
    flow: FlowRefSchema,
    sequence: v.optional(SequenceSchema),
    format: exportFormat,
    outputPath: path,
    settings: RenderSettingsSchema,
    replace: v.optional(v.boolean()),
    maxBytes: v.optional(wholeAtLeast(1)),
  }),
  'project:save': v.object({ path, project: ProjectDataSchema, modelId: v.optional(id), replace: v.optional(v.boolean()) }),
  'project:open': v.object({ path }),
  'dialog:open-image': empty,
  'dialog:open-project': empty,
  'dialog:save-path': v.object({ defaultName: v.string(), format: v.picklist([...exportFormats, 'project']) }),
  'shell:show-in-folder': v.object({ path }),
  'export:history': empty,
  'export:copy': v.object({ path }),
  'export:drag': v.object({ path }),
};

const responseSchemas: Schemas<1> = {
  'app:info': v.object({
    version: v.string(),
    host: v.picklist(['electron', 'web']),
    trainingBackends: v.object({ fm: backendInfo, ffjord: backendInfo }),
    samples: v.array(v.object({ name: v.string(), title: v.string() })),
    defaultExportFolder: v.string(),
    recentProjects: v.array(v.string()),
  }),
  'image:open': ImageInfoSchema,
  'preview:start': jobStarted,
  'train:start': jobStarted,
  'job:cancel': v.object({ cancelled: v.boolean() }),
  'train:finish': v.object({ finishing: v.boolean() }),
  'export:estimate': jobStarted,
  'export:start': jobStarted,
  'project:save': v.object({ path: v.string() }),
  'project:open': v.object({ project: ProjectDataSchema, image: ImageInfoSchema, modelId: orUndefined(id), modelMethod: v.optional(trainMethod) }),
  'dialog:open-image': optionalPath,
  'dialog:open-project': optionalPath,
  'dialog:save-path': optionalPath,
  'shell:show-in-folder': v.object({ shown: v.boolean() }),
  'export:history': v.object({ entries: v.array(ExportHistoryEntrySchema) }),
  'export:copy': v.object({ copied: v.array(v.picklist(['path', 'file', 'image'])) }),
  'export:drag': v.object({ started: v.boolean() }),
};

const jobKind = v.picklist(jobKinds);

const SizeEstimateSchema = v.object({ bytes: finite, lowBytes: finite, highBytes: finite, frames: v.pipe(v.number(), v.integer(), v.minValue(1)) });

const JobMessageSchema: v.GenericSchema<unknown, JobMessage> = v.variant('type', [
  v.object({ jobId: id, kind: jobKind, type: v.literal('progress'), progress: ProgressSchema }),
  v.object({ jobId: id, kind: v.literal('train'), type: v.literal('samples'), points: v.instance(Float32Array), step: wholeAtLeast(0) }),
  v.variant('kind', [
    v.object({ jobId: id, kind: v.literal('preview'), type: v.literal('done'), value: TrajectoryDataSchema }),
    v.object({ jobId: id, kind: v.literal('train'), type: v.literal('done'), value: TrainDoneSchema }),
    v.object({ jobId: id, kind: v.literal('export'), type: v.literal('done'), value: ExportDoneSchema }),
    v.object({ jobId: id, kind: v.literal('estimate'), type: v.literal('done'), value: SizeEstimateSchema }),
  ]),
  v.object({ jobId: id, kind: jobKind, type: v.literal('failed'), error: SerializedErrorSchema }),
  v.object({ jobId: id, kind: jobKind, type: v.literal('cancelled') }),
]);

export function isRequestChannel(value: unknown): value is RequestChannel {
  return typeof value === 'string' && (requestChannels as readonly string[]).includes(value);
}

/** "source.bytes: must be at most … (got …)" for the first problem, which is the one to fix first. */
function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => {
      const where = issue.path?.map((item) => String(item.key)).join('.') ?? '';
      return where === '' ? issue.message : `${where}: ${issue.message}`;
    })
    .join('; ');
}

function parse<T>(schema: v.GenericSchema<unknown, T>, value: unknown, what: string): T {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  throw new FlowGifError('IPC_INVALID', `Invalid ${what}: ${describeIssues(result.issues)}`);
}

function channelOf(channel: unknown): RequestChannel {
  if (isRequestChannel(channel)) return channel;
  throw new FlowGifError('IPC_INVALID', `Unknown channel ${JSON.stringify(channel)}; expected one of ${requestChannels.join(', ')}.`);
}

export function validateRequest<C extends RequestChannel>(channel: C, payload: unknown): RequestPayload<C> {
  const known = channelOf(channel) as C;
  return parse(payloadSchemas[known], payload, `${known} request`) as RequestPayload<C>;
}

export function validateResponse<C extends RequestChannel>(channel: C, value: unknown): ResponseValue<C> {
  const known = channelOf(channel) as C;
  return parse(responseSchemas[known], value, `${known} response`) as ResponseValue<C>;
}

/** A whole Result as a transport receives it: either a valid value or a well-formed error. */
export function validateResult<C extends RequestChannel>(channel: C, result: unknown): Result<ResponseValue<C>> {
  if (typeof result !== 'object' || result === null || typeof (result as { ok?: unknown }).ok !== 'boolean') {
    throw new FlowGifError('IPC_INVALID', `Invalid ${String(channel)} result: ok must be true or false.`);
  }
  if ((result as { ok: boolean }).ok) return { ok: true, value: validateResponse(channel, (result as { value?: unknown }).value) };
  return { ok: false, error: parse(SerializedErrorSchema, (result as { error?: unknown }).error, `${String(channel)} error`) };
}

/** A .flowgif file's content, as read from disk by the engine. */
export function validateProjectData(value: unknown): ProjectData {
  return parse(ProjectDataSchema, value, 'project');
}

export function validateError(error: unknown): SerializedError {
  return parse(SerializedErrorSchema, error, 'error');
}

export function validateJobMessage(message: unknown): JobMessage {
  return parse(JobMessageSchema, message, 'job message');
}

/**
 * The path of a project file's first bad field ("image.path"), or undefined when it is valid.
 * Only the path: valibot's messages quote the value received, and a file's contents are never
 * echoed back in an error.
 */
export function projectDataProblem(value: unknown): string | undefined {
  const result = v.safeParse(ProjectDataSchema, value);
  if (result.success) return undefined;
  const keys = result.issues[0]?.path?.map((item) => item.key) ?? [];
  const plain = keys.every((key) => typeof key === 'number' || (typeof key === 'string' && /^[A-Za-z][A-Za-z0-9]{0,39}$/.test(key)));
  return keys.length === 0 ? 'its top level' : plain ? keys.map(String).join('.') : 'an unknown field';
}
