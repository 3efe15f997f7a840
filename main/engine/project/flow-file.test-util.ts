import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createDeflateRaw } from 'node:zlib';

/** The parts of a version 2 .flow file, so tests can build hostile ones that still pass the header digest. */
export interface FlowFileParts {
  readonly version: number;
  readonly header: Record<string, unknown>;
  readonly compressed: Uint8Array;
}

export function splitFlowFile(bytes: Uint8Array): FlowFileParts {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(12, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerLength))) as Record<string, unknown>;
  return { version: view.getUint32(8, true), header, compressed: bytes.subarray(16 + headerLength + 32) };
}

/** Reassembles parts with a correct header digest: what a deliberate attacker would write. */
export function joinFlowFile(parts: FlowFileParts): Uint8Array {
  const headerBytes = new TextEncoder().encode(JSON.stringify(parts.header));
  const out = new Uint8Array(16 + headerBytes.byteLength + 32 + parts.compressed.byteLength);
  out.set(new TextEncoder().encode('FLOWGIF\0'), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, parts.version, true);
  view.setUint32(12, headerBytes.byteLength, true);
  out.set(headerBytes, 16);
  out.set(createHash('sha256').update(out.subarray(0, 16 + headerBytes.byteLength)).digest(), 16 + headerBytes.byteLength);
  out.set(parts.compressed, 16 + headerBytes.byteLength + 32);
  return out;
}

/** Raw-deflated zeros, streamed so the test never holds the inflated size: about 1 KB per MB. */
export async function deflatedZeros(megabytes: number): Promise<Uint8Array> {
  const deflate = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < megabytes; i++) {
    if (!deflate.write(zeros)) await once(deflate, 'drain');
  }
  deflate.end();
  await once(deflate, 'end');
  return Buffer.concat(chunks);
}
