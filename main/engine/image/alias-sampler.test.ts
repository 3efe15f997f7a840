import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createRandom } from '../../../shared/random.js';
import {
  createAliasTable,
  pointsForIndices,
  sampleDensity,
  sampleDensityIndices,
  sampleDensityWithIndices,
  type AliasTable,
} from './alias-sampler.js';
import type { ImageDensity } from './density.js';
import { loadDensity } from './load-density.js';
import { pixelCentreToModel } from './mapping.js';
import { bundledSamplePath } from './samples.js';

/** The distribution a table encodes, computed exactly from its slots. */
function impliedProbabilities(table: AliasTable, length: number): Float64Array {
  const out = new Float64Array(length);
  for (let s = 0; s < table.size; s++) {
    out[table.index[s]!]! += table.keep[s]! / table.size;
    out[table.alias[s]!]! += (1 - table.keep[s]!) / table.size;
  }
  return out;
}

describe('createAliasTable', () => {
  it('encodes the given probabilities exactly and gives zero-probability entries no way in', () => {
    const p = new Float64Array([0.1, 0, 0.4, 0.2, 0, 0.3]);
    const table = createAliasTable(p);
    assert.equal(table.size, 4);
    const implied = impliedProbabilities(table, p.length);
    p.forEach((v, i) => assert.ok(Math.abs(implied[i]! - v) < 1e-12, `entry ${i}: ${implied[i]} vs ${v}`));
    for (let s = 0; s < table.size; s++) {
      assert.notEqual(p[table.index[s]!], 0);
      if (table.keep[s]! < 1) assert.notEqual(p[table.alias[s]!], 0);
    }
  });

  it('accepts unnormalised weights and a single entry', () => {
    const implied = impliedProbabilities(createAliasTable(new Float64Array([3, 1])), 2);
    assert.ok(Math.abs(implied[0]! - 0.75) < 1e-12 && Math.abs(implied[1]! - 0.25) < 1e-12);
    const one = createAliasTable(new Float64Array([0, 0, 5]));
    assert.equal(one.size, 1);
    assert.equal(one.index[0], 2);
    assert.equal(one.keep[0], 1);
  });

  it('rejects all-zero, negative and non-finite input', () => {
    assert.throws(() => createAliasTable(new Float64Array([0, 0])), RangeError);
    assert.throws(() => createAliasTable(new Float64Array([0.5, -0.1])), RangeError);
    assert.throws(() => createAliasTable(new Float64Array([0.5, Number.NaN])), RangeError);
    assert.throws(() => createAliasTable(new Float64Array([Number.POSITIVE_INFINITY])), RangeError);
  });

  it('stays exact over a real image grid', async () => {
    const density = await loadDensity(bundledSamplePath('spiral.webp'));
    const implied = impliedProbabilities(createAliasTable(density.probabilities), density.probabilities.length);
    let maxRelativeError = 0;
    density.probabilities.forEach((v, i) => {
      if (v > 0) maxRelativeError = Math.max(maxRelativeError, Math.abs(implied[i]! - v) / v);
    });
    assert.ok(maxRelativeError < 1e-12, `max relative error ${maxRelativeError}`);
  });
});

describe('sampleDensity', () => {
  let coarse: ImageDensity;
  let heart: ImageDensity;
  before(async () => {
    heart = await loadDensity(bundledSamplePath('heart.png'));
    coarse = await loadDensity(bundledSamplePath('heart.png'), { maxSide: 12 });
  });

  it('draws pixels with the frequencies of the density (chi-square)', () => {
    const n = 200_000;
    const counts = new Float64Array(coarse.probabilities.length);
    for (const k of sampleDensityIndices(coarse, n, createRandom(7))) counts[k]!++;
    let chi2 = 0;
    let cells = 0;
    coarse.probabilities.forEach((p, i) => {
      if (p === 0) {
        assert.equal(counts[i], 0, `pixel ${i} has no mass but was drawn`);
        return;
      }
      cells++;
      chi2 += (counts[i]! - n * p) ** 2 / (n * p);
    });
    const df = cells - 1;
    // Mean df, std sqrt(2 df): six standard deviations is a bound a correct sampler never meets.
    assert.ok(chi2 < df + 6 * Math.sqrt(2 * df), `chi² ${chi2.toFixed(1)} with ${df} degrees of freedom`);
    assert.ok(df > 50);
  });

  it('jitters around the pixel centre with std jitterStd', () => {
    const n = 100_000;
    const { points, indices } = sampleDensityWithIndices(heart, n, createRandom(3));
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let syy = 0;
    for (let i = 0; i < n; i++) {
      const k = indices[i]!;
      const [cx, cy] = pixelCentreToModel(heart.mapping, k % heart.width, Math.floor(k / heart.width));
      const dx = points[2 * i]! - cx;
      const dy = points[2 * i + 1]! - cy;
      sx += dx;
      sy += dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    const std = heart.jitterStd;
    assert.ok(Math.abs(sx / n) < 0.02 * std && Math.abs(sy / n) < 0.02 * std);
    assert.ok(Math.abs(Math.sqrt(sxx / n) / std - 1) < 0.02, `x std ${Math.sqrt(sxx / n)} vs ${std}`);
    assert.ok(Math.abs(Math.sqrt(syy / n) / std - 1) < 0.02, `y std ${Math.sqrt(syy / n)} vs ${std}`);
  });

  it('has the mean of the mixture', () => {
    let mx = 0;
    let my = 0;
    heart.probabilities.forEach((p, i) => {
      const [cx, cy] = pixelCentreToModel(heart.mapping, i % heart.width, Math.floor(i / heart.width));
      mx += p * cx;
      my += p * cy;
    });
    const n = 100_000;
    const points = sampleDensity(heart, n, createRandom(11));
    let x = 0;
    let y = 0;
    for (let i = 0; i < n; i++) {
      x += points[2 * i]!;
      y += points[2 * i + 1]!;
    }
    // The heart spans about ±3 model units: the standard error of the mean is under 0.01.
    assert.ok(Math.abs(x / n - mx) < 0.03 && Math.abs(y / n - my) < 0.03, `mean ${x / n}, ${y / n} vs ${mx}, ${my}`);
  });

  it('reproduces samples from a seed', () => {
    const a = sampleDensity(heart, 1000, createRandom(42));
    const b = sampleDensity(heart, 1000, createRandom(42));
    const c = sampleDensity(heart, 1000, createRandom(43));
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    const { points } = sampleDensityWithIndices(heart, 1000, createRandom(42));
    assert.deepEqual(points, a);
  });

  it('places points at pixel centres exactly as mapping.ts does', () => {
    const indices = new Uint32Array([0, heart.width - 1, heart.width * heart.height - 1, 200 * heart.width + 17]);
    const zeroJitter = { ...heart, jitterStd: 0 };
    const points = pointsForIndices(zeroJitter, indices, createRandom(1));
    indices.forEach((k, i) => {
      const [cx, cy] = pixelCentreToModel(heart.mapping, k % heart.width, Math.floor(k / heart.width));
      assert.ok(Math.abs(points[2 * i]! - cx) < 1e-12 && Math.abs(points[2 * i + 1]! - cy) < 1e-12);
    });
  });

  it('draws a million points (n = 0 too)', () => {
    assert.equal(sampleDensity(heart, 0, createRandom(1)).length, 0);
    const points = sampleDensity(heart, 1_000_000, createRandom(5));
    assert.equal(points.length, 2_000_000);
    assert.ok(points.every(Number.isFinite));
  });
});
