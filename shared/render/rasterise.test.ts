import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlowGifError } from '../errors.js';
import { createRasterWorkspace } from './raster-workspace.js';
import { rasterise, rasteriseInStages } from './rasterise.js';
import { at, channelMoments, pixel, testOptions } from './raster.test-util.js';

const one = (px: number, py: number): Float64Array => Float64Array.from(at(px, py));

test('a single point is centred where it lands, with its area × opacity in coverage (alpha)', () => {
  const options = testOptions({ pointSize: 3, blend: 'alpha', opacity: 0.8 });
  const image = rasterise(one(32.5, 20.5), undefined, options);
  const m = channelMoments(image, 64);
  const area = Math.PI * 1.5 * 1.5;
  assert.ok(Math.abs(m.sum - area * 0.8) < 0.03, `coverage ${m.sum} vs ${area * 0.8}`);
  assert.ok(Math.abs(m.cx - 32.5) < 0.01 && Math.abs(m.cy - 20.5) < 0.01, `centroid ${m.cx}, ${m.cy}`);
  // Centred on a pixel centre, a 3 px disc covers that pixel fully and nothing 2 px away.
  assert.equal(pixel(image, 64, 32, 20)[0], Math.round(255 * 0.8));
  assert.equal(pixel(image, 64, 34, 20)[0], 0);
  assert.deepEqual(pixel(image, 64, 0, 0), [0, 0, 0, 255]);
});

test('fractional sizes keep their exact area, also below one pixel', () => {
  for (const size of [0.5, 1, 1.5, 2.25, 7.3]) {
    const image = rasterise(one(30.37, 29.81), undefined, testOptions({ pointSize: size, opacity: 0.5 }));
    const expected = (Math.PI * size * size * 0.5) / 4;
    assert.ok(Math.abs(channelMoments(image, 64).sum - expected) < 0.02 + expected * 0.01, `size ${size}`);
  }
});

test('moving a point by half a pixel moves its centroid by half a pixel, brightness unchanged', () => {
  const options = testOptions({ pointSize: 1.5, opacity: 0.5 });
  const a = channelMoments(rasterise(one(32.5, 32.5), undefined, options), 64);
  const b = channelMoments(rasterise(one(33, 32.5), undefined, options), 64);
  assert.ok(Math.abs(b.cx - a.cx - 0.5) < 0.01, `shift ${b.cx - a.cx}`);
  assert.ok(Math.abs(b.cy - a.cy) < 0.01);
  assert.ok(Math.abs(a.sum - b.sum) < 0.02, `sums ${a.sum} ${b.sum}`);
  // Smooth motion: quarter-pixel steps move the centroid steadily forward.
  let previous = a.cx;
  for (let i = 1; i <= 8; i++) {
    const m = channelMoments(rasterise(one(32.5 + i / 8, 32.5), undefined, options), 64);
    assert.ok(Math.abs(m.cx - previous - 1 / 8) < 0.05, `step ${i}: ${m.cx - previous}`);
    previous = m.cx;
  }
});

test('non-square outputs keep the aspect: square pixels, picture centred', () => {
  // 128 × 64 over halfExtent 4: the long side spans 8 model units, so 16 px per unit both ways.
  const options = testOptions({ width: 128, height: 64, pointSize: 6 });
  const image = rasterise(Float64Array.of(2, 1), undefined, options);
  const m = channelMoments(image, 128);
  assert.ok(Math.abs(m.cx - 96) < 0.02 && Math.abs(m.cy - 16) < 0.02, `centroid ${m.cx}, ${m.cy}`);
  assert.ok(Math.abs(m.vx / m.vy - 1) < 0.02, `round, not stretched: ${m.vx} vs ${m.vy}`);
  const tall = channelMoments(rasterise(Float64Array.of(0, 0), undefined, testOptions({ width: 32, height: 64 })), 32);
  assert.ok(Math.abs(tall.cx - 16) < 0.01 && Math.abs(tall.cy - 32) < 0.01);
});

test('background shows everywhere without particles, transparent included', () => {
  for (const background of [[0, 0, 0, 0], [10, 20, 30, 255], [200, 100, 50, 128]] as const) {
    const image = rasterise(new Float64Array(0), undefined, testOptions({ background }));
    for (let p = 0; p < 64 * 64; p++) assert.deepEqual(pixel(image, 64, p % 64, p >> 6), background);
  }
});

test('on a transparent background a point carries its coverage in alpha, its colour in RGB', () => {
  const colour = [255, 128, 0, 255] as const;
  for (const blend of ['alpha', 'additive'] as const) {
    const image = rasterise(one(32.5, 32.5), undefined, testOptions({ background: [0, 0, 0, 0], colour, blend, pointSize: 3, opacity: 0.5 }));
    assert.deepEqual(pixel(image, 64, 32, 32), [255, 128, 0, 128], blend);
    const edge = pixel(image, 64, 33, 33);
    assert.ok(edge[3] > 0 && edge[3] < 128, `${blend}: edge alpha ${edge[3]}`);
    assert.deepEqual(edge.slice(0, 3), [255, 128, 0]);
    assert.ok(Math.abs(channelMoments(image, 64, 3).sum - Math.PI * 2.25 * 0.5) < 0.03);
    const perParticle = rasterise(one(32.5, 32.5), Uint8ClampedArray.from(colour), testOptions({ background: [0, 0, 0, 0], blend, pointSize: 3, opacity: 0.5 }));
    assert.deepEqual(perParticle, image, `${blend}: per-particle colour matches solid`);
  }
});

test('additive light adds up; alpha paints over, so order matters', () => {
  const both = Float64Array.from([...at(32.5, 32.5), ...at(32.5, 32.5)]);
  const single = one(32.5, 32.5);
  const sum = (blend: 'additive' | 'alpha', positions: Float64Array): number =>
    channelMoments(rasterise(positions, undefined, testOptions({ blend, opacity: 0.4, pointSize: 2 })), 64).sum;
  const area = Math.PI;
  assert.ok(Math.abs(sum('additive', single) - area * 0.4) < 0.02);
  assert.ok(Math.abs(sum('additive', both) - 2 * area * 0.4) < 0.03, 'additive conserves energy');
  assert.ok(sum('alpha', both) < sum('additive', both) - 0.2, 'alpha saturates');
  // Centre pixel, fully covered: alpha gives 1 − (1 − a)², additive 2a.
  const centre = (blend: 'additive' | 'alpha'): number => pixel(rasterise(both, undefined, testOptions({ blend, opacity: 0.4, pointSize: 3 })), 64, 32, 32)[0];
  assert.equal(centre('additive'), Math.round(255 * 0.8));
  assert.equal(centre('alpha'), Math.round(255 * 0.64));

  const red = [255, 0, 0, 255];
  const blue = [0, 0, 255, 255];
  const paint = (blend: 'additive' | 'alpha', first: number[], second: number[]): readonly number[] =>
    pixel(rasterise(both, Uint8ClampedArray.from([...first, ...second]), testOptions({ blend, opacity: 0.6, pointSize: 3 })), 64, 32, 32);
  assert.deepEqual(paint('additive', red, blue), [153, 0, 153, 255]);
  assert.deepEqual(paint('additive', blue, red), [153, 0, 153, 255]);
  const redThenBlue = paint('alpha', red, blue);
  assert.deepEqual(redThenBlue, [61, 0, 153, 255]);
  assert.deepEqual(paint('alpha', blue, red), [153, 0, 61, 255]);
});

test('additive saturates at white rather than wrapping', () => {
  const pile = new Float64Array(200);
  for (let i = 0; i < 100; i++) [pile[2 * i], pile[2 * i + 1]] = at(32.5, 32.5);
  const image = rasterise(pile, undefined, testOptions({ blend: 'additive', opacity: 0.5, pointSize: 3 }));
  assert.deepEqual(pixel(image, 64, 32, 32), [255, 255, 255, 255]);
});

test('per-particle colours are drawn as given, their alpha scaling opacity', () => {
  const positions = Float64Array.from([...at(16.5, 16.5), ...at(48.5, 48.5)]);
  const colours = Uint8ClampedArray.of(10, 200, 30, 255, 250, 40, 90, 51);
  const image = rasterise(positions, colours, testOptions({ blend: 'alpha', pointSize: 3 }));
  assert.deepEqual(pixel(image, 64, 16, 16), [10, 200, 30, 255]);
  assert.deepEqual(pixel(image, 64, 48, 48), [50, 8, 18, 255]);
});

test('a cloud of one colour draws as that colour would, and colours at any byte offset draw alike', () => {
  const count = 3000;
  const positions = Float64Array.from({ length: 2 * count }, (_, i) => Math.sin(i * 12.9898) * 3);
  const teal = [20, 160, 150, 200];
  const uniform = Uint8ClampedArray.from({ length: 4 * count }, (_, i) => teal[i % 4]!);
  // One more particle, off the picture, in another colour: the same picture through the many-colour path.
  const offPicture = Float64Array.from([...positions, 1e9, 1e9]);
  const mixed = Uint8ClampedArray.from([...uniform, 255, 0, 0, 255]);
  for (const blend of ['alpha', 'additive'] as const) {
    for (const background of [[90, 90, 90, 255], [0, 0, 0, 0]] as const) {
      const options = testOptions({ blend, opacity: 0.7, pointSize: 2.5, background: [...background] });
      const one = rasterise(positions, uniform, options);
      const many = rasterise(offPicture, mixed, options);
      let worst = 0;
      for (let i = 0; i < one.length; i++) worst = Math.max(worst, Math.abs(one[i]! - many[i]!));
      assert.ok(worst <= 1, `${blend} on ${background.join(',')}: one colour differs by ${worst} levels from the same cloud drawn per particle`);
      const empty = rasterise(new Float64Array(0), new Uint8ClampedArray(0), options);
      assert.ok(one.some((v, i) => v !== empty[i]), `${blend} on ${background.join(',')}: the cloud shows`);
    }
  }
  // The many-colour path copies colours word by word when it can; a view at an odd offset must draw the same.
  // Each particle its own colour, so a colour copied to the wrong particle shows.
  const own = Uint8ClampedArray.from({ length: 4 * count }, (_, i) => (i % 4 === 3 ? 255 : (i * 97 + (i >> 2) * 31) % 256));
  const shifted = new Uint8ClampedArray(own.length + 1).subarray(1);
  shifted.set(own);
  const options = testOptions({ blend: 'alpha', pointSize: 2.5 });
  const aligned = rasterise(positions, own, options);
  // Word by word (aligned) and byte by byte (shifted) are two copies: they must agree.
  assert.deepEqual(rasterise(positions, shifted, options), aligned);
});

test('off-screen, infinite and NaN particles are skipped; edge particles are clipped', () => {
  const valid = one(20.5, 40.5);
  const reference = rasterise(valid, undefined, testOptions());
  const junk = Float64Array.from([NaN, 0, 0, NaN, NaN, NaN, Infinity, 0, -Infinity, 1, 1e9, 1e9, -1e12, 0, 5, 0, 0, -4.6, ...valid]);
  const colours = new Uint8ClampedArray(4 * (junk.length / 2)).fill(255);
  assert.deepEqual(rasterise(junk, undefined, testOptions()), reference);
  assert.deepEqual(rasterise(Float32Array.from(junk), colours, testOptions()), reference);
  // A disc centred on the left edge shows its right half.
  const half = channelMoments(rasterise(one(0, 32.5), undefined, testOptions({ pointSize: 4 })), 64);
  assert.ok(Math.abs(half.sum - (Math.PI * 4) / 2) < 0.03, `half disc ${half.sum}`);
  const corner = channelMoments(rasterise(one(64, 64), undefined, testOptions({ pointSize: 4 })), 64);
  assert.ok(Math.abs(corner.sum - Math.PI / 1) < 0.03, `quarter disc ${corner.sum}`);
});

test('a reused workspace and target give the same pixels as fresh ones', () => {
  const workspace = createRasterWorkspace();
  const target = new Uint8ClampedArray(64 * 64 * 4);
  const positions = Float64Array.from({ length: 400 }, (_, i) => Math.sin(i * 12.9898) * 3);
  const colours = Uint8ClampedArray.from({ length: 800 }, (_, i) => (i * 37) % 256);
  for (const options of [
    testOptions({ blend: 'alpha' }),
    testOptions({ blend: 'additive', pointSize: 2.5 }),
    testOptions({ mode: 'density', colourMap: 'viridis' }),
  ]) {
    for (const c of [undefined, colours]) {
      rasterise(positions.map((v) => -v), c, options, target, workspace);
      const reused = rasterise(positions, c, options, target, workspace);
      assert.equal(reused, target);
      assert.deepEqual(reused, rasterise(positions, c, options));
    }
  }
});

test('empty tiles are copied, not composited: the same bytes as compositing every pixel, for big dots across tile edges too', () => {
  // A target one byte off word alignment is composited pixel by pixel everywhere: the reference.
  const reference = (options: ReturnType<typeof testOptions>): Uint8ClampedArray =>
    rasterise(positions, colours, options, new Uint8ClampedArray(new ArrayBuffer(4 * options.width * options.height + 1), 1, 4 * options.width * options.height));
  // A few dots scattered over a 200 × 120 frame (16 px tiles): most tiles empty, dots on tile edges.
  const positions = Float32Array.from([0, 0, 3.9, 2.4, -4.6, -2.5, 1.95, 0.03, -2, 2, 6.2, -3.7]);
  const colours = Uint8ClampedArray.from([255, 0, 0, 255, 0, 255, 0, 200, 0, 0, 255, 255, 90, 90, 90, 128, 10, 200, 30, 255, 250, 250, 0, 255]);
  let compared = 0;
  for (const pointSize of [0.7, 2.5, 13, 40]) {
    for (const blend of ['alpha', 'additive'] as const) {
      for (const background of [[255, 255, 255, 255], [0, 0, 0, 0], [40, 80, 120, 90]] as const) {
        for (const coloured of [true, false]) {
          const options = testOptions({ width: 200, height: 120, view: { centreX: 0, centreY: 0, halfExtent: 8 }, pointSize, blend, background: [...background], opacity: 0.7 });
          const fast = rasterise(positions, coloured ? colours : undefined, options);
          const slow = coloured ? reference(options) : rasterise(positions, undefined, options, new Uint8ClampedArray(new ArrayBuffer(4 * 200 * 120 + 1), 1, 4 * 200 * 120));
          assert.deepEqual(fast, slow, `size ${pointSize}, ${blend}, background ${background.join(',')}, ${coloured ? 'coloured' : 'one colour'}`);
          compared++;
        }
      }
    }
  }
  assert.equal(compared, 48);
  // And the dots are there: a 40 px dot reaches three tiles beyond its own.
  const big = rasterise(positions, undefined, testOptions({ width: 200, height: 120, view: { centreX: 0, centreY: 0, halfExtent: 8 }, pointSize: 40, background: [0, 0, 0, 255] }));
  assert.ok(big[4 * (60 * 200 + 100)]! > 200 && big[4 * (60 * 200 + 118)]! > 200, 'inside the big dot at the centre, 18 px out');
});

test('bad options and mismatched buffers are input errors', () => {
  const isInvalid = (e: unknown): boolean => e instanceof FlowGifError && e.code === 'INVALID_ARGUMENT';
  const p = Float64Array.of(0, 0);
  assert.throws(() => rasterise(p, undefined, testOptions({ width: 0 })), isInvalid);
  assert.throws(() => rasterise(p, undefined, testOptions({ pointSize: -1 })), isInvalid);
  assert.throws(() => rasterise(p, undefined, testOptions({ view: { centreX: 0, centreY: 0, halfExtent: 0 } })), isInvalid);
  assert.throws(() => rasterise(p, undefined, testOptions({ opacity: 2 })), isInvalid);
  assert.throws(() => rasterise(p, undefined, testOptions({ colourMap: 'rainbow' as never })), isInvalid);
  assert.throws(() => rasterise(p, new Uint8ClampedArray(2), testOptions()), isInvalid);
  assert.throws(() => rasterise(p, undefined, testOptions(), new Uint8ClampedArray(10)), isInvalid);
});

test('drawn in stages, a frame pauses in its placing, between quarters of its splat and halves of its compositing, and is the frame drawn in one go', () => {
  const count = 5000;
  const positions = Float32Array.from({ length: 2 * count }, (_, i) => Math.sin(i * 12.9898) * 3);
  const colours = Uint8ClampedArray.from({ length: 4 * count }, (_, i) => (i % 4 === 3 ? 200 : (i * 97 + (i >> 2) * 31) % 256));
  for (const blend of ['alpha', 'additive'] as const) {
    for (const background of [[255, 255, 255, 255], [0, 0, 0, 0]] as const) {
      for (const c of [colours, undefined]) {
        const options = testOptions({ blend, pointSize: 2.5, background: [...background], opacity: 0.6 });
        // Another frame drawn in stages in between, on its own workspace, as the preview's
        // exports and previews may be: nothing of one may leak into the other.
        const mirrored = positions.map((v) => -v);
        const other = testOptions({ blend, pointSize: 1.3, background: [20, 40, 60, 255] });
        const stages = rasteriseInStages(positions, c, options, new Uint8ClampedArray(4 * 64 * 64), createRasterWorkspace());
        const between = rasteriseInStages(mirrored, c, other, new Uint8ClampedArray(4 * 64 * 64), createRasterWorkspace());
        let pauses = 0;
        let next = stages.next();
        let otherNext = between.next();
        for (; next.done !== true; next = stages.next()) {
          pauses++;
          if (otherNext.done !== true) otherNext = between.next();
        }
        const what = `${blend} on ${background.join(',')}, ${c === undefined ? 'one colour' : 'coloured'}`;
        assert.equal(pauses, 7, `${what}: seven pauses`);
        assert.deepEqual(next.value, rasterise(positions, c, options), what);
        assert.deepEqual(otherNext.done === true ? otherNext.value : undefined, rasterise(mirrored, c, other), `${what}: the frame drawn in between`);
      }
    }
  }
  // Density mode is one stage: its blur is one pass over the frame.
  const density = testOptions({ mode: 'density', colourMap: 'viridis' });
  const stages = rasteriseInStages(positions, undefined, density);
  const only = stages.next();
  assert.equal(only.done, true);
  assert.deepEqual(only.value, rasterise(positions, undefined, density));
});
