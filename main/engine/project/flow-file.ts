import path from 'node:path';
import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import * as v from 'valibot';
import { FlowGifError } from '../../../shared/errors.js';
import { NOISE_SHAPES } from '../../../shared/noise.js';
import { ROUND_NOISE } from '../flow/noise-source.js';
import { densityMasses } from '../../../shared/density-mass.js';
import type { DensityOptions, ImageDensity } from '../image/density.js';
import { createDensity } from '../image/create-density.js';
import type { NamedTensor, TrainedModel } from '../train/trained-model.js';
import { MAX_FLOW_FILE_BYTES, readRegularFile } from './read-regular-file.js';
import { writeFileAtomic, type ReplaceRule } from './write-atomic.js';

/**
 * A .flow file: a trained velocity field plus the density it was trained on, so a model
 * alone can be sampled in image space, evaluated and rendered in the image's colours.
 *
 * Layout (version 2): 8-byte magic, u32 LE format version, u32 LE header length, UTF-8 JSON
 * header, the 32-byte sha256 of everything before it (prefix and header), then a raw-deflated
 * payload (tensors as float32, then the density's probabilities as float32, then its RGBA
 * colours). The header holds the payload's sha256, so one flipped bit anywhere is reported
 * instead of producing a garbage model. Version 1 had no header digest: a flipped bit in
 * originalWidth loaded silently and shifted every sample, so version 1 files are refused
 * (MODEL_VERSION, "train again") rather than trusted.
 *
 * The header's `noise` names the source the model was trained from (shape and per-axis std).
 * Files written before it existed hold none and were trained from N(0, I): they load as round.
 */
export const FLOW_FILE_MAGIC = 'FLOWGIF\0';
export const FLOW_FILE_VERSION = 2;
const PREFIX_BYTES = 16;
const DIGEST_BYTES = 32;
/** Training history of a long run is a few hundred kilobytes; more is not a header we wrote. */
const MAX_HEADER_BYTES = 16 * 1024 * 1024;
/** The largest network we train is about a megabyte of float32; this leaves room and bounds inflation. */
const MAX_WEIGHT_BYTES = 64 * 1024 * 1024;
/** Same limits as a picture loaded from disk: load-density.ts's MAX_MAX_SIDE and MAX_INPUT_PIXELS. */
const MAX_WORKING_SIDE = 4096;
const MAX_ORIGINAL_PIXELS = 16384 * 16384;

const channel = v.pipe(v.number(), v.minValue(0), v.maxValue(255));

const TensorEntry = v.object({
  name: v.string(),
  shape: v.array(v.pipe(v.number(), v.integer(), v.minValue(0))),
  offset: v.pipe(v.number(), v.integer(), v.minValue(0)),
});

const Header = v.object({
  format: v.literal('flowgif-model'),
  createdAt: v.string(),
  method: v.picklist(['fm', 'ffjord']),
  architecture: v.record(v.string(), v.unknown()),
  training: v.object({
    preset: v.string(),
    backend: v.string(),
    seed: v.number(),
    steps: v.number(),
    seconds: v.number(),
    finalLoss: v.number(),
    history: v.array(v.object({ step: v.number(), seconds: v.number(), loss: v.number() })),
  }),
  image: v.object({
    name: v.string(),
    sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
    format: v.string(),
    // Files before 'mass' said only `invert`, and were weighed by luma: dark, or light if inverted.
    options: v.pipe(
      v.object({ mass: v.optional(v.picklist(densityMasses)), invert: v.optional(v.boolean()), threshold: v.number(), maxSide: v.number() }),
      v.transform(({ mass, invert, threshold, maxSide }): DensityOptions => ({ mass: mass ?? (invert === true ? 'light' : 'dark'), threshold, maxSide })),
    ),
    /** Absent in older files: they were all measured on white. */
    background: v.optional(
      v.object({ rgba: v.pipe(v.tuple([channel, channel, channel, channel]), v.readonly()), transparent: v.boolean() }),
    ),
    mapping: v.object({
      originalWidth: v.pipe(v.number(), v.integer(), v.minValue(1)),
      originalHeight: v.pipe(v.number(), v.integer(), v.minValue(1)),
      workingWidth: v.pipe(v.number(), v.integer(), v.minValue(1)),
      workingHeight: v.pipe(v.number(), v.integer(), v.minValue(1)),
      modelPerPixel: v.pipe(v.number(), v.minValue(0)),
    }),
    jitterStd: v.number(),
  }),
  noise: v.optional(
    v.object({
      shape: v.picklist(NOISE_SHAPES),
      stdX: v.pipe(v.number(), v.finite(), v.gtValue(0)),
      stdY: v.pipe(v.number(), v.finite(), v.gtValue(0)),
    }),
  ),
  tensors: v.array(TensorEntry),
  densityOffset: v.pipe(v.number(), v.integer(), v.minValue(0)),
  coloursOffset: v.pipe(v.number(), v.integer(), v.minValue(0)),
  payloadBytes: v.pipe(v.number(), v.integer(), v.minValue(0)),
  payloadSha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
});
type Header = v.InferOutput<typeof Header>;

export interface FlowFile {
  readonly model: TrainedModel;
  readonly density: ImageDensity;
  readonly createdAt: string;
}

export function encodeFlowFile(model: TrainedModel, density: ImageDensity, createdAt = new Date()): Uint8Array {
  const parts: Uint8Array[] = [];
  let offset = 0;
  const tensors = model.weights.map((tensor) => {
    const entry = { name: tensor.name, shape: [...tensor.shape], offset };
    const bytes = new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
    parts.push(bytes.slice());
    offset += bytes.byteLength;
    return entry;
  });
  const densityOffset = offset;
  const probabilities = Float32Array.from(density.probabilities);
  parts.push(new Uint8Array(probabilities.buffer));
  offset += probabilities.byteLength;
  const coloursOffset = offset;
  parts.push(new Uint8Array(density.colours.buffer, density.colours.byteOffset, density.colours.byteLength));
  offset += density.colours.byteLength;

  const payload = concat(parts, offset);
  const header: Header = {
    format: 'flowgif-model',
    createdAt: createdAt.toISOString(),
    method: model.method,
    architecture: { ...model.architecture },
    training: { ...model.training, history: [...model.training.history] },
    image: {
      name: path.basename(density.source.path),
      sha256: density.source.sha256,
      format: density.source.format,
      options: { ...density.options },
      background: { rgba: density.background.rgba, transparent: density.background.transparent },
      mapping: { ...density.mapping },
      jitterStd: density.jitterStd,
    },
    noise: { ...model.noise },
    tensors,
    densityOffset,
    coloursOffset,
    payloadBytes: payload.byteLength,
    payloadSha256: createHash('sha256').update(payload).digest('hex'),
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const compressed = deflateRawSync(payload, { level: 6 });
  const headerEnd = PREFIX_BYTES + headerBytes.byteLength;
  const out = new Uint8Array(headerEnd + DIGEST_BYTES + compressed.byteLength);
  out.set(new TextEncoder().encode(FLOW_FILE_MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, FLOW_FILE_VERSION, true);
  view.setUint32(12, headerBytes.byteLength, true);
  out.set(headerBytes, PREFIX_BYTES);
  out.set(createHash('sha256').update(out.subarray(0, headerEnd)).digest(), headerEnd);
  out.set(compressed, headerEnd + DIGEST_BYTES);
  return out;
}

export function decodeFlowFile(bytes: Uint8Array, file: string): FlowFile {
  const corrupt = (why: string): FlowGifError =>
    new FlowGifError('MODEL_CORRUPT', `${file} is damaged: ${why}.`, {
      file,
      hint: 'Train the model again or restore the file from a backup.',
    });
  if (bytes.byteLength < PREFIX_BYTES || new TextDecoder().decode(bytes.subarray(0, 8)) !== FLOW_FILE_MAGIC) {
    throw new FlowGifError('MODEL_FOREIGN', `${file} is not a FlowGIF model (.flow) file.`, { file });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== FLOW_FILE_VERSION) {
    throw new FlowGifError(
      'MODEL_VERSION',
      `${file} is a version ${version} model; this FlowGIF reads version ${FLOW_FILE_VERSION}.`,
      { file, hint: version > FLOW_FILE_VERSION ? 'Update FlowGIF.' : 'Train the model again.' },
    );
  }
  const headerLength = view.getUint32(12, true);
  if (headerLength > MAX_HEADER_BYTES) throw corrupt('the header is implausibly large');
  const headerEnd = PREFIX_BYTES + headerLength;
  if (headerEnd + DIGEST_BYTES > bytes.byteLength) throw corrupt('the header is cut short');
  const digest = createHash('sha256').update(bytes.subarray(0, headerEnd)).digest();
  if (!digest.equals(bytes.subarray(headerEnd, headerEnd + DIGEST_BYTES))) throw corrupt('the header does not match its checksum');
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX_BYTES, headerEnd)));
  } catch {
    // JSON.parse's message quotes the text around the error: never shown, the file may not be ours.
    throw corrupt('the header is not valid JSON');
  }
  const parsed = v.safeParse(Header, raw);
  if (!parsed.success) {
    // The field's path only: valibot's message quotes the value it received.
    const issue = parsed.issues[0];
    const where = issue?.path?.map((p) => (typeof p.key === 'number' ? `[${p.key}]` : safeKey(p.key))).join('.') ?? 'header';
    throw corrupt(`bad header field ${where}`);
  }
  const header = parsed.output;

  // Sizes are checked against each other before anything is inflated, so the declared size
  // (bounded here) caps decompression: a bomb stops at payloadBytes, not at memory's end.
  const { mapping } = header.image;
  if (
    mapping.workingWidth > MAX_WORKING_SIDE ||
    mapping.workingHeight > MAX_WORKING_SIDE ||
    mapping.originalWidth * mapping.originalHeight > MAX_ORIGINAL_PIXELS ||
    mapping.workingWidth > mapping.originalWidth ||
    mapping.workingHeight > mapping.originalHeight
  ) {
    throw corrupt('the stored image has an impossible size');
  }
  const pixels = mapping.workingWidth * mapping.workingHeight;
  if (header.densityOffset > MAX_WEIGHT_BYTES) throw corrupt('the weights are implausibly large');
  if (header.coloursOffset !== header.densityOffset + 4 * pixels || header.payloadBytes !== header.coloursOffset + 4 * pixels) {
    throw corrupt('the stored image does not match its size');
  }
  const counts = header.tensors.map((entry, index) => {
    const count = entry.shape.reduce((a, b) => a * b, 1);
    const end = header.tensors[index + 1]?.offset ?? header.densityOffset;
    if ((index === 0 && entry.offset !== 0) || entry.offset + 4 * count !== end) throw corrupt(`tensor ${index + 1} has the wrong size`);
    return count;
  });

  let payload: Uint8Array;
  try {
    payload = inflateRawSync(bytes.subarray(headerEnd + DIGEST_BYTES), { maxOutputLength: Math.max(1, header.payloadBytes) });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw corrupt('the weights decompress to more than the header declares');
    throw corrupt('the weights cannot be decompressed (the file is probably truncated)');
  }
  if (payload.byteLength !== header.payloadBytes || createHash('sha256').update(payload).digest('hex') !== header.payloadSha256) {
    throw corrupt('the weights do not match their checksum');
  }

  const weights: NamedTensor[] = header.tensors.map((entry, index) => {
    const data = readFloat32(payload, entry.offset, counts[index]!);
    if (!data.every(Number.isFinite)) throw corrupt(`tensor ${index + 1} holds values that are not finite`);
    return { name: entry.name, shape: entry.shape, data };
  });
  const stored = readFloat32(payload, header.densityOffset, pixels);
  const probabilities = Float64Array.from(stored);
  let total = 0;
  for (const p of probabilities) {
    if (!(Number.isFinite(p) && p >= 0)) throw corrupt('the stored image holds probabilities that are negative or not finite');
    total += p;
  }
  if (!(total > 0 && Number.isFinite(total))) throw corrupt('the stored image has no mass');
  for (let i = 0; i < probabilities.length; i++) probabilities[i]! /= total;
  const colours = Uint8ClampedArray.from(payload.subarray(header.coloursOffset, header.coloursOffset + 4 * pixels));

  const density = createDensity({
    source: { path: header.image.name, sha256: header.image.sha256, format: header.image.format },
    options: header.image.options,
    originalWidth: mapping.originalWidth,
    originalHeight: mapping.originalHeight,
    width: mapping.workingWidth,
    height: mapping.workingHeight,
    probabilities,
    colours,
    ...(header.image.background === undefined ? {} : { background: header.image.background }),
  });
  const model: TrainedModel = {
    method: header.method,
    architecture: header.architecture,
    weights,
    training: header.training,
    noise: header.noise ?? ROUND_NOISE,
  };
  return { model, density, createdAt: header.createdAt };
}

/** A model replaces only a model: an existing file of another kind under its name is refused. */
export const flowFileRule: ReplaceRule = { what: 'a flow model', extensions: ['.flow'] };

export async function saveFlowFile(file: string, model: TrainedModel, density: ImageDensity): Promise<void> {
  await writeFileAtomic(file, encodeFlowFile(model, density), flowFileRule);
}

export async function loadFlowFile(file: string, signal?: AbortSignal): Promise<FlowFile> {
  const bytes = await readRegularFile(file, {
    what: 'a .flow model file',
    maxBytes: MAX_FLOW_FILE_BYTES,
    codes: { notFound: 'MODEL_NOT_FOUND', notRegular: 'MODEL_FOREIGN', tooLarge: 'MODEL_CORRUPT' },
    hint: 'Pass a file written by `flowgif train`.',
    ...(signal === undefined ? {} : { signal }),
  });
  return decodeFlowFile(bytes, file);
}

/** A header key named in a message: ours are plain identifiers; anything else is not echoed. */
function safeKey(key: unknown): string {
  return typeof key === 'string' && /^[A-Za-z][A-Za-z0-9]{0,39}$/.test(key) ? key : '(unknown key)';
}

function readFloat32(payload: Uint8Array, offset: number, count: number): Float32Array {
  // Copy: the payload's offsets are not guaranteed to be 4-byte aligned within its buffer.
  const out = new Float32Array(count);
  new Uint8Array(out.buffer).set(payload.subarray(offset, offset + 4 * count));
  return out;
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}
