import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeMessage } from './codec.js';

test('typed arrays and plain data survive a round trip, aligned and intact', () => {
  const message = {
    jobId: 'j1',
    type: 'done',
    value: {
      times: Float64Array.from([0, 0.25, 1]),
      positions: Float32Array.from([1.5, -2, 3.25]),
      colours: Uint8Array.from([1, 2, 3, 255, 9]),
      nested: [{ a: Int32Array.from([-7, 8]) }, 'text', null, 3.5],
    },
  };
  const decoded = decodeMessage(encodeMessage(message)) as typeof message;
  assert.deepEqual(decoded, message);
  assert.ok(decoded.value.positions instanceof Float32Array);
  assert.ok(decoded.value.times instanceof Float64Array);
});

test('a subarray view sends only its own elements', () => {
  const big = Float32Array.from({ length: 100 }, (_, i) => i);
  const decoded = decodeMessage(encodeMessage({ part: big.subarray(10, 13) })) as { part: Float32Array };
  assert.deepEqual(Array.from(decoded.part), [10, 11, 12]);
});

test('truncated or malformed frames are rejected, not misread', () => {
  const frame = encodeMessage({ a: Float64Array.from([1, 2, 3]) });
  assert.throws(() => decodeMessage(frame.subarray(0, frame.length - 4)), /cut short/);
  assert.throws(() => decodeMessage(new Uint8Array([1, 0])), /too short/);
  assert.throws(() => decodeMessage(new TextEncoder().encode('\u0004\u0000\u0000\u0000null')), /malformed/);
});

/** Like Node's Buffer: slice returns a view sharing the memory, not a copy. */
class ViewSlicing extends Uint8Array {
  override slice(start?: number, end?: number): Uint8Array<ArrayBuffer> {
    return this.subarray(start, end);
  }
}

test('frames that arrive as Buffer-like views decode their attachments from the right bytes', () => {
  const frame = encodeMessage({ source: { kind: 'bytes', name: 'a.png', bytes: Uint8Array.from([1, 2, 3, 4, 5]) } });
  // The web host receives frames as Buffers, often inside a larger pooled allocation.
  const pooled = new ArrayBuffer(frame.byteLength + 24);
  const received = new ViewSlicing(pooled, 16, frame.byteLength);
  received.set(frame);
  const decoded = decodeMessage(received) as { source: { bytes: Uint8Array } };
  assert.deepEqual(Array.from(decoded.source.bytes), [1, 2, 3, 4, 5]);
});
