/**
 * Scratch memory that survives between frames, so rendering an animation allocates its
 * buffers once. One workspace per renderer; it is not safe to share between concurrent users.
 */
export class RasterWorkspace {
  private readonly floats = new Map<string, Float32Array>();
  private readonly ints = new Map<string, Int32Array>();
  private readonly bytes = new Map<string, Uint8Array>();
  /** Density mode: the reference the last frame was normalised by (see RasterOptions.densityReference). */
  lastDensityReference: number | undefined = undefined;

  /** A grid of exactly `length` floats for `purpose`; contents are whatever was left in it. */
  float32(purpose: string, length: number): Float32Array {
    return exactly(this.floats, purpose, length, (n) => new Float32Array(n));
  }

  /** Per-particle integers: at least `length`, grown with headroom so a varying count rarely reallocates. */
  int32(purpose: string, length: number): Int32Array {
    let buffer = this.ints.get(purpose);
    if (buffer === undefined || buffer.length < length) {
      buffer = new Int32Array(Math.max(length, Math.ceil((buffer?.length ?? 0) * 1.5)));
      this.ints.set(purpose, buffer);
    }
    return buffer;
  }

  /** Exactly `length` bytes for `purpose` (per-tile flags); contents are whatever was left in it. */
  uint8(purpose: string, length: number): Uint8Array {
    return exactly(this.bytes, purpose, length, (n) => new Uint8Array(n));
  }

  /** Bytes held, for a memory readout. */
  get sizeBytes(): number {
    let total = 0;
    for (const b of this.floats.values()) total += b.byteLength;
    for (const b of this.ints.values()) total += b.byteLength;
    for (const b of this.bytes.values()) total += b.byteLength;
    return total;
  }
}

/** The buffer kept for `purpose` if it has exactly `length` elements, else a new one kept in its place. */
function exactly<T extends { readonly length: number }>(kept: Map<string, T>, purpose: string, length: number, make: (length: number) => T): T {
  let buffer = kept.get(purpose);
  if (buffer === undefined || buffer.length !== length) {
    buffer = make(length);
    kept.set(purpose, buffer);
  }
  return buffer;
}

export function createRasterWorkspace(): RasterWorkspace {
  return new RasterWorkspace();
}
