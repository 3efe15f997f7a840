/**
 * One binary frame per message, for transports that carry bytes (the WebSocket of the web
 * host): [u32 LE header length][UTF-8 JSON header][attachments…]. Typed arrays in the message
 * travel as raw bytes, referenced from the JSON by index, so a 10 MB trajectory costs no base64
 * and no per-number text. Electron IPC does not need it: structured clone keeps typed arrays.
 */
type TypedArrayName = 'Float32Array' | 'Float64Array' | 'Uint8Array' | 'Uint8ClampedArray' | 'Int32Array' | 'Uint32Array';

interface Attachment {
  readonly $bin: number;
  readonly type: TypedArrayName;
  readonly length: number;
}

const constructors: Record<TypedArrayName, { new (buffer: ArrayBuffer, offset: number, length: number): ArrayBufferView; BYTES_PER_ELEMENT: number }> = {
  Float32Array,
  Float64Array,
  Uint8Array,
  Uint8ClampedArray,
  Int32Array,
  Uint32Array,
};

function typedName(value: unknown): TypedArrayName | undefined {
  if (!ArrayBuffer.isView(value) || value instanceof DataView) return undefined;
  const name = value.constructor.name;
  // Node's Buffer is a Uint8Array subclass: send it as one.
  if (name === 'Buffer') return 'Uint8Array';
  return name in constructors ? (name as TypedArrayName) : undefined;
}

/** Attachments start on 8-byte boundaries so every typed array can be viewed in place. */
const align = (n: number): number => (n + 7) & ~7;

export function encodeMessage(message: unknown): Uint8Array {
  const blobs: Uint8Array[] = [];
  const body = JSON.stringify(message, (_key, value: unknown) => {
    const type = typedName(value);
    if (type === undefined) return value;
    const view = value as ArrayBufferView & { length: number };
    blobs.push(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
    const ref: Attachment = { $bin: blobs.length - 1, type, length: view.length };
    return ref;
  });
  // The header is written after the body is known, so it can hold where each attachment lives.
  let headerBytes = new Uint8Array(0);
  let offsets: number[] = [];
  for (let guess = 0; ; ) {
    let size = align(4 + guess);
    offsets = blobs.map((blob) => {
      const at = size;
      size = align(size + blob.byteLength);
      return at;
    });
    headerBytes = new TextEncoder().encode(`{"offsets":${JSON.stringify(offsets)},"body":${body}}`);
    if (align(4 + headerBytes.byteLength) === align(4 + guess)) break;
    guess = headerBytes.byteLength;
  }
  const total = blobs.length === 0 ? 4 + headerBytes.byteLength : offsets[offsets.length - 1]! + blobs[blobs.length - 1]!.byteLength;
  const out = new Uint8Array(total);
  new DataView(out.buffer).setUint32(0, headerBytes.byteLength, true);
  out.set(headerBytes, 4);
  blobs.forEach((blob, i) => out.set(blob, offsets[i]!));
  return out;
}

export function decodeMessage(frame: ArrayBuffer | Uint8Array): unknown {
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  if (bytes.byteLength < 4) throw new Error('message frame too short');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (4 + headerLength > bytes.byteLength) throw new Error('message header cut short');
  const header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(4, 4 + headerLength))) as unknown;
  if (typeof header !== 'object' || header === null || !('body' in header) || !('offsets' in header) || !Array.isArray(header.offsets)) {
    throw new Error('message header malformed');
  }
  const offsets: unknown[] = header.offsets;
  const revive = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(revive);
    if (typeof value !== 'object' || value === null) return value;
    if ('$bin' in value) {
      const ref = value as Attachment;
      const ctor = constructors[ref.type];
      const offset = offsets[ref.$bin] as unknown;
      if (ctor === undefined || typeof offset !== 'number' || !Number.isInteger(ref.length) || ref.length < 0) {
        throw new Error('bad attachment reference');
      }
      const byteLength = ref.length * ctor.BYTES_PER_ELEMENT;
      if (offset + byteLength > bytes.byteLength) throw new Error('attachment cut short');
      // A copy, through Uint8Array's own slice: Node's Buffer overrides slice to return a view,
      // whose .buffer would start at the frame's first byte.
      const copy = Uint8Array.prototype.slice.call(bytes, offset, offset + byteLength);
      return new ctor(copy.buffer, 0, ref.length);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  };
  return revive(header.body);
}
