import type { Canvas } from './view.js';

/** 'picture', 'square' or WxH (e.g. 1200x630; × and X also read), as typed on the CLI. */
export function parseCanvas(text: string): Canvas | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'picture' || trimmed === 'square') return trimmed;
  const match = /^(\d+)\s*[x×]\s*(\d+)$/.exec(trimmed);
  return match === null ? undefined : { width: Number(match[1]), height: Number(match[2]) };
}

export function formatCanvas(canvas: Canvas): string {
  return typeof canvas === 'string' ? canvas : `${canvas.width}x${canvas.height}`;
}

/** What is wrong with a candidate canvas, as a sentence; undefined when it is valid. */
export function canvasProblem(value: unknown, minSide: number, maxSide: number): string | undefined {
  if (value === 'picture' || value === 'square') return undefined;
  if (typeof value === 'object' && value !== null) {
    const { width, height } = value as Record<string, unknown>;
    const side = (x: unknown): boolean => typeof x === 'number' && Number.isInteger(x) && x >= minSide && x <= maxSide;
    if (side(width) && side(height)) return undefined;
    return `canvas width and height must be whole pixels from ${minSide} to ${maxSide} (got ${String(width)}×${String(height)}).`;
  }
  return `canvas must be picture, square or { width, height } (got ${JSON.stringify(value)}).`;
}

/** The long side of a WxH canvas (undefined for picture, square, or a malformed one). */
export function exactCanvasLongSide(canvas: unknown): number | undefined {
  if (typeof canvas !== 'object' || canvas === null) return undefined;
  const { width, height } = canvas as Record<string, unknown>;
  return typeof width === 'number' && typeof height === 'number' ? Math.max(width, height) : undefined;
}
