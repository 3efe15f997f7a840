/**
 * Colour maps for density mode, stored compactly as evenly spaced stops (matplotlib's
 * perceptually uniform maps sampled at ten points, as d3-scale-chromatic publishes them) and
 * expanded once into 256-entry tables.
 */
export type ColourMapName = 'magma' | 'inferno' | 'viridis' | 'ink' | 'grey';

export const colourMapNames: readonly ColourMapName[] = Object.freeze(['magma', 'inferno', 'viridis', 'ink', 'grey']);

const stops: Readonly<Record<ColourMapName, readonly string[]>> = {
  magma: ['000004', '180f3d', '440f76', '721f81', '9e2f7f', 'cd4071', 'f1605d', 'fd9668', 'feca8d', 'fcfdbf'],
  inferno: ['000004', '1b0c41', '4a0c6b', '781c6d', 'a52c60', 'cf4446', 'ed6925', 'fb9b06', 'f7d13d', 'fcffa4'],
  viridis: ['440154', '482878', '3e4989', '31688e', '26828e', '1f9e89', '35b779', '6ece58', 'b5de2b', 'fde725'],
  // Ink on paper: no mass is the paper, the most mass is black.
  ink: ['ffffff', '000000'],
  grey: ['000000', 'ffffff'],
};

export function isColourMapName(value: unknown): value is ColourMapName {
  return typeof value === 'string' && (colourMapNames as readonly string[]).includes(value);
}

const tables = new Map<ColourMapName, Uint8ClampedArray>();

/** 256 RGB triples (768 bytes), index 0 = no mass, 255 = the most. Cached; do not modify. */
export function colourMapTable(name: ColourMapName): Uint8ClampedArray {
  let table = tables.get(name);
  if (table === undefined) {
    table = expand(stops[name]);
    tables.set(name, table);
  }
  return table;
}

/** RGB of the map at v ∈ [0, 1] (clamped), e.g. for a legend. */
export function sampleColourMap(name: ColourMapName, v: number): [number, number, number] {
  const table = colourMapTable(name);
  const i = 3 * Math.round(255 * Math.min(1, Math.max(0, v)));
  return [table[i]!, table[i + 1]!, table[i + 2]!];
}

function expand(hexStops: readonly string[]): Uint8ClampedArray {
  const rgb = hexStops.map((h) => [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)));
  const out = new Uint8ClampedArray(256 * 3);
  const segments = rgb.length - 1;
  for (let i = 0; i < 256; i++) {
    const x = (i / 255) * segments;
    const k = Math.min(segments - 1, Math.floor(x));
    const f = x - k;
    const a = rgb[k]!;
    const b = rgb[k + 1]!;
    for (let c = 0; c < 3; c++) out[3 * i + c] = a[c]! + (b[c]! - a[c]!) * f;
  }
  return out;
}
