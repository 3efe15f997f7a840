import fs from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import * as v from 'valibot';
import { FlowGifError } from '../../../shared/errors.js';
import type { ImageDensity } from '../image/density.js';
import { createDensity } from '../image/create-density.js';
import type { NamedTensor, TrainedModel } from '../train/trained-model.js';
import { writeFileAtomic, type ReplaceRule } from './write-atomic.js';

/**
 * A .flow file: a trained velocity field plus the density it was trained on, so a model
 * alone can be sampled in image space, evaluated and rendered in the image's colours.
 *
 * Layout: 8-byte magic, u32 LE format version, u32 LE header length, UTF-8 JSON header,
 * then a raw-deflated payload (tensors as float32, then the density's probabilities as
 * float32, then its RGBA colours). The header holds the payload's sha256, so truncation or
 * bit rot is reported instead of producing a garbage model.
 */
export const FLOW_FILE_MAGIC = 'FLOWGIF\0';
export const FLOW_FILE_VERSION = 1;
const PREFIX_BYTES = 16;

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
    options: v.object({ invert: v.boolean(), threshold: v.number(), maxSide: v.number() }),
    mapping: v.object({
      originalWidth: v.pipe(v.number(), v.integer(), v.minValue(1)),
      originalHeight: v.pipe(v.number(), v.integer(), v.minValue(1)),
      workingWidth: v.pipe(v.number(), v.integer(), v.minValue(1)),
      workingHeight: v.pipe(v.number(), v.integer(), v.minValue(1)),
      modelPerPixel: v.pipe(v.number(), v.minValue(0)),
    }),
    jitterStd: v.number(),
  }),
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
      mapping: { ...density.mapping },
      jitterStd: density.jitterStd,
    },
    tensors,
    densityOffset,
    coloursOffset,
    payloadBytes: payload.byteLength,
    payloadSha256: createHash('sha256').update(payload).digest('hex'),
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const compressed = deflateRawSync(payload, { level: 6 });
  const out = new Uint8Array(PREFIX_BYTES + headerBytes.byteLength + compressed.byteLength);
  out.set(new TextEncoder().encode(FLOW_FILE_MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, FLOW_FILE_VERSION, true);
  view.setUint32(12, headerBytes.byteLength, true);
  out.set(headerBytes, PREFIX_BYTES);
  out.set(compressed, PREFIX_BYTES + headerBytes.byteLength);
  return out;
}

export function decodeFlowFile(bytes: Uint8Array, file: string): FlowFile {
  const corrupt = (why: string): FlowGifError =>
    new FlowGifError('MODEL_CORRUPT', `${file} is damaged: ${why}.`, {
      file,
      hint: 'Train the model again or restore the file from a backup.',
    });
  if (bytes.byteLength < PREFIX_BYTES || new TextDecoder().decode(bytes.subarray(0, 8)) !== FLOW_FILE_MAGIC) {
    throw new FlowGifError('MODEL_FOREIGN', `${file} is not a FlowGIF model (.flow) file.`, {
      file,
      hint: 'Pass a file written by `flowgif train`, or use --exact IMAGE for an image.',
    });
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
  if (PREFIX_BYTES + headerLength > bytes.byteLength) throw corrupt('the header is cut short');
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength)));
  } catch {
    throw corrupt('the header is not valid JSON');
  }
  const parsed = v.safeParse(Header, raw);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const where = issue?.path?.map((p) => String(p.key)).join('.') ?? 'header';
    throw corrupt(`bad header field ${where} (${issue?.message ?? 'invalid'})`);
  }
  const header = parsed.output;
  let payload: Uint8Array;
  try {
    payload = inflateRawSync(bytes.subarray(PREFIX_BYTES + headerLength));
  } catch {
    throw corrupt('the weights cannot be decompressed (the file is probably truncated)');
  }
  if (payload.byteLength !== header.payloadBytes || createHash('sha256').update(payload).digest('hex') !== header.payloadSha256) {
    throw corrupt('the weights do not match their checksum');
  }

  const { mapping } = header.image;
  const pixels = mapping.workingWidth * mapping.workingHeight;
  if (header.coloursOffset !== header.densityOffset + 4 * pixels || header.coloursOffset + 4 * pixels !== payload.byteLength) {
    throw corrupt('the stored image does not match its size');
  }
  const weights: NamedTensor[] = header.tensors.map((entry, index) => {
    const count = entry.shape.reduce((a, b) => a * b, 1);
    const end = header.tensors[index + 1]?.offset ?? header.densityOffset;
    if (entry.offset + 4 * count !== end) throw corrupt(`tensor ${entry.name} has the wrong size`);
    return { name: entry.name, shape: entry.shape, data: readFloat32(payload, entry.offset, count) };
  });
  const stored = readFloat32(payload, header.densityOffset, pixels);
  const probabilities = Float64Array.from(stored);
  const total = probabilities.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw corrupt('the stored image has no mass');
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
  });
  const model: TrainedModel = {
    method: header.method,
    architecture: header.architecture,
    weights,
    training: header.training,
  };
  return { model, density, createdAt: header.createdAt };
}

/** A model replaces only a model: an existing file of another kind under its name is refused. */
export const flowFileRule: ReplaceRule = { what: 'a flow model', extensions: ['.flow'] };

export async function saveFlowFile(file: string, model: TrainedModel, density: ImageDensity): Promise<void> {
  await writeFileAtomic(file, encodeFlowFile(model, density), flowFileRule);
}

export async function loadFlowFile(file: string): Promise<FlowFile> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') throw new FlowGifError('MODEL_NOT_FOUND', `${file} does not exist.`, { file });
    if (code === 'EISDIR') throw new FlowGifError('MODEL_FOREIGN', `${file} is a folder, not a .flow model.`, { file });
    throw new FlowGifError('MODEL_NOT_FOUND', `${file} cannot be read (${code ?? 'unknown error'}).`, { file, cause: error });
  }
  return decodeFlowFile(bytes, file);
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
