import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createRandom } from '../../../shared/random.js';
import { pointsForIndices, sampleDensityWithIndices } from './alias-sampler.js';
import { coloursAt, inkLookup, workingPixelIndexAt } from './colour-lookup.js';
import type { ImageDensity } from './density.js';
import { loadDensity } from './load-density.js';
import { pixelCentreToModel } from './mapping.js';
import { bundledSamplePath } from './samples.js';

describe('colour lookup', () => {
  let star: ImageDensity;
  let ring: ImageDensity;
  before(async () => {
    star = await loadDensity(bundledSamplePath('star.jpg'), { maxSide: 60 });
    ring = await loadDensity(bundledSamplePath('ring-alpha.png'));
  });

  it('finds the working pixel under every pixel centre and near its corners', () => {
    const { mapping } = star;
    const inset = 0.49 * mapping.modelPerPixel;
    for (let row = 0; row < star.height; row++) {
      for (let col = 0; col < star.width; col++) {
        const [x, y] = pixelCentreToModel(mapping, col, row);
        const k = row * star.width + col;
        assert.equal(workingPixelIndexAt(mapping, x, y), k);
        assert.equal(workingPixelIndexAt(mapping, x - inset, y + inset), k);
        assert.equal(workingPixelIndexAt(mapping, x + inset, y - inset), k);
      }
    }
  });

  it('clamps points off the picture to the nearest edge pixel', () => {
    const { mapping } = star;
    const last = star.width * star.height - 1;
    assert.equal(workingPixelIndexAt(mapping, -100, 100), 0);
    assert.equal(workingPixelIndexAt(mapping, 100, -100), last);
    assert.equal(workingPixelIndexAt(mapping, 100, 100), star.width - 1);
    assert.equal(workingPixelIndexAt(mapping, -100, -100), last - star.width + 1);
    assert.equal(workingPixelIndexAt(mapping, Number.NaN, Number.NaN), 0);
  });

  it("gives each point the posterior ink at its pixel, and a pixel's own ink where it alone has mass nearby", () => {
    const indices = new Uint32Array([0, 5, 17 * ring.width + 100, ring.width * ring.height - 1]);
    const centres = pointsForIndices({ ...ring, jitterStd: 0 }, indices, createRandom(1));
    const lookup = inkLookup(ring);
    const colours = coloursAt(ring, centres);
    indices.forEach((k, i) => {
      const ink = new Uint8ClampedArray(4);
      lookup.inkInto(k, ink, 0);
      assert.deepEqual([...colours.subarray(4 * i, 4 * i + 4)], [...ink]);
    });
    // A pixel in the middle of the ring's red arc (radius 114, at −60°) keeps that red.
    const k = 61 * ring.width + 217;
    const red = new Uint8ClampedArray(4);
    lookup.inkInto(k, red, 0);
    assert.ok(ring.probabilities[k]! > 0);
    [0, 1, 2].forEach((c) => assert.ok(Math.abs(red[c]! - ring.colours[4 * k + c]!) <= 3, `${[...red]} vs ${[...ring.colours.subarray(4 * k, 4 * k + 3)]}`));
  });

  it('a point far from any mass takes the nearest ink: the centre of the ring takes a colour of the ring', () => {
    const ink = coloursAt(ring, new Float64Array([0, 0]));
    assert.equal(ink[3], 255);
    assert.ok(!(ink[0]! > 250 && ink[1]! > 250 && ink[2]! > 250), `not white: ${[...ink]}`);
  });

  it('particles sampled from the coloured ring land on its colours, not on the white', () => {
    const n = 20_000;
    const { points } = sampleDensityWithIndices(ring, n, createRandom(9));
    const colours = coloursAt(ring, points);
    let white = 0;
    for (let i = 0; i < n; i++) {
      if (colours[4 * i]! > 250 && colours[4 * i + 1]! > 250 && colours[4 * i + 2]! > 250) white++;
    }
    // Only jitter across the ring's anti-aliased edge can reach white: a few percent at most.
    assert.ok(white / n < 0.03, `${white} of ${n} on white`);
  });
});
