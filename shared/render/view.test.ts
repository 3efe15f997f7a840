import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rasterise } from './rasterise.js';
import { testOptions } from './raster.test-util.js';
import { parseCanvas } from './canvas.js';
import { canvasAspect, defaultView, framing, modelToPixel, outputSize, pictureBounds, pixelToModel, viewTransform, type ModelBounds, type View } from './view.js';

const close = (a: number, b: number, tolerance = 1e-9): boolean => Math.abs(a - b) < tolerance;

test('picture bounds: the longer side spans [-4, 4], aspect kept', () => {
  const wide = pictureBounds(300, 200);
  assert.deepEqual([wide.xMin, wide.xMax], [-4, 4]);
  assert.ok(close(wide.yMin, -8 / 3) && close(wide.yMax, 8 / 3));
  assert.deepEqual(pictureBounds(100, 400), { xMin: -1, xMax: 1, yMin: -4, yMax: 4 });
});

test('the default view centres the picture with a small margin', () => {
  const view = defaultView(pictureBounds(300, 200));
  assert.equal(view.centreX, 0);
  assert.equal(view.centreY, 0);
  assert.ok(close(view.halfExtent, 4 * 1.1));
  const offset = defaultView({ xMin: 0, xMax: 2, yMin: 1, yMax: 5 }, { margin: 0 });
  assert.deepEqual(offset, { centreX: 1, centreY: 3, halfExtent: 2 });
});

test('given an output of another aspect, the default view still fits the whole picture', () => {
  const bounds = pictureBounds(300, 200);
  for (const [width, height] of [[256, 256], [100, 300], [640, 200]] as const) {
    const t = viewTransform(defaultView(bounds, { width, height }), width, height);
    const [left, top] = modelToPixel(t, bounds.xMin, bounds.yMax);
    const [right, bottom] = modelToPixel(t, bounds.xMax, bounds.yMin);
    assert.ok(left > 0 && top > 0 && right < width && bottom < height, `${width}×${height}: ${left},${top} – ${right},${bottom}`);
    // It is tight along one axis: 5 % margin on each side.
    const tight = Math.max((right - left) / width, (bottom - top) / height);
    assert.ok(close(tight, 1 / 1.1, 1e-9), `${width}×${height}: ${tight}`);
    // Centred.
    assert.ok(close(left, width - right) && close(top, height - bottom));
  }
});

test('output size follows the picture aspect; even sizes for video', () => {
  const bounds = pictureBounds(300, 200);
  assert.deepEqual(outputSize(bounds, 512), { width: 512, height: 341 });
  assert.deepEqual(outputSize(bounds, 512, { even: true }), { width: 512, height: 342 });
  assert.deepEqual(outputSize(pictureBounds(100, 400), 99, { even: true }), { width: 24, height: 100 });
  assert.deepEqual(outputSize(pictureBounds(1, 1000), 64, { even: true }), { width: 2, height: 64 });
  assert.deepEqual(outputSize(pictureBounds(1, 1000), 64), { width: 1, height: 64 });
});

test('model ↔ pixel round-trips, y up in the model and down on screen', () => {
  const t = viewTransform({ centreX: 1, centreY: -2, halfExtent: 3 }, 120, 60);
  assert.equal(t.scale, 20);
  assert.deepEqual(modelToPixel(t, 1, -2), [60, 30]);
  const [px, py] = modelToPixel(t, 1.5, -1);
  assert.deepEqual([px, py], [70, 10]);
  const [x, y] = pixelToModel(t, px, py);
  assert.ok(close(x, 1.5) && close(y, -1));
});

test('the corners of the framed picture render inside the output', () => {
  const bounds = pictureBounds(300, 200);
  const size = outputSize(bounds, 96);
  const view = defaultView(bounds);
  const corners = Float64Array.of(bounds.xMin, bounds.yMin, bounds.xMax, bounds.yMin, bounds.xMin, bounds.yMax, bounds.xMax, bounds.yMax);
  const image = rasterise(corners, undefined, testOptions({ ...size, view, pointSize: 1 }));
  let lit = 0;
  for (let p = 0; p < image.length; p += 4) lit += image[p]! / 255;
  assert.ok(Math.abs(lit - 4 * (Math.PI / 4)) < 0.01, `all four corners fully drawn: ${lit}`);
  const [r0, , , a0] = image;
  assert.deepEqual([r0, a0], [0, 255], 'the margin is background');
});

/** Where the picture's corners land in a framing: left, top, right, bottom output pixels. */
function pictureBox(bounds: ModelBounds, frame: { width: number; height: number; view: View }): number[] {
  const t = viewTransform(frame.view, frame.width, frame.height);
  return [...modelToPixel(t, bounds.xMin, bounds.yMax), ...modelToPixel(t, bounds.xMax, bounds.yMin)];
}

test('canvas picture is the picture-shaped output; square pads a banner above and below, centred', () => {
  const banner = pictureBounds(600, 120);
  const picture = framing(banner, 'picture', 512);
  assert.deepEqual({ width: picture.width, height: picture.height }, outputSize(banner, 512));
  assert.deepEqual(picture.view, defaultView(banner, outputSize(banner, 512)));

  const square = framing(banner, 'square', 512);
  assert.deepEqual([square.width, square.height], [512, 512]);
  const [left, top, right, bottom] = pictureBox(banner, square);
  // The 5 % margin on the long axis, the rest of the square split evenly above and below.
  assert.ok(close(left!, 512 - right!) && close(top!, 512 - bottom!), `${left} ${top} ${right} ${bottom}`);
  assert.ok(close(right! - left!, 512 / 1.1, 1e-6));
  assert.ok(close(bottom! - top!, 512 / 1.1 / 5, 1e-6));
  assert.deepEqual(framing(banner, 'square', 511, { even: true }).width, 512);
});

test('an exact canvas is its own size; the preview shows it at its own size with the same framing', () => {
  const banner = pictureBounds(600, 120);
  const canvas = parseCanvas('1200x630')!;
  assert.deepEqual(canvas, { width: 1200, height: 630 });
  const exported = framing(banner, canvas, 1200);
  assert.deepEqual([exported.width, exported.height], [1200, 630]);
  const preview = framing(banner, canvas, 300);
  assert.deepEqual([preview.width, preview.height], [300, 158]);
  // The same picture box, as fractions of the frame.
  const a = pictureBox(banner, exported).map((x, i) => x / (i % 2 === 0 ? 1200 : 630));
  const b = pictureBox(banner, preview).map((x, i) => x / (i % 2 === 0 ? 300 : 158));
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 0.005, `${a} vs ${b}`);
  assert.equal(canvasAspect(banner, canvas), 1200 / 630);
  assert.equal(canvasAspect(banner, 'square'), 1);
  assert.equal(canvasAspect(banner, 'picture'), 5);
  // A tall canvas for a wide picture: fitted by width, centred vertically.
  const tall = framing(banner, { width: 400, height: 800 }, 800);
  const [left, top, right, bottom] = pictureBox(banner, tall);
  assert.ok(close(left!, 400 - right!) && close(top!, 800 - bottom!) && close(right! - left!, 400 / 1.1, 1e-6));
});

test('canvas text: picture, square, WxH; anything else is not a canvas', () => {
  assert.equal(parseCanvas('square'), 'square');
  assert.equal(parseCanvas('Picture'), 'picture');
  assert.deepEqual(parseCanvas('1080×1080'), { width: 1080, height: 1080 });
  for (const bad of ['', 'round', '100x', 'x100', '10.5x20', '-5x5', '1200 by 630']) assert.equal(parseCanvas(bad), undefined, bad);
});
