/**
 * Framing: which part of model space the output shows. Model space has y up and the picture's
 * longer side spanning [-4, 4]; output pixels have y down, origin at the top-left, square
 * pixels. halfExtent is the model distance from the centre to the edge of the output's longer
 * side, so a view means the same framing at any output resolution.
 */
export interface View {
  readonly centreX: number;
  readonly centreY: number;
  readonly halfExtent: number;
}

/** Model-space rectangle, field names as main/engine/image/mapping.ts's modelBounds. */
export interface ModelBounds {
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
}

/** Model half extent of the picture's longer side (DESIGN.md §2). */
export const MODEL_HALF_EXTENT = 4;

/** Fraction of the picture's size left around it by default: room for particles that overshoot. */
export const DEFAULT_MARGIN = 0.05;

/** Model-space bounds of a picture of the given pixel size. */
export function pictureBounds(widthPx: number, heightPx: number): ModelBounds {
  const perPixel = (2 * MODEL_HALF_EXTENT) / Math.max(widthPx, heightPx);
  const hx = (widthPx / 2) * perPixel;
  const hy = (heightPx / 2) * perPixel;
  return { xMin: -hx, xMax: hx, yMin: -hy, yMax: hy };
}

/**
 * The view that frames the bounds with a margin on every side. Given the output size, the
 * bounds fit it whatever its aspect; without, the output is taken to have the bounds' aspect.
 */
export function defaultView(
  bounds: ModelBounds,
  options: { margin?: number; width?: number; height?: number } = {},
): View {
  const grow = 1 + 2 * (options.margin ?? DEFAULT_MARGIN);
  const hx = ((bounds.xMax - bounds.xMin) / 2) * grow;
  const hy = ((bounds.yMax - bounds.yMin) / 2) * grow;
  let halfExtent = Math.max(hx, hy);
  if (options.width !== undefined && options.height !== undefined) {
    const long = Math.max(options.width, options.height);
    halfExtent = Math.max((hx * long) / options.width, (hy * long) / options.height);
  }
  return {
    centreX: (bounds.xMin + bounds.xMax) / 2,
    centreY: (bounds.yMin + bounds.yMax) / 2,
    halfExtent: halfExtent > 0 ? halfExtent : MODEL_HALF_EXTENT,
  };
}

/**
 * Output size with the bounds' aspect and the requested long side. Video encoders (yuv420p)
 * need even dimensions: `even` rounds each side to an even number, at least 2.
 */
export function outputSize(bounds: ModelBounds, longSide: number, options: { even?: boolean } = {}): { width: number; height: number } {
  const w = bounds.xMax - bounds.xMin;
  const h = bounds.yMax - bounds.yMin;
  const long = Math.max(w, h);
  const side = (extent: number): number => {
    const exact = long > 0 ? (longSide * extent) / long : longSide;
    return options.even === true ? Math.max(2, 2 * Math.round(exact / 2)) : Math.max(1, Math.round(exact));
  };
  return { width: side(w), height: side(h) };
}

/** Model → output pixel: px = offsetX + x·scale, py = offsetY − y·scale (pixel centres at +0.5). */
export interface ViewTransform {
  /** Output pixels per model unit. */
  readonly scale: number;
  readonly offsetX: number;
  readonly offsetY: number;
}

export function viewTransform(view: View, width: number, height: number): ViewTransform {
  const scale = Math.max(width, height) / (2 * view.halfExtent);
  return {
    scale,
    offsetX: width / 2 - view.centreX * scale,
    offsetY: height / 2 + view.centreY * scale,
  };
}

/** Output pixel coordinates (continuous, y down) of a model point, e.g. for hit testing. */
export function modelToPixel(transform: ViewTransform, x: number, y: number): [number, number] {
  return [transform.offsetX + x * transform.scale, transform.offsetY - y * transform.scale];
}

export function pixelToModel(transform: ViewTransform, px: number, py: number): [number, number] {
  return [(px - transform.offsetX) / transform.scale, (transform.offsetY - py) / transform.scale];
}

/**
 * The output frame's shape: the picture's own ('picture'), a square, or exact pixels. Square
 * and exact canvases fit the picture inside, centred, and the background fills the rest.
 */
export type Canvas = 'picture' | 'square' | { readonly width: number; readonly height: number };

/** Output pixel size and view of a canvas, as the export draws it and the preview shows it. */
export interface Framing {
  readonly width: number;
  readonly height: number;
  readonly view: View;
}

/**
 * The one framing rule, for export and preview alike: the canvas's shape at the given long
 * side, the picture fitted inside with the default margin and centred. An export passes its
 * size (an exact canvas's own long side, see resolveRenderSettings), so an exact canvas comes
 * out at exactly its pixels; the preview passes its own long side. `even` rounds each side to
 * an even number (video).
 */
export function framing(bounds: ModelBounds, canvas: Canvas, longSide: number, options: { even?: boolean } = {}): Framing {
  const even = options.even === true;
  const round = (exact: number): number => (even ? Math.max(2, 2 * Math.round(exact / 2)) : Math.max(1, Math.round(exact)));
  let size: { width: number; height: number };
  if (canvas === 'picture') size = outputSize(bounds, longSide, { even });
  else if (canvas === 'square') size = { width: round(longSide), height: round(longSide) };
  else {
    const scale = longSide / Math.max(canvas.width, canvas.height);
    size = { width: round(canvas.width * scale), height: round(canvas.height * scale) };
  }
  return { ...size, view: defaultView(bounds, size) };
}

/** Width over height of a canvas for a picture of these bounds (for laying out a preview). */
export function canvasAspect(bounds: ModelBounds, canvas: Canvas): number {
  if (canvas === 'square') return 1;
  if (canvas !== 'picture') return canvas.width / canvas.height;
  const h = bounds.yMax - bounds.yMin;
  return h > 0 ? (bounds.xMax - bounds.xMin) / h : 1;
}
