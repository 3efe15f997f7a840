import type { Locator } from 'playwright-core';

/** What a canvas shows, summarised in the page so only a few numbers cross to Node. */
export interface CanvasSummary {
  readonly width: number;
  readonly height: number;
  /** RGBA of the top-left pixel, taken as the background. */
  readonly background: readonly number[];
  /** Share of pixels that differ visibly from the background. */
  readonly inkFraction: number;
  /** GRID × GRID cells of mean luma over white (0..255), row by row. */
  readonly grid: readonly number[];
}

export const GRID = 32;

/**
 * Reads the canvas's own pixels (getImageData), after two animation frames so a draw
 * scheduled by the last state change has landed. The callback runs in the page: it may use
 * only its arguments and browser globals, which it declares for itself (no DOM lib here).
 */
export async function readCanvas(canvas: Locator, grid: number = GRID): Promise<CanvasSummary> {
  return canvas.evaluate(async (element: unknown, grid: number): Promise<CanvasSummary> => {
    interface Canvas2D {
      readonly width: number;
      readonly height: number;
      getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { readonly data: ArrayLike<number> } } | null;
    }
    const page = globalThis as unknown as { requestAnimationFrame(callback: () => void): number };
    await new Promise<void>((resolve) => page.requestAnimationFrame(() => page.requestAnimationFrame(resolve)));
    const canvas = element as Canvas2D;
    const { width, height } = canvas;
    const context = canvas.getContext('2d');
    if (context === null || width === 0 || height === 0) return { width, height, background: [], inkFraction: 0, grid: [] };
    const data = context.getImageData(0, 0, width, height).data;
    const background = [data[0]!, data[1]!, data[2]!, data[3]!];
    const sums = new Float64Array(grid * grid);
    const counts = new Float64Array(grid * grid);
    let ink = 0;
    for (let y = 0; y < height; y++) {
      const row = Math.min(grid - 1, Math.floor((y * grid) / height));
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        const r = data[i]!;
        const g = data[i + 1]!;
        const b = data[i + 2]!;
        const a = data[i + 3]!;
        if (Math.max(Math.abs(r - background[0]!), Math.abs(g - background[1]!), Math.abs(b - background[2]!), Math.abs(a - background[3]!)) > 24) ink++;
        // Luma composited over white, so a transparent background reads as white.
        const luma = 255 - (a / 255) * (255 - (0.299 * r + 0.587 * g + 0.114 * b));
        const cell = row * grid + Math.min(grid - 1, Math.floor((x * grid) / width));
        sums[cell]! += luma;
        counts[cell]! += 1;
      }
    }
    return {
      width,
      height,
      background,
      inkFraction: ink / (width * height),
      grid: Array.from(sums, (sum, cell) => (counts[cell]! > 0 ? sum / counts[cell]! : 255)),
    };
  }, grid);
}

/**
 * The separate pieces of ink on a summary's grid, each as a share of the cells, largest first:
 * cells darker than `below` (luma over white), joined when they share a side.
 */
export function inkPieces(summary: CanvasSummary, below: number): number[] {
  const side = Math.round(Math.sqrt(summary.grid.length));
  const ink = (cell: number): boolean => summary.grid[cell]! < below;
  const seen = new Uint8Array(summary.grid.length);
  const pieces: number[] = [];
  for (let start = 0; start < summary.grid.length; start++) {
    if (!ink(start) || seen[start] === 1) continue;
    seen[start] = 1;
    const stack = [start];
    let cells = 0;
    while (stack.length > 0) {
      const cell = stack.pop()!;
      cells++;
      const x = cell % side;
      const y = (cell - x) / side;
      for (const [nx, ny] of [[x + 1, y], [x - 1, y], [x, y + 1], [x, y - 1]] as const) {
        const next = ny * side + nx;
        if (nx >= 0 && ny >= 0 && nx < side && ny < side && ink(next) && seen[next] === 0) {
          seen[next] = 1;
          stack.push(next);
        }
      }
    }
    pieces.push(cells / summary.grid.length);
  }
  return pieces.sort((a, b) => b - a);
}

/** Mean absolute difference of two summaries' luma grids (0 = identical, 255 = opposite). */
export function gridDifference(a: CanvasSummary, b: CanvasSummary): number {
  if (a.grid.length !== b.grid.length || a.grid.length === 0) return Number.NaN;
  let total = 0;
  for (let i = 0; i < a.grid.length; i++) total += Math.abs(a.grid[i]! - b.grid[i]!);
  return total / a.grid.length;
}
