/** Straight (not premultiplied) RGBA, each channel 0..255, as in ImageData and PNG. */
export type Rgba = readonly [r: number, g: number, b: number, a: number];

export const white: Rgba = Object.freeze([255, 255, 255, 255]) as Rgba;
export const black: Rgba = Object.freeze([0, 0, 0, 255]) as Rgba;
export const transparent: Rgba = Object.freeze([0, 0, 0, 0]) as Rgba;

export function isRgba(value: unknown): value is Rgba {
  return (
    Array.isArray(value) &&
    value.length === 4 &&
    value.every((c) => typeof c === 'number' && Number.isFinite(c) && c >= 0 && c <= 255)
  );
}

/** '#rgb', '#rrggbb' or '#rrggbbaa'; undefined when it is none of these. */
export function parseHexColour(text: string): Rgba | undefined {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(text.trim());
  if (m === null) return undefined;
  let hex = m[1]!;
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join('');
  const byte = (i: number): number => parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return [byte(0), byte(1), byte(2), hex.length === 8 ? byte(3) : 255];
}

/**
 * HSL to RGB 0..255. h in turns (any real, wrapped), s and l in [0, 1]. Written into `out` at
 * `offset` so per-particle callers allocate nothing.
 */
export function hslToRgbInto(h: number, s: number, l: number, out: Uint8ClampedArray, offset: number): void {
  const hue = h - Math.floor(h);
  const c = (1 - Math.abs(2 * l - 1)) * s;
  // f(n) from the CSS Color 4 reference algorithm: one expression per channel, no sextant switch.
  const channel = (n: number): number => {
    const k = (n + hue * 12) % 12;
    return 255 * (l - (c / 2) * Math.max(-1, Math.min(k - 3, 9 - k, 1)));
  };
  out[offset] = channel(0);
  out[offset + 1] = channel(8);
  out[offset + 2] = channel(4);
}

/** Premultiplied r, g, b (0..255) and alpha (0..1) → straight RGBA bytes. */
export function writeStraight(out: Uint8ClampedArray, o: number, r: number, g: number, b: number, a: number): void {
  if (a >= 0.999999) {
    out[o] = r;
    out[o + 1] = g;
    out[o + 2] = b;
    out[o + 3] = 255;
  } else if (a > 1e-6) {
    const inv = 1 / a;
    out[o] = r * inv;
    out[o + 1] = g * inv;
    out[o + 2] = b * inv;
    out[o + 3] = a * 255;
  } else {
    out[o] = 0;
    out[o + 1] = 0;
    out[o + 2] = 0;
    out[o + 3] = 0;
  }
}

/**
 * How clearly one colour stands out from another, 0..255: the larger of the luma difference
 * and the chroma difference (YCbCr). Greys differ by luma alone, so a grey's distance from white
 * is exactly today's luma weight 255 − L; a colour of the same luma as its card still counts.
 */
export function colourDistance(r: number, g: number, b: number, r0: number, g0: number, b0: number): number {
  const dr = r - r0;
  const dg = g - g0;
  const db = b - b0;
  const dy = 0.299 * dr + 0.587 * dg + 0.114 * db;
  const dcb = -0.168736 * dr - 0.331264 * dg + 0.5 * db;
  const dcr = 0.5 * dr - 0.418688 * dg - 0.081312 * db;
  return Math.max(Math.abs(dy), Math.sqrt(dcb * dcb + dcr * dcr));
}

export function luma(c: Rgba): number {
  return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
}
