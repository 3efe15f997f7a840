/**
 * Just enough of the protobuf wire format to write an ONNX model: varints (int32, int64,
 * enums), 32-bit floats, and length-delimited fields (strings, bytes, nested messages,
 * packed arrays). Writing is all we need, so a generated codec (protobufjs, onnx-proto) would
 * add a dependency and a schema compiler for ~100 lines of code.
 *
 * Wire format: https://protobuf.dev/programming-guides/encoding/
 */
const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

const utf8 = new TextEncoder();

export class ProtoWriter {
  private buffer = new Uint8Array(256);
  private length = 0;

  /** An unsigned or signed integer field (int32, int64, enum, bool) as a varint. */
  int(field: number, value: number): this {
    this.tag(field, WIRE_VARINT);
    this.rawVarint(value);
    return this;
  }

  /** A float field (wire type 5, little-endian IEEE 754 single). */
  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    this.reserve(4);
    new DataView(this.buffer.buffer, this.buffer.byteOffset).setFloat32(this.length, value, true);
    this.length += 4;
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.rawVarint(value.length);
    this.rawBytes(value);
    return this;
  }

  /** A nested message, written by `build` into its own writer and then length-prefixed. */
  message(field: number, build: (writer: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  /** A repeated integer field, packed (proto3's default for repeated scalars). */
  packedInts(field: number, values: readonly number[]): this {
    const inner = new ProtoWriter();
    for (const value of values) inner.rawVarint(value);
    return this.bytes(field, inner.finish());
  }

  /** The bytes written so far (a copy trimmed to length). */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private tag(field: number, wireType: number): void {
    if (!Number.isInteger(field) || field < 1 || field > 536_870_911) throw new RangeError(`invalid protobuf field number ${field}`);
    this.rawVarint(field * 8 + wireType);
  }

  /**
   * Base-128 varint. Negative numbers are int64 two's complement, always ten bytes, as
   * protobuf encodes a negative int32 or int64 (ONNX uses -1 in Reshape shapes, for example).
   */
  rawVarint(value: number): void {
    if (!Number.isSafeInteger(value)) throw new RangeError(`protobuf varint must be a safe integer, got ${value}`);
    this.reserve(10);
    if (value >= 0) {
      // Division rather than >>> keeps integers above 2^32 exact.
      while (value >= 0x80) {
        this.buffer[this.length++] = (value % 0x80) | 0x80;
        value = Math.floor(value / 0x80);
      }
      this.buffer[this.length++] = value;
      return;
    }
    let bits = BigInt.asUintN(64, BigInt(value));
    for (let i = 0; i < 9; i++) {
      this.buffer[this.length++] = Number(bits & 0x7fn) | 0x80;
      bits >>= 7n;
    }
    this.buffer[this.length++] = Number(bits);
  }

  private rawBytes(value: Uint8Array): void {
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}
