import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtoWriter } from './protobuf-writer.js';

const bytes = (build: (w: ProtoWriter) => void): number[] => {
  const w = new ProtoWriter();
  build(w);
  return [...w.finish()];
};

test('varints match the protobuf encoding guide, including int64 and negative values', () => {
  assert.deepEqual(bytes((w) => w.int(1, 150)), [0x08, 0x96, 0x01]);
  assert.deepEqual(bytes((w) => w.int(1, 0)), [0x08, 0x00]);
  assert.deepEqual(bytes((w) => w.int(2, 300)), [0x10, 0xac, 0x02]);
  // 2^35 + 1 needs more than 32 bits: bit operators would truncate it.
  assert.deepEqual(bytes((w) => w.int(1, 2 ** 35 + 1)), [0x08, 0x81, 0x80, 0x80, 0x80, 0x80, 0x01]);
  // Negative int64: two's complement, ten bytes.
  assert.deepEqual(bytes((w) => w.int(1, -1)), [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  assert.deepEqual(bytes((w) => w.int(1, -2)), [0x08, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  // Field numbers above 15 take a two-byte tag.
  assert.deepEqual(bytes((w) => w.int(20, 7)), [0xa0, 0x01, 0x07]);
  assert.throws(() => bytes((w) => w.int(1, 0.5)), RangeError);
});

test('strings, floats, packed integers and nested messages are length-delimited', () => {
  assert.deepEqual(bytes((w) => w.string(2, 'testing')), [0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67]);
  assert.deepEqual(bytes((w) => w.float(2, 1)), [0x15, 0x00, 0x00, 0x80, 0x3f]);
  assert.deepEqual(bytes((w) => w.packedInts(4, [3, 270, 86942])), [0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05]);
  assert.deepEqual(bytes((w) => w.message(3, (m) => m.int(1, 150))), [0x1a, 0x03, 0x08, 0x96, 0x01]);
});

test('the buffer grows past its initial size without losing bytes', () => {
  const payload = Uint8Array.from({ length: 10_000 }, (_, i) => i & 0xff);
  const out = bytes((w) => w.int(1, 1).bytes(2, payload).int(3, 2));
  assert.equal(out.length, 2 + 1 + 2 + payload.length + 2);
  assert.deepEqual(out.slice(0, 5), [0x08, 0x01, 0x12, 0x90, 0x4e]);
  assert.deepEqual(out.slice(5, 5 + payload.length), [...payload]);
  assert.deepEqual(out.slice(-2), [0x18, 0x02]);
});
