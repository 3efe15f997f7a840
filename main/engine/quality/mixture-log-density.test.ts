import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pixelCentreToModel } from '../image/mapping.js';
import { createDensity } from '../image/create-density.js';
import type { ImageDensity } from '../image/density.js';
import { mixtureLogDensity } from './mixture-log-density.js';

function density(width: number, height: number, masses: Array<[number, number, number]>): ImageDensity {
  const probabilities = new Float64Array(width * height);
  let total = 0;
  for (const [, , m] of masses) total += m;
  for (const [c, r, m] of masses) probabilities[r * width + c] = m / total;
  return createDensity({
    source: { path: 'synthetic', sha256: '0'.repeat(64), format: 'raw' },
    options: { mass: 'dark', threshold: 0, maxSide: 512 },
    originalWidth: width,
    originalHeight: height,
    width,
    height,
    probabilities,
    colours: new Uint8ClampedArray(width * height * 4),
  });
}

test('matches a brute-force sum over every component', () => {
  const d = density(16, 12, [[3, 4, 1], [4, 4, 2], [10, 7, 1.5], [15, 11, 0.5]]);
  const sigma = d.jitterStd;
  const probe = [...pixelCentreToModel(d.mapping, 3.6, 4.2), ...pixelCentreToModel(d.mapping, 10, 7), ...pixelCentreToModel(d.mapping, 14.8, 10.9)];
  const got = mixtureLogDensity(d, Float64Array.from(probe));
  for (let k = 0; k < 3; k++) {
    let sum = 0;
    for (let r = 0; r < d.height; r++) {
      for (let c = 0; c < d.width; c++) {
        const pi = d.probabilities[r * d.width + c]!;
        if (pi === 0) continue;
        const [mx, my] = pixelCentreToModel(d.mapping, c, r);
        const d2 = (probe[2 * k]! - mx) ** 2 + (probe[2 * k + 1]! - my) ** 2;
        sum += (pi * Math.exp(-d2 / (2 * sigma * sigma))) / (2 * Math.PI * sigma * sigma);
      }
    }
    assert.ok(Math.abs(got[k]! - Math.log(sum)) < 1e-9, `point ${k}: ${got[k]} vs ${Math.log(sum)}`);
  }
});

test('integrates to one over the plane', () => {
  const d = density(8, 8, [[2, 2, 1], [5, 6, 3]]);
  const step = d.mapping.modelPerPixel / 10;
  const points: number[] = [];
  for (let y = -4; y < 4; y += step) for (let x = -4; x < 4; x += step) points.push(x + step / 2, y + step / 2);
  const logp = mixtureLogDensity(d, Float64Array.from(points));
  let integral = 0;
  for (const v of logp) integral += Math.exp(v) * step * step;
  assert.ok(Math.abs(integral - 1) < 1e-3, `integral ${integral}`);
});
